/**
 * PEP 508 requirements: `name [extras] (specifier | @ url) ; marker`.
 *
 * The grammar lives in parser.ts; this module builds the immutable public
 * object from its output and applies packaging's extra checks: the URL check
 * (see url.ts) and the specifier set (parsed by @pipette/pep440, so that
 * `String(requirement.specifier)` is packaging's `str(req.specifier)`).
 */
import { parseSpecifierSet } from '@pipette/pep440'
import type { SpecifierSet } from '@pipette/pep440'
import { InvalidRequirementError } from './errors.js'
import { markerFromList } from './marker.js'
import type { Marker } from './marker.js'
import { parseRequirementSyntax, SyntaxFailure } from './parser.js'
import { checkRequirementUrl } from './url.js'

const NO_EXTRAS: readonly string[] = Object.freeze([])

/** A parsed PEP 508 requirement. Immutable. */
export class Requirement {
  /** The project name as written (see canonicalizeName for comparisons). */
  readonly name: string
  /** The extras as written, without duplicates, sorted (packaging keeps a set). */
  readonly extras: readonly string[]
  readonly specifier: SpecifierSet
  /** The direct reference of `name @ url`, else null. */
  readonly url: string | null
  readonly marker: Marker | null

  /** @internal use {@link parseRequirement}. */
  constructor(fields: {
    name: string
    extras: readonly string[]
    specifier: SpecifierSet
    url: string | null
    marker: Marker | null
  }) {
    this.name = fields.name
    this.extras = fields.extras.length === 0 ? NO_EXTRAS : Object.freeze([...new Set(fields.extras)].sort())
    this.specifier = fields.specifier
    this.url = fields.url
    this.marker = fields.marker
    Object.freeze(this)
  }

  /** packaging's `str(Requirement)`, e.g. `name[a,b]<2,>=1; python_version < "3.9"`. */
  toString(): string {
    let text = this.name
    if (this.extras.length > 0) text += `[${this.extras.join(',')}]`
    const specifier = String(this.specifier)
    if (specifier !== '') text += specifier
    if (this.url !== null) {
      text += `@ ${this.url}`
      if (this.marker !== null) text += ' '
    }
    if (this.marker !== null) text += `; ${String(this.marker)}`
    return text
  }
}

/**
 * Parses a PEP 508 requirement string with packaging's rules and messages.
 * Throws {@link InvalidRequirementError} (message: the reason, the input and a
 * caret under the problem).
 *
 * @example
 * const req = parseRequirement('requests[socks]>=2.31; python_version >= "3.8"')
 * req.name // 'requests'
 * req.extras // ['socks']
 * String(req.specifier) // '>=2.31'
 * req.marker?.evaluate(env) // true
 */
export function parseRequirement(text: string): Requirement {
  let parsed
  try {
    parsed = parseRequirementSyntax(text)
  } catch (error) {
    if (error instanceof SyntaxFailure) {
      throw new InvalidRequirementError({ reason: error.reason, source: text, start: error.start, end: error.end })
    }
    throw error
  }
  let url: string | null = null
  if (parsed.url !== '') {
    const problem = checkRequirementUrl(parsed.url)
    if (problem !== undefined) {
      throw new InvalidRequirementError({
        reason: problem,
        source: text,
        start: parsed.urlStart,
        end: parsed.urlStart + parsed.url.length,
      })
    }
    url = parsed.url
  }
  let specifier: SpecifierSet
  try {
    specifier = parseSpecifierSet(parsed.specifier)
  } catch (error) {
    const start = text.indexOf(parsed.specifier.split(',')[0] ?? '')
    throw new InvalidRequirementError({
      reason: `Invalid specifier: '${parsed.specifier}'`,
      source: text,
      start: Math.max(0, start),
      end: Math.max(0, start) + parsed.specifier.length,
      cause: error,
    })
  }
  return new Requirement({
    name: parsed.name,
    extras: parsed.extras,
    specifier,
    url,
    marker: parsed.marker === null ? null : markerFromList(parsed.marker),
  })
}
