/**
 * PEP 508 environment markers: parsing, evaluation and formatting, with the
 * answers of packaging 23.0.
 *
 * A marker is kept as packaging keeps it: a list of atoms (a comparison or a
 * parenthesized sub-list) separated by `and`/`or`. Evaluation follows
 * packaging step by step, including its corner cases, because pip uses it and
 * we must agree with pip on which dependencies apply:
 *
 * - a comparison looks up whichever side is a variable; the other side is
 *   taken literally (so `"3.8" < python_version` works, and two literals make
 *   packaging look up the right literal as a variable name);
 * - if the operator and the right-hand value form a valid PEP 440 specifier,
 *   the left value is compared as a version (pre-releases allowed), and an
 *   invalid left version is an error; otherwise `in`, `not in` and the
 *   comparison operators compare strings (by code point); `~=` and `===`
 *   between non-versions are an error (UndefinedComparison);
 * - `extra` values are normalized (PEP 685) on both sides before comparing;
 * - every comparison is evaluated (no short-circuit), so an error anywhere in
 *   the expression is reported, as packaging does; `and` binds tighter than `or`.
 *
 * Evaluating with a set of extras follows pip: with no extras the marker is
 * evaluated once with `extra == ""`, otherwise once per extra and the results
 * are or-ed (pip's `iter_dependencies`/`match_markers`).
 */
import { canonicalizeName } from './names.js'
import { compareCodePoints } from './chars.js'
import { InvalidMarkerError, MarkerEvaluationError } from './errors.js'
import { parseMarkerSyntax, SyntaxFailure } from './parser.js'
import type { MarkerItem, MarkerList, MarkerOperand, MarkerOperator } from './parser.js'
import { matchVersionSpecifier } from './specifier-match.js'

export type { MarkerOperator } from './parser.js'

/** The PEP 508 marker variables (with `extra`), as packaging's `default_environment()` plus `extra`. */
export interface MarkerEnvironment {
  readonly implementation_name: string
  readonly implementation_version: string
  readonly os_name: string
  readonly platform_machine: string
  readonly platform_release: string
  readonly platform_system: string
  readonly platform_version: string
  readonly python_full_version: string
  readonly platform_python_implementation: string
  readonly python_version: string
  readonly sys_platform: string
  readonly extra?: string | null | undefined
}

/** What `evaluate` accepts: any mapping of variable names to strings (`extra` may be null). */
export type MarkerEnvironmentInput = MarkerEnvironment | Readonly<Record<string, string | null | undefined>>

export interface EvaluateOptions {
  /**
   * The extras requested for the distribution whose dependency this is. When
   * given, the marker is true if it is true for one of them (`extra == "x"`
   * holds when `x` is requested); an empty list evaluates with `extra = ""`.
   * When absent, the environment's own `extra` (default `""`) is used.
   */
  readonly extras?: Iterable<string> | undefined
}

/** A parsed marker. Immutable; `toString()` gives packaging's `str(marker)`. */
export class Marker {
  /** @internal packaging's marker list. */
  readonly #markers: MarkerList
  #text: string | undefined

  /** @internal use {@link parseMarker}. */
  constructor(markers: MarkerList) {
    this.#markers = markers
    Object.freeze(this)
  }

  /**
   * Evaluates the marker in `environment` (see {@link markerEnvironment}).
   * Throws {@link MarkerEvaluationError} where packaging raises.
   *
   * @example parseMarker('python_version >= "3.8"').evaluate(env) // true on 3.11
   * @example parseMarker('extra == "socks"').evaluate(env, { extras: ['socks'] }) // true
   */
  evaluate(environment: MarkerEnvironmentInput, options: EvaluateOptions = {}): boolean {
    const lookup = environment as Readonly<Record<string, string | null | undefined>>
    if (options.extras === undefined) {
      const extra = lookup['extra']
      return evaluateList(this.#markers, lookup, extra === undefined || extra === null ? '' : extra, this)
    }
    let evaluated = false
    for (const extra of options.extras) {
      evaluated = true
      // pip: any(marker.evaluate({"extra": e}) for e in extras), which stops at the first true.
      if (evaluateList(this.#markers, lookup, extra, this)) return true
    }
    return evaluated ? false : evaluateList(this.#markers, lookup, '', this)
  }

  /** The normalized extra names this marker compares `extra` with (e.g. to see which extras enable it). */
  get extras(): readonly string[] {
    const found = new Set<string>()
    collectExtras(this.#markers, found)
    return Object.freeze([...found])
  }

  toString(): string {
    return (this.#text ??= formatMarker(this.#markers, true))
  }

}

/**
 * Parses a PEP 508 marker expression. Throws {@link InvalidMarkerError} with a
 * caret under the problem.
 *
 * @example parseMarker('os_name == "nt" and python_version < "3.10"')
 */
export function parseMarker(text: string): Marker {
  let markers: MarkerList
  try {
    markers = parseMarkerSyntax(text)
  } catch (error) {
    if (error instanceof SyntaxFailure) {
      throw new InvalidMarkerError({ reason: error.reason, source: text, start: error.start, end: error.end })
    }
    throw error
  }
  return markerFromList(markers)
}

/** @internal builds a Marker from a parsed list, normalizing extras as packaging does. */
export function markerFromList(markers: MarkerList): Marker {
  return new Marker(normalizeExtraValues(markers))
}

/**
 * packaging 23.0 normalizes the extra name of the first comparison of the
 * top-level list only (the others are normalized when evaluated); we keep
 * that so `toString()` matches.
 */
function normalizeExtraValues(markers: MarkerList): MarkerList {
  const first = markers[0]
  if (first === undefined || typeof first === 'string' || Array.isArray(first)) return markers
  const item = first as MarkerItem
  let { lhs, rhs } = item
  if (lhs.kind === 'variable' && lhs.value === 'extra') rhs = { kind: 'value', value: canonicalizeName(rhs.value) }
  else if (rhs.kind === 'variable' && rhs.value === 'extra') lhs = { kind: 'value', value: canonicalizeName(lhs.value) }
  else return markers
  return [{ kind: 'item', lhs, op: item.op, rhs }, ...markers.slice(1)]
}

function serializeOperand(operand: MarkerOperand): string {
  return operand.kind === 'variable' ? operand.value : `"${operand.value}"`
}

/** packaging's `_format_marker` (a one-element list prints as its element, without parentheses). */
function formatMarker(marker: MarkerList | MarkerItem | string, first: boolean): string {
  if (typeof marker === 'string') return marker
  if (!Array.isArray(marker)) {
    const item = marker as MarkerItem
    return `${serializeOperand(item.lhs)} ${item.op} ${serializeOperand(item.rhs)}`
  }
  if (marker.length === 1 && typeof marker[0] !== 'string') return formatMarker(marker[0]!, true)
  const inner = marker.map((m) => formatMarker(m, false)).join(' ')
  return first ? inner : `(${inner})`
}

function collectExtras(markers: MarkerList, found: Set<string>): void {
  for (const m of markers) {
    if (typeof m === 'string') continue
    if (Array.isArray(m)) collectExtras(m, found)
    else {
      const item = m as MarkerItem
      if (item.lhs.kind === 'variable' && item.lhs.value === 'extra' && item.rhs.kind === 'value') found.add(canonicalizeName(item.rhs.value))
      if (item.rhs.kind === 'variable' && item.rhs.value === 'extra' && item.lhs.kind === 'value') found.add(canonicalizeName(item.lhs.value))
    }
  }
}

function lookupVariable(
  environment: Readonly<Record<string, string | null | undefined>>,
  extra: string,
  name: string,
  marker: Marker,
): string {
  if (name === 'extra') return extra
  const value = Object.hasOwn(environment, name) ? environment[name] : undefined
  if (typeof value !== 'string') {
    throw new MarkerEvaluationError({
      reason: 'undefined-name',
      marker: String(marker),
      message: `the environment has no value for '${name}'`,
      hint: 'Build the environment with markerEnvironment(interpreterInfo), which sets all PEP 508 variables.',
    })
  }
  return value
}

function evaluateList(
  markers: MarkerList,
  environment: Readonly<Record<string, string | null | undefined>>,
  extra: string,
  marker: Marker,
): boolean {
  // any(all(group) for group in groups split by "or"), evaluating every item.
  let result = false
  let group = true
  for (const m of markers) {
    if (m === 'or') {
      if (group) result = true
      group = true
    } else if (m === 'and') {
      continue
    } else if (Array.isArray(m)) {
      if (!evaluateList(m, environment, extra, marker)) group = false
    } else {
      if (!evaluateItem(m as MarkerItem, environment, extra, marker)) group = false
    }
  }
  return result || group
}

function evaluateItem(
  item: MarkerItem,
  environment: Readonly<Record<string, string | null | undefined>>,
  extra: string,
  marker: Marker,
): boolean {
  let lhs: string
  let rhs: string
  let key: string
  if (item.lhs.kind === 'variable') {
    key = item.lhs.value
    lhs = lookupVariable(environment, extra, key, marker)
    rhs = item.rhs.value
  } else {
    lhs = item.lhs.value
    key = item.rhs.value
    rhs = lookupVariable(environment, extra, key, marker)
  }
  if (key === 'extra') {
    lhs = canonicalizeName(lhs)
    rhs = canonicalizeName(rhs)
  }
  return compare(lhs, item.op, rhs, marker)
}

function compare(lhs: string, op: MarkerOperator, rhs: string, marker: Marker): boolean {
  if (op !== 'in' && op !== 'not in') {
    const matched = matchVersionSpecifier(op + rhs, lhs)
    if (matched === 'invalid-version') {
      throw new MarkerEvaluationError({
        reason: 'invalid-version',
        marker: String(marker),
        message: `'${lhs}' is not a valid version to compare with '${op}${rhs}'`,
        hint: 'Version comparisons need PEP 440 versions on both sides, e.g. python_full_version >= "3.8.1".',
      })
    }
    if (matched !== 'not-a-specifier') return matched
  }
  switch (op) {
    case 'in':
      return rhs.includes(lhs)
    case 'not in':
      return !rhs.includes(lhs)
    case '==':
      return lhs === rhs
    case '!=':
      return lhs !== rhs
    case '<':
      return compareCodePoints(lhs, rhs) < 0
    case '<=':
      return compareCodePoints(lhs, rhs) <= 0
    case '>':
      return compareCodePoints(lhs, rhs) > 0
    case '>=':
      return compareCodePoints(lhs, rhs) >= 0
    default:
      throw new MarkerEvaluationError({
        reason: 'undefined-comparison',
        marker: String(marker),
        message: `'${op}' is undefined between '${lhs}' and '${rhs}' (not versions)`,
        hint: "Use '~=' and '===' only with versions, e.g. python_full_version ~= \"3.8.1\"; compare strings with == or in.",
      })
  }
}
