import { PipetteError } from '@pipette/errors'

export interface ResolutionImpossibleDetails {
  /** First line, pip style: what cannot be installed. */
  readonly summary: string
  /** The derivation, one sentence per line (numbered lines end with "(n)"). */
  readonly explanation: readonly string[]
  /** The external facts the proof rests on ("a 1.0 depends on b>=2", "you require b<2"), pip's "The conflict is caused by". */
  readonly causes: readonly string[]
  /** Canonical names of the projects involved in the conflict. */
  readonly packages: readonly string[]
  /** How much work the solver did before giving up (decisions, conflicts, ...). */
  readonly stats?: Readonly<Record<string, number>> | undefined
}

/** No set of versions satisfies the requirements; the message explains why in plain words. */
export class ResolutionImpossibleError extends PipetteError {
  readonly summary: string
  readonly explanation: readonly string[]
  readonly causes: readonly string[]
  readonly packages: readonly string[]
  readonly stats: Readonly<Record<string, number>> | undefined

  constructor(details: ResolutionImpossibleDetails) {
    const body = [details.summary, '', ...shorten(details.explanation)]
    if (details.causes.length > 0) body.push('', 'The conflict is caused by:', ...details.causes.map((c) => `    ${c}`))
    super('ERR_RESOLUTION_IMPOSSIBLE', body.join('\n'), {
      hint: 'Loosen the version ranges you asked for (or remove pins) so that a common set of versions exists; see which requirements conflict above.',
    })
    this.summary = details.summary
    this.explanation = details.explanation
    this.causes = details.causes
    this.packages = details.packages
    this.stats = details.stats
  }
}

const SHOWN_HEAD = 12
const SHOWN_TAIL = 24

/** A proof longer than a screen keeps its first and last sentences in the message (all are in `explanation`). */
function shorten(lines: readonly string[]): readonly string[] {
  if (lines.length <= SHOWN_HEAD + SHOWN_TAIL + 4) return lines
  const omitted = lines.length - SHOWN_HEAD - SHOWN_TAIL
  return [...lines.slice(0, SHOWN_HEAD), `... (${omitted} more steps of the derivation) ...`, ...lines.slice(-SHOWN_TAIL)]
}

/** A requirement or option the resolver cannot act on (bad constraint, unsupported URL...). */
export class ResolverInputError extends PipetteError {
  constructor(message: string, hint: string) {
    super('ERR_RESOLVER_INPUT', message, { hint })
  }
}
