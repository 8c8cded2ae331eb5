/**
 * Turns the proof of a failure (the derivation tree of the final
 * incompatibility) into plain sentences, following the error reporting scheme
 * of the PubGrub documentation: walk the tree from the leaves (external facts)
 * to the conclusion, one sentence per derived incompatibility ("Because X and
 * Y, Z."), chaining linear runs ("And because ..."), and numbering only the
 * sentences that are referred to again later.
 */
import type { Incompatibility } from './pubgrub/incompatibility.js'
import type { Term } from './pubgrub/term.js'
import type { VersionSet } from './pubgrub/version-set.js'

export interface ReportDescriber<S extends VersionSet<S>, D> {
  /** The root package (the user's requirements). */
  readonly root: string
  /**
   * A package restricted to a set: as a subject (`positive`: "a 1.0", "a>=1.0,<=1.4",
   * "a") or as something required (`a==1.0`, `a>=1.0`, `a`).
   */
  describeSet(pkg: string, set: S, positive: boolean): string
  /** One sentence fragment for an external incompatibility (a fact). */
  describeExternal(incompat: Incompatibility<S, D>): string
}

export interface ReportLine {
  readonly text: string
  readonly number?: number | undefined
}

type Incompat<S extends VersionSet<S>, D> = Incompatibility<S, D>

export function explainFailure<S extends VersionSet<S>, D>(
  failure: Incompat<S, D>,
  describer: ReportDescriber<S, D>,
): readonly ReportLine[] {
  return new Explainer(describer).explain(failure)
}

/** Every external incompatibility of the proof, leaves first, each once. */
export function externalFacts<S extends VersionSet<S>, D>(failure: Incompat<S, D>): Incompat<S, D>[] {
  const out: Incompat<S, D>[] = []
  const seen = new Set<Incompat<S, D>>()
  const walk = (incompat: Incompat<S, D>): void => {
    if (seen.has(incompat)) return
    seen.add(incompat)
    if (incompat.cause.kind === 'derived') {
      walk(incompat.cause.left)
      walk(incompat.cause.right)
    } else {
      out.push(incompat)
    }
  }
  walk(failure)
  return out
}

class Explainer<S extends VersionSet<S>, D> {
  private readonly lines: { text: string; number?: number | undefined }[] = []
  private readonly numbers = new Map<Incompat<S, D>, number>()
  private readonly references = new Map<Incompat<S, D>, number>()
  private nextNumber = 1

  constructor(private readonly describer: ReportDescriber<S, D>) {}

  explain(failure: Incompat<S, D>): readonly ReportLine[] {
    if (failure.cause.kind !== 'derived') return [{ text: `${capitalize(this.fact(failure))}, so ${this.sentence(failure)}.` }]
    this.count(failure)
    this.visit(failure)
    return this.lines.map((line) => (line.number === undefined ? { text: line.text } : line))
  }

  private count(incompat: Incompat<S, D>): void {
    if (incompat.cause.kind !== 'derived') return
    for (const cause of [incompat.cause.left, incompat.cause.right]) {
      const seen = this.references.get(cause) ?? 0
      this.references.set(cause, seen + 1)
      if (seen === 0) this.count(cause)
    }
  }

  private visit(incompat: Incompat<S, D>): void {
    if (incompat.cause.kind !== 'derived') return
    const { left, right } = incompat.cause
    const conclusion = this.sentence(incompat)
    const leftDerived = left.cause.kind === 'derived'
    const rightDerived = right.cause.kind === 'derived'
    if (leftDerived && rightDerived) {
      const l = this.numbers.get(left)
      const r = this.numbers.get(right)
      if (l !== undefined && r !== undefined) {
        this.write(incompat, `Because ${this.sentence(left)} (${l}) and ${this.sentence(right)} (${r}), ${conclusion}.`)
      } else if (l !== undefined || r !== undefined) {
        const [numbered, other] = l !== undefined ? [left, right] : [right, left]
        this.visit(other)
        this.write(incompat, `And because ${this.sentence(numbered)} (${this.numbers.get(numbered)}), ${conclusion}.`)
      } else if (this.isSimple(left) || this.isSimple(right)) {
        const [simple, complex] = this.isSimple(right) ? [right, left] : [left, right]
        this.visit(complex)
        this.visit(simple)
        this.write(incompat, `Thus, ${conclusion}.`)
      } else {
        this.visit(left)
        const n = this.numberLast(left)
        this.lines.push({ text: '' })
        this.visit(right)
        this.write(incompat, `And because ${this.sentence(left)} (${n}), ${conclusion}.`)
      }
    } else if (leftDerived || rightDerived) {
      const [derived, external] = leftDerived ? [left, right] : [right, left]
      const n = this.numbers.get(derived)
      if (n !== undefined) {
        this.write(incompat, `Because ${this.fact(external)} and ${this.sentence(derived)} (${n}), ${conclusion}.`)
      } else if (derived.cause.kind === 'derived' && this.hasOneDerivedCause(derived) && this.numbers.get(this.derivedCause(derived)) === undefined) {
        const prior = this.derivedCause(derived)
        const priorExternal = this.externalCause(derived)
        this.visit(prior)
        this.write(incompat, `And because ${both(this.fact(priorExternal), this.fact(external))}, ${conclusion}.`)
      } else {
        this.visit(derived)
        this.write(incompat, `And because ${this.fact(external)}, ${conclusion}.`)
      }
    } else {
      this.write(incompat, `Because ${both(this.fact(left), this.fact(right))}, ${conclusion}.`)
    }
  }

  private write(incompat: Incompat<S, D>, text: string): void {
    const line: { text: string; number?: number } = { text }
    this.lines.push(line)
    if ((this.references.get(incompat) ?? 0) > 1) {
      line.number = this.nextNumber++
      this.numbers.set(incompat, line.number)
    }
  }

  private numberLast(incompat: Incompat<S, D>): number {
    const existing = this.numbers.get(incompat)
    if (existing !== undefined) return existing
    const last = this.lines[this.lines.length - 1]!
    last.number ??= this.nextNumber++
    this.numbers.set(incompat, last.number)
    return last.number
  }

  private isSimple(incompat: Incompat<S, D>): boolean {
    return incompat.cause.kind === 'derived' && incompat.cause.left.cause.kind !== 'derived' && incompat.cause.right.cause.kind !== 'derived'
  }

  private hasOneDerivedCause(incompat: Incompat<S, D>): boolean {
    if (incompat.cause.kind !== 'derived') return false
    return (incompat.cause.left.cause.kind === 'derived') !== (incompat.cause.right.cause.kind === 'derived')
  }

  private derivedCause(incompat: Incompat<S, D>): Incompat<S, D> {
    const cause = incompat.cause as { left: Incompat<S, D>; right: Incompat<S, D> }
    return cause.left.cause.kind === 'derived' ? cause.left : cause.right
  }

  private externalCause(incompat: Incompat<S, D>): Incompat<S, D> {
    const cause = incompat.cause as { left: Incompat<S, D>; right: Incompat<S, D> }
    return cause.left.cause.kind === 'derived' ? cause.right : cause.left
  }

  private fact(incompat: Incompat<S, D>): string {
    return incompat.cause.kind === 'derived' ? this.sentence(incompat) : this.describer.describeExternal(incompat)
  }

  /** What a (derived) incompatibility says, as a clause. */
  private sentence(incompat: Incompat<S, D>): string {
    const { root } = this.describer
    let hasRoot = false
    const positives: string[] = []
    const negatives: string[] = []
    incompat.packages.forEach((pkg, i) => {
      const term = incompat.terms[i]! as Term<S>
      if (pkg === root) {
        if (term.positive) hasRoot = true
        return
      }
      ;(term.positive ? positives : negatives).push(this.describer.describeSet(pkg, term.set, term.positive))
    })
    if (positives.length === 0 && negatives.length === 0) return hasRoot ? 'your requirements cannot be satisfied' : 'no versions can be chosen'
    if (hasRoot) {
      if (positives.length === 0) return `you require ${join(negatives, 'and')}`
      if (negatives.length === 0) return `${join(positives, 'and')} cannot be used with your requirements`
      return `your requirements and ${join(positives, 'and')} require ${join(negatives, 'or')}`
    }
    if (negatives.length === 0) {
      if (positives.length === 1) return `${positives[0]} cannot be used`
      if (positives.length === 2) return `${positives[0]} is incompatible with ${positives[1]}`
      return `${join(positives, 'and')} are incompatible`
    }
    if (positives.length === 0) return `${join(negatives, 'or')} is required`
    return `${join(positives, 'and')} ${positives.length === 1 ? 'requires' : 'together require'} ${join(negatives, 'or')}`
  }
}

/** "you require a" and "you require b" read as "you require a and b". */
function both(first: string, second: string): string {
  for (const lead of ['you require ', 'your constraints require ']) {
    if (first.startsWith(lead) && second.startsWith(lead)) return `${first} and ${second.slice(lead.length)}`
  }
  return `${first} and ${second}`
}

function join(items: readonly string[], word: string): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} ${word} ${items[items.length - 1]}`
}

function capitalize(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1)
}
