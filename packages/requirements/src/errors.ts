import { PipetteError } from '@pipette/errors'
import { redactText } from '@pipette/errors'
import { codePointColumn } from './chars.js'

const REQUIREMENT_HINT =
  'A requirement looks like: name[extra1,extra2]>=1.0,<2; python_version >= "3.8"  or  name @ https://example.com/name-1.0.tar.gz'
const MARKER_HINT = 'A marker looks like: python_version >= "3.8" and (sys_platform == "linux" or extra == "test")'

/** Where in the input a syntax error is: start and end columns (code points), the caret goes under `end`. */
export type Span = readonly [start: number, end: number]

/**
 * Formats a syntax error as packaging does: the reason, then the input, then a
 * line with `~` under the span and `^` at its end. Credentials in URLs are hidden.
 */
export function formatSyntaxError(reason: string, source: string, start: number, end: number): string {
  const shown = redactText(source)
  let from = codePointColumn(source, start)
  let to = codePointColumn(source, end)
  if (shown !== source) {
    // Redaction changes the length of the text before the span ends; measure the redacted prefixes.
    const before = redactText(source.slice(0, start))
    const through = redactText(source.slice(0, end))
    from = codePointColumn(before, before.length)
    to = Math.max(from, codePointColumn(through, through.length))
  }
  const marker = ' '.repeat(from) + '~'.repeat(Math.max(0, to - from)) + '^'
  return [reason, shown, marker].join('\n    ')
}

interface SyntaxErrorFields {
  /** packaging's message, e.g. `Expected end or semicolon (after version specifier)`. */
  readonly reason: string
  readonly source: string
  /** Start and end of the problem in code points (Python's indexes), as packaging's `span`. */
  readonly span: Span
}

type SyntaxErrorInput = { reason: string; source: string; start: number; end: number; cause?: unknown }

/** What InvalidRequirementError and InvalidMarkerError share: the message with a caret, and packaging's span. */
abstract class PepSyntaxError extends PipetteError implements SyntaxErrorFields {
  readonly reason: string
  readonly source: string
  readonly span: Span

  protected constructor(kind: { code: string; what: string; hint: string }, fields: SyntaxErrorInput) {
    const column = codePointColumn(fields.source, fields.end) + 1
    super(
      kind.code,
      `Invalid ${kind.what} at column ${column}: ${formatSyntaxError(fields.reason, fields.source, fields.start, fields.end)}`,
      { hint: kind.hint, cause: fields.cause },
    )
    this.reason = fields.reason
    this.source = fields.source
    this.span = Object.freeze([codePointColumn(fields.source, fields.start), codePointColumn(fields.source, fields.end)] as const)
  }
}

/** A requirement string that is not valid PEP 508 (as packaging's InvalidRequirement). */
export class InvalidRequirementError extends PepSyntaxError {
  constructor(fields: SyntaxErrorInput) {
    super({ code: 'ERR_INVALID_REQUIREMENT', what: 'requirement', hint: REQUIREMENT_HINT }, fields)
  }
}

/** A marker expression that is not valid PEP 508 (as packaging's InvalidMarker). */
export class InvalidMarkerError extends PepSyntaxError {
  constructor(fields: SyntaxErrorInput) {
    super({ code: 'ERR_INVALID_MARKER', what: 'marker', hint: MARKER_HINT }, fields)
  }
}

/**
 * Why a marker could not be evaluated:
 * - `undefined-comparison`: packaging's UndefinedComparison (`~=` between non-versions);
 * - `invalid-version`: the operator and right side form a version specifier but the
 *   left side is not a PEP 440 version (packaging 23.0 raises InvalidVersion);
 * - `undefined-name`: the environment lacks the variable (packaging raises KeyError).
 */
export type MarkerEvaluationReason = 'undefined-comparison' | 'invalid-version' | 'undefined-name'

const EVALUATION_CODES: Record<MarkerEvaluationReason, string> = {
  'undefined-comparison': 'ERR_MARKER_UNDEFINED_COMPARISON',
  'invalid-version': 'ERR_MARKER_INVALID_VERSION',
  'undefined-name': 'ERR_MARKER_UNDEFINED_NAME',
}

/** A marker that is valid but cannot be evaluated in the given environment. */
export class MarkerEvaluationError extends PipetteError {
  readonly reason: MarkerEvaluationReason
  readonly marker: string

  constructor(fields: { reason: MarkerEvaluationReason; marker: string; message: string; hint: string; cause?: unknown }) {
    super(EVALUATION_CODES[fields.reason], `Cannot evaluate marker '${redactText(fields.marker)}': ${fields.message}`, {
      hint: fields.hint,
      cause: fields.cause,
    })
    this.reason = fields.reason
    this.marker = fields.marker
  }
}
