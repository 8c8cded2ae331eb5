/**
 * The PEP 508 grammar, as a hand-written recursive-descent parser that gives
 * the same answers as packaging 23.0's `_parser.py`/`_tokenizer.py`.
 *
 * How it works. packaging tokenizes lazily with one regular expression per
 * token kind, tried at the current position only when the grammar asks for
 * that kind. We do the same, but every token kind is matched by a small
 * function that scans character codes; none backtracks more than a bounded
 * amount, so parsing is linear in the input (the fuzz test shows it). The
 * details that decide edge cases are kept on purpose:
 *
 * - `\b` word boundaries with Python's Unicode notion of a word character
 *   (names, variables, `and`/`or`/`in`/`not`), so `fooé` is not a name;
 * - `$` also matches before a final newline, so `"name\n"` is valid;
 * - the SPECIFIER token is packaging's `Specifier` regular expression matched
 *   as a prefix (case-insensitive, including the look-behinds that choose the
 *   version grammar from the operator), re-implemented as a scanner;
 * - quoted strings are Python literals evaluated like `ast.literal_eval`;
 * - error messages and spans are packaging's, so the caret lands on the
 *   same column.
 *
 * The parser returns plain data; `requirement.ts` and `marker.ts` build the
 * immutable public objects (and check URLs) from it.
 */
import {
  isDigit,
  isLetterIgnoreCase,
  isPythonSpace,
  isWordBoundary,
  matchesLetterIgnoreCase,
} from './chars.js'
import { decodePythonStringBody } from './python-string.js'

export type MarkerOperator = '===' | '==' | '~=' | '!=' | '<=' | '>=' | '<' | '>' | 'in' | 'not in'

/** A variable (normalized name, e.g. `os_name`) or a string value. */
export interface MarkerOperand {
  readonly kind: 'variable' | 'value'
  readonly value: string
}

export interface MarkerItem {
  readonly kind: 'item'
  readonly lhs: MarkerOperand
  readonly op: MarkerOperator
  readonly rhs: MarkerOperand
}

/** packaging's marker list: atoms (items or nested lists) separated by 'and'/'or'. */
export type MarkerList = Array<MarkerItem | MarkerList | 'and' | 'or'>

export interface ParsedRequirement {
  readonly name: string
  readonly url: string
  readonly urlStart: number
  readonly extras: string[]
  /** The specifier tokens and commas as written (without the spaces between tokens). */
  readonly specifier: string
  readonly marker: MarkerList | null
}

/** A syntax error at [start, end] (UTF-16 indexes); the caller wraps it in its own error. */
export class SyntaxFailure {
  constructor(
    readonly reason: string,
    readonly start: number,
    readonly end: number,
  ) {}
}

const OPERATORS: readonly string[] = ['===', '==', '~=', '!=', '<=', '>=', '<', '>']
const SPECIFIER_OPERATORS: readonly string[] = ['~=', '==', '!=', '<=', '>=', '<', '>', '===']
const PRE_WORDS = ['alpha', 'beta', 'preview', 'pre', 'a', 'b', 'c', 'rc'].map(codes)
const POST_WORDS = ['post', 'rev', 'r'].map(codes)
const DEV_WORD = codes('dev')

function codes(word: string): number[] {
  return [...word].map((c) => c.charCodeAt(0))
}

/** The variables PEP 508 knows, with the legacy dotted spellings packaging accepts. */
const VARIABLES: readonly string[] = [
  'python_version',
  'python_full_version',
  'os.name',
  'os_name',
  'sys.platform',
  'sys_platform',
  'platform_release',
  'platform_system',
  'platform.version',
  'platform_version',
  'platform.machine',
  'platform_machine',
  'platform.python_implementation',
  'platform_python_implementation',
  'python_implementation',
  'implementation_name',
  'implementation_version',
  'extra',
]

function isNameChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 46 ||
    code === 45 ||
    code === 95
  )
}

function isAsciiAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122)
}

function isVersionSeparator(code: number): boolean {
  return code === 45 || code === 95 || code === 46
}

/** Deepest parenthesis nesting accepted in a marker (packaging fails near 490 levels). */
const MAX_NESTING = 200

class Parser {
  position = 0
  depth = 0
  readonly length: number

  constructor(readonly source: string) {
    this.length = source.length
  }

  fail(reason: string, start: number = this.position, end: number = this.position): never {
    throw new SyntaxFailure(reason, start, end)
  }

  // ---- token matchers: each returns the end of the token at `at`, or -1 ----

  matchWs(at: number): number {
    const s = this.source
    let i = at
    while (i < this.length) {
      const c = s.charCodeAt(i)
      if (c !== 32 && c !== 9) break
      i++
    }
    return i > at ? i : -1
  }

  consumeWs(): void {
    const end = this.matchWs(this.position)
    if (end !== -1) this.position = end
  }

  isEnd(at: number): boolean {
    return at === this.length || (at === this.length - 1 && this.source.charCodeAt(at) === 10)
  }

  matchIdentifier(at: number): number {
    const s = this.source
    if (at >= this.length || !isAsciiAlnum(s.charCodeAt(at)) || !isWordBoundary(s, at)) return -1
    let end = at + 1
    while (end < this.length && isNameChar(s.charCodeAt(end))) end++
    // `\b` must hold at the end: give back trailing characters until it does.
    for (let e = end; e > at; e--) if (isWordBoundary(s, e)) return e
    return -1
  }

  matchKeyword(at: number, word: string): number {
    const end = at + word.length
    if (!this.source.startsWith(word, at) || !isWordBoundary(this.source, at) || !isWordBoundary(this.source, end)) return -1
    return end
  }

  matchVariable(at: number): [end: number, name: string] | undefined {
    const s = this.source
    if (!isWordBoundary(s, at)) return undefined
    const first = s.charCodeAt(at)
    if (first !== 112 && first !== 111 && first !== 115 && first !== 105 && first !== 101) return undefined // p o s i e
    for (const name of VARIABLES) {
      if (s.startsWith(name, at) && isWordBoundary(s, at + name.length)) return [at + name.length, name]
    }
    return undefined
  }

  matchOp(at: number): string | undefined {
    const c = this.source.charCodeAt(at)
    if (c !== 61 && c !== 126 && c !== 33 && c !== 60 && c !== 62) return undefined
    for (const op of OPERATORS) if (this.source.startsWith(op, at)) return op
    return undefined
  }

  matchQuotedString(at: number): number {
    const quote = this.source.charCodeAt(at)
    if (quote !== 34 && quote !== 39) return -1
    const close = this.source.indexOf(quote === 34 ? '"' : "'", at + 1)
    return close === -1 ? -1 : close + 1
  }

  matchUrl(at: number): number {
    const s = this.source
    let i = at
    while (i < this.length) {
      const c = s.charCodeAt(i)
      if (c === 32 || c === 9) break
      i++
    }
    return i > at ? i : -1
  }

  // ---- SPECIFIER: packaging's Specifier regex (operator + version), IGNORECASE, as a prefix ----

  matchSpecifier(at: number): number {
    const s = this.source
    const c = s.charCodeAt(at)
    if (c !== 61 && c !== 126 && c !== 33 && c !== 60 && c !== 62) return -1
    for (const op of SPECIFIER_OPERATORS) {
      if (!s.startsWith(op, at)) continue
      const end = this.matchSpecifierVersion(at + op.length)
      if (end !== -1) return end
    }
    return -1
  }

  /** The version part; which grammar applies is chosen by look-behind on the text before `at`. */
  matchSpecifierVersion(at: number): number {
    const s = this.source
    const c1 = at >= 2 ? s.charCodeAt(at - 2) : -1
    const c2 = at >= 1 ? s.charCodeAt(at - 1) : -1
    // (?<====) \s* [^\s;)]*
    if (c2 === 61 && c1 === 61 && at >= 3 && s.charCodeAt(at - 3) === 61) {
      let i = this.skipPythonSpace(at)
      while (i < this.length) {
        const code = s.charCodeAt(i)
        if (code === 59 || code === 41 || isPythonSpace(code)) break
        i++
      }
      return i
    }
    const equality = c2 === 61 && (c1 === 61 || c1 === 33) // == or !=
    const compatible = c2 === 61 && c1 === 126 // ~=
    if (equality) return this.matchEqualityVersion(at)
    if (compatible) return this.matchReleaseVersion(at, true)
    return this.matchReleaseVersion(at, false)
  }

  skipPythonSpace(at: number): number {
    let i = at
    while (i < this.length && isPythonSpace(this.source.charCodeAt(i))) i++
    return i
  }

  /** \s* v? (?:[0-9]+!)? [0-9]+(?:\.[0-9]+)* : returns the end of the release, or -1. */
  matchVersionStart(at: number, twoParts: boolean): number {
    const s = this.source
    let i = this.skipPythonSpace(at)
    const v = s.charCodeAt(i)
    if (v === 118 || v === 86) i++
    // Epoch: digits followed by "!" (and then a release), else no epoch.
    let j = i
    while (j < this.length && isDigit(s.charCodeAt(j))) j++
    if (j > i && s.charCodeAt(j) === 33 && isDigit(s.charCodeAt(j + 1))) i = j + 1
    // Release.
    let k = i
    while (k < this.length && isDigit(s.charCodeAt(k))) k++
    if (k === i) return -1
    let parts = 1
    while (s.charCodeAt(k) === 46 && isDigit(s.charCodeAt(k + 1))) {
      k += 2
      while (k < this.length && isDigit(s.charCodeAt(k))) k++
      parts++
    }
    if (twoParts && parts < 2) return -1
    return k
  }

  /** Optional [-_.] then one of `words` (case-insensitive), else -1. */
  matchLetterWord(at: number, words: readonly number[][]): number {
    if (isVersionSeparator(this.source.charCodeAt(at))) {
      const end = this.matchWordAt(at + 1, words)
      if (end !== -1) return end
    }
    return this.matchWordAt(at, words)
  }

  matchWordAt(start: number, words: readonly number[][]): number {
    const s = this.source
    const first = s.charCodeAt(start)
    if (!isLetterIgnoreCase(first)) return -1
    for (const word of words) {
      if (start + word.length > this.length) continue
      let ok = true
      for (let w = 0; ok && w < word.length; w++) ok = matchesLetterIgnoreCase(s.charCodeAt(start + w), word[w]!)
      if (ok) return start + word.length
    }
    return -1
  }

  /** [-_.]? [0-9]* after a pre/post/dev word. */
  skipSeparatorAndDigits(at: number): number {
    const s = this.source
    let i = at
    if (isVersionSeparator(s.charCodeAt(i))) i++
    while (i < this.length && isDigit(s.charCodeAt(i))) i++
    return i
  }

  /** pre? post? dev? after the release. */
  matchSuffixes(at: number): number {
    const s = this.source
    let i = at
    const pre = this.matchLetterWord(i, PRE_WORDS)
    if (pre !== -1) i = this.skipSeparatorAndDigits(pre)
    // post: (?:-[0-9]+) | (?:[-_.]?(post|rev|r)[-_.]?[0-9]*)
    if (s.charCodeAt(i) === 45 && isDigit(s.charCodeAt(i + 1))) {
      i += 2
      while (i < this.length && isDigit(s.charCodeAt(i))) i++
    } else {
      const post = this.matchLetterWord(i, POST_WORDS)
      if (post !== -1) i = this.skipSeparatorAndDigits(post)
    }
    const dev = this.matchLetterWord(i, [DEV_WORD])
    if (dev !== -1) i = this.skipSeparatorAndDigits(dev)
    return i
  }

  matchReleaseVersion(at: number, twoParts: boolean): number {
    const release = this.matchVersionStart(at, twoParts)
    return release === -1 ? -1 : this.matchSuffixes(release)
  }

  matchEqualityVersion(at: number): number {
    const s = this.source
    const release = this.matchVersionStart(at, false)
    if (release === -1) return -1
    if (s.charCodeAt(release) === 46 && s.charCodeAt(release + 1) === 42) return release + 2 // .*
    let i = this.matchSuffixes(release)
    // local: \+[a-z0-9]+(?:[-_.][a-z0-9]+)*
    if (s.charCodeAt(i) === 43 && isLocalChar(s.charCodeAt(i + 1))) {
      i += 2
      while (i < this.length && isLocalChar(s.charCodeAt(i))) i++
      while (isVersionSeparator(s.charCodeAt(i)) && isLocalChar(s.charCodeAt(i + 1))) {
        i += 2
        while (i < this.length && isLocalChar(s.charCodeAt(i))) i++
      }
    }
    return i
  }

  // ---- grammar ----

  expectEnd(expected: string): void {
    if (!this.isEnd(this.position)) this.fail(`Expected ${expected}`)
  }

  parseRequirement(): ParsedRequirement {
    this.consumeWs()
    const nameStart = this.position
    const nameEnd = this.matchIdentifier(nameStart)
    if (nameEnd === -1) this.fail('Expected package name at the start of dependency specifier')
    const name = this.source.slice(nameStart, nameEnd)
    this.position = nameEnd
    this.consumeWs()
    const extras = this.parseExtras()
    this.consumeWs()

    let url = ''
    let urlStart = -1
    let specifier = ''
    let marker: MarkerList | null = null
    if (this.source.charCodeAt(this.position) === 64 /* @ */) {
      this.position++
      this.consumeWs()
      urlStart = this.position
      const urlEnd = this.matchUrl(urlStart)
      if (urlEnd === -1) this.fail('Expected URL after @')
      url = this.source.slice(urlStart, urlEnd)
      this.position = urlEnd
      if (!this.isEnd(this.position)) {
        const wsEnd = this.matchWs(this.position)
        if (wsEnd === -1) this.fail('Expected whitespace after URL')
        this.position = wsEnd
        if (!this.isEnd(this.position)) marker = this.parseRequirementMarker(urlStart, 'URL and whitespace')
      }
    } else {
      const specifierStart = this.position
      specifier = this.parseSpecifier()
      this.consumeWs()
      if (!this.isEnd(this.position)) {
        marker = this.parseRequirementMarker(
          specifierStart,
          specifier !== '' ? 'version specifier' : 'name and no valid version specifier',
        )
      }
    }
    this.expectEnd('end of dependency specifier')
    return { name, url, urlStart, extras, specifier, marker }
  }

  parseRequirementMarker(spanStart: number, after: string): MarkerList {
    if (this.source.charCodeAt(this.position) !== 59 /* ; */) {
      this.fail(`Expected end or semicolon (after ${after})`, spanStart)
    }
    this.position++
    const marker = this.parseMarker()
    this.consumeWs()
    return marker
  }

  parseExtras(): string[] {
    if (this.source.charCodeAt(this.position) !== 91 /* [ */) return []
    const open = this.position
    this.position++
    this.consumeWs()
    const extras = this.parseExtrasList()
    this.consumeWs()
    if (this.source.charCodeAt(this.position) !== 93 /* ] */) this.fail('Expected closing RIGHT_BRACKET', open)
    this.position++
    return extras
  }

  parseExtrasList(): string[] {
    const extras: string[] = []
    let end = this.matchIdentifier(this.position)
    if (end === -1) return extras
    extras.push(this.source.slice(this.position, end))
    this.position = end
    for (;;) {
      this.consumeWs()
      if (this.matchIdentifier(this.position) !== -1) this.fail('Expected comma between extra names')
      if (this.source.charCodeAt(this.position) !== 44 /* , */) break
      this.position++
      this.consumeWs()
      end = this.matchIdentifier(this.position)
      if (end === -1) this.fail('Expected extra name after comma')
      extras.push(this.source.slice(this.position, end))
      this.position = end
    }
    return extras
  }

  parseSpecifier(): string {
    if (this.source.charCodeAt(this.position) !== 40 /* ( */) {
      this.consumeWs()
      const specifier = this.parseVersionMany()
      this.consumeWs()
      return specifier
    }
    const open = this.position
    this.position++
    this.consumeWs()
    const specifier = this.parseVersionMany()
    this.consumeWs()
    if (this.source.charCodeAt(this.position) !== 41 /* ) */) this.fail('Expected closing RIGHT_PARENTHESIS', open)
    this.position++
    return specifier
  }

  parseVersionMany(): string {
    let specifier = ''
    for (;;) {
      const end = this.matchSpecifier(this.position)
      if (end === -1) break
      specifier += this.source.slice(this.position, end)
      this.position = end
      this.consumeWs()
      if (this.source.charCodeAt(this.position) !== 44 /* , */) break
      specifier += ','
      this.position++
      this.consumeWs()
    }
    return specifier
  }

  parseMarker(): MarkerList {
    const expression: MarkerList = [this.parseMarkerAtom()]
    for (;;) {
      let end = this.matchKeyword(this.position, 'or')
      let word: 'and' | 'or' = 'or'
      if (end === -1) {
        end = this.matchKeyword(this.position, 'and')
        word = 'and'
      }
      if (end === -1) break
      this.position = end
      expression.push(word, this.parseMarkerAtom())
    }
    return expression
  }

  parseMarkerAtom(): MarkerItem | MarkerList {
    this.consumeWs()
    let marker: MarkerItem | MarkerList
    if (this.source.charCodeAt(this.position) === 40 /* ( */) {
      const open = this.position
      // packaging would hit Python's recursion limit a little deeper; we stop cleanly.
      if (++this.depth > MAX_NESTING) this.fail(`Marker expression nested more than ${MAX_NESTING} parentheses deep`, open)
      this.position++
      this.consumeWs()
      marker = this.parseMarker()
      this.depth--
      this.consumeWs()
      if (this.source.charCodeAt(this.position) !== 41 /* ) */) this.fail('Expected closing RIGHT_PARENTHESIS', open)
      this.position++
    } else {
      marker = this.parseMarkerItem()
    }
    this.consumeWs()
    return marker
  }

  parseMarkerItem(): MarkerItem {
    this.consumeWs()
    const lhs = this.parseMarkerVar()
    this.consumeWs()
    const op = this.parseMarkerOp()
    this.consumeWs()
    const rhs = this.parseMarkerVar()
    this.consumeWs()
    return { kind: 'item', lhs, op, rhs }
  }

  parseMarkerVar(): MarkerOperand {
    const variable = this.matchVariable(this.position)
    if (variable !== undefined) {
      this.position = variable[0]
      let name = variable[1].replace('.', '_')
      if (name === 'python_implementation') name = 'platform_python_implementation'
      return { kind: 'variable', value: name }
    }
    const end = this.matchQuotedString(this.position)
    if (end !== -1) {
      const value = decodePythonStringBody(this.source.slice(this.position + 1, end - 1))
      if (value === undefined) this.fail('Invalid Python string literal', this.position, end)
      this.position = end
      return { kind: 'value', value }
    }
    return this.fail('Expected a marker variable or quoted string')
  }

  parseMarkerOp(): MarkerOperator {
    let end = this.matchKeyword(this.position, 'in')
    if (end !== -1) {
      this.position = end
      return 'in'
    }
    end = this.matchKeyword(this.position, 'not')
    if (end !== -1) {
      this.position = end
      const wsEnd = this.matchWs(this.position)
      if (wsEnd === -1) this.fail("Expected whitespace after 'not'")
      this.position = wsEnd
      end = this.matchKeyword(this.position, 'in')
      if (end === -1) this.fail("Expected 'in' after 'not'")
      this.position = end
      return 'not in'
    }
    const op = this.matchOp(this.position)
    if (op !== undefined) {
      this.position += op.length
      return op as MarkerOperator
    }
    return this.fail('Expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in')
  }
}

function isLocalChar(code: number): boolean {
  return isDigit(code) || isLetterIgnoreCase(code)
}

/** Parses a PEP 508 requirement; throws {@link SyntaxFailure}. */
export function parseRequirementSyntax(source: string): ParsedRequirement {
  return new Parser(source).parseRequirement()
}

/**
 * Parses a marker expression that must fill the whole input (packaging >= 23.1
 * and pip 26 check the end; 23.0 ignored trailing text). Throws {@link SyntaxFailure}.
 */
export function parseMarkerSyntax(source: string): MarkerList {
  const parser = new Parser(source)
  const marker = parser.parseMarker()
  parser.expectEnd('end of marker expression')
  return marker
}
