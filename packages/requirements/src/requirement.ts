/**
 * PEP 508 requirements: `name [extras] (specifier | @ url) ; marker`.
 *
 * The grammar lives in parser.ts; this module builds the immutable public
 * object from its output and applies packaging's extra checks: the URL check
 * (see url.ts) and the specifier set (parsed by @pipette/pep440, so that
 * `String(requirement.specifier)` is packaging's `str(req.specifier)`).
 *
 * The SpecifierSet is built on first use of `requirement.specifier`. Whether
 * it is valid is known at parse time already: every specifier token matched
 * packaging's Specifier expression in the tokenizer, which is all packaging
 * checks when it builds a Requirement (it parses versions only when
 * comparing); only a `===` token holding a comma can split into an invalid
 * part, and that rare case is parsed eagerly. pep440 parses the versions of
 * a set when it builds it, work that many requirements (filtered out by
 * their marker, or only printed) never need.
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
  /** The direct reference of `name @ url`, else null. */
  readonly url: string | null
  readonly marker: Marker | null
  #specifierText: string
  #specifier: SpecifierSet | undefined

  /** @internal use {@link parseRequirement}. */
  constructor(fields: {
    name: string
    extras: readonly string[]
    specifier: SpecifierSet | string
    url: string | null
    marker: Marker | null
  }) {
    this.name = fields.name
    this.extras = fields.extras.length === 0 ? NO_EXTRAS : Object.freeze([...new Set(fields.extras)].sort())
    if (typeof fields.specifier === 'string') {
      this.#specifierText = fields.specifier
      this.#specifier = undefined
    } else {
      this.#specifierText = ''
      this.#specifier = fields.specifier
    }
    this.url = fields.url
    this.marker = fields.marker
    Object.freeze(this)
  }

  /** The version specifiers (`>=1,<2`), a SpecifierSet from @pipette/pep440; empty for none and for `name @ url`. */
  get specifier(): SpecifierSet {
    return (this.#specifier ??= parseSpecifierSet(this.#specifierText))
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
  // Requirements are immutable, so one parse per text serves every caller: a
  // resolution reads the same Requires-Dist lines in version after version
  // of a project (thousands of parses, a few hundred distinct texts).
  let requirement = parsedRequirements.get(text)
  if (requirement === undefined) {
    requirement = parseRequirementUncached(text)
    if (parsedRequirements.size >= MEMO_LIMIT) parsedRequirements.clear()
    parsedRequirements.set(text, requirement)
  }
  return requirement
}

/** Parsed requirements by text (bounded: cleared when full). Failures are not kept: they throw again. */
const MEMO_LIMIT = 4096
const parsedRequirements = new Map<string, Requirement>()

function parseRequirementUncached(text: string): Requirement {
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
  let specifier: SpecifierSet | string = parsed.specifier
  try {
    // Only a `===` version can hold a comma (and split into an invalid part): check those now.
    if (parsed.specifier.includes('===') && parsed.specifier.includes(',')) specifier = parseSpecifierSet(parsed.specifier)
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
