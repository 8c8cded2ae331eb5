/**
 * PEP 440 versions with exactly the answers of PyPA packaging (23.0).
 *
 * The parser is a hand-written scanner over char codes that accepts the same
 * language as packaging's `VERSION_PATTERN` (compiled with VERBOSE and
 * IGNORECASE and anchored by `^\s*` and `\s*$`). The regex is greedy and its
 * backtracking never changes the outcome here: after a pre-release word, a
 * separator followed by nothing useful can always be consumed by that word
 * (`1.0a-` is 1.0a0, `1.0a--1` is 1.0a0.post1), a longer word (`alpha`,
 * `preview`, `rev`) always wins over its prefix because nothing can follow the
 * prefix, and digits after a separator always belong to the segment before
 * them. So one left-to-right pass decides validity and extracts the parts.
 *
 * While scanning, the parser builds the comparison key (see key.ts): comparing
 * versions is one string comparison, and the specifier operators work on key
 * prefixes (the public version, the release "family").
 *
 * Where packaging follows Python rather than PEP 440 we follow packaging:
 * Unicode whitespace around the version, `İ`/`ı` accepted for `i` and `ſ` for
 * `s` (Python's IGNORECASE), which yield labels such as `previ̇ew` or `poſt`
 * that packaging keeps as distinct labels; numbers of any size (Python ints).
 */
import { isDigit, isLocalChar, isPyWhitespace, isSeparator } from './chars.js'
import { InvalidVersionError } from './errors.js'
import type { Num } from './key.js'
import {
  AFTER_LOCALS,
  DEV_NONE,
  DEV_SOME,
  encodeNumber,
  LOCAL_NUMBER,
  LOCAL_WORD,
  POST_NONE,
  POST_SOME,
  PRE_DEV_ONLY,
  PRE_NONE,
  PRE_SOME,
  RELEASE_END,
  WORD_END,
} from './key.js'

/** The normalized pre-release label: `a`, `b` or `rc` (or an exotic spelling packaging keeps, see the module comment). */
export type PreLabel = 'a' | 'b' | 'rc' | (string & {})

/** Exact values of the numeric parts, kept only when one is beyond Number.MAX_SAFE_INTEGER. */
interface ExactNumbers {
  readonly epoch: Num
  readonly release: readonly Num[]
  readonly pre: Num | null
  readonly post: Num | null
  readonly dev: Num | null
}

/**
 * A parsed PEP 440 version. Immutable; build one with `parseVersion` or
 * `tryParseVersion`. `toString()` is packaging's `str(Version)`.
 *
 * Numbers above `Number.MAX_SAFE_INTEGER` (packaging accepts any size) are
 * exact in ordering, equality and `toString()`, but the numeric fields show
 * the nearest double.
 */
export class Version {
  /** The epoch (`1!2.0` has epoch 1); 0 when absent. */
  readonly epoch: number
  /** The release numbers, trailing zeros included (`1.0` is [1, 0]). */
  readonly release: readonly number[]
  /** The pre-release label and number (`1.0rc1` is ['rc', 1]), or null. */
  readonly pre: readonly [PreLabel, number] | null
  /** The post-release number (`1.0.post2` is 2, `1.0-3` is 3), or null. */
  readonly post: number | null
  /** The development release number (`1.0.dev4` is 4), or null. */
  readonly dev: number | null
  /** The normalized local segment (`1.0+Ubuntu-1` is 'ubuntu.1'), or null. */
  readonly local: string | null
  /**
   * An opaque comparison key: `a.key < b.key` exactly when version a sorts
   * before version b, and equal keys mean equal versions (`1.0` and `1.0.0`).
   * Use it to sort or to key a Map by version equality.
   */
  readonly key: string

  /** @internal key length of the public part (without `+local`). */
  readonly _publicLength: number
  /** @internal key length of the family prefix (epoch and release). */
  readonly _familyLength: number
  /** @internal the post label as packaging keeps it ('post', or 'poſt'). */
  readonly _postLabel: string | null
  /** @internal exact numbers when some are too big for a double. */
  readonly _exact: ExactNumbers | null
  private _text: string | undefined
  private _publicKey: string | undefined
  /** @internal cache of the specifier prefix-matching split (see specifier.ts). */
  _wildcardSplit: readonly string[] | undefined

  /** @internal use `parseVersion`. */
  constructor(parts: {
    readonly epoch: number
    readonly release: readonly number[]
    readonly pre: readonly [PreLabel, number] | null
    readonly post: number | null
    readonly postLabel: string | null
    readonly dev: number | null
    readonly local: string | null
    readonly key: string
    readonly publicLength: number
    readonly familyLength: number
    readonly exact: ExactNumbers | null
  }) {
    this.epoch = parts.epoch
    this.release = parts.release
    this.pre = parts.pre
    this.post = parts.post
    this.dev = parts.dev
    this.local = parts.local
    this.key = parts.key
    this._publicLength = parts.publicLength
    this._familyLength = parts.familyLength
    this._postLabel = parts.postLabel
    this._exact = parts.exact
    this._text = undefined
    this._publicKey = undefined
    this._wildcardSplit = undefined
  }

  /** The version without its local segment, as a string (`1.0+abc` gives '1.0'). */
  get public(): string {
    const text = this.toString()
    const plus = text.indexOf('+')
    return plus === -1 ? text : text.slice(0, plus)
  }

  /** Epoch and release only (`1!2.0rc1.post3` gives '1!2.0'). */
  get baseVersion(): string {
    return formatBase(this)
  }

  /** A pre-release or a development release (`1.0a1`, `1.0.dev0`, `1.0.post1.dev2`). */
  get isPrerelease(): boolean {
    return this.pre !== null || this.dev !== null
  }

  get isPostrelease(): boolean {
    return this.post !== null
  }

  get isDevrelease(): boolean {
    return this.dev !== null
  }

  get major(): number {
    return this.release[0] ?? 0
  }

  get minor(): number {
    return this.release[1] ?? 0
  }

  get micro(): number {
    return this.release[2] ?? 0
  }

  /** @internal the key without the local part. */
  get _public(): string {
    if (this._publicLength === this.key.length) return this.key
    return (this._publicKey ??= this.key.slice(0, this._publicLength))
  }

  /** @internal the key prefix shared by every version of this epoch and release. */
  get _family(): string {
    return this.key.slice(0, this._familyLength)
  }

  /** True when both are the same version in packaging's sense (`1.0 == 1.0.0`). */
  equals(other: Version): boolean {
    return this.key === other.key
  }

  /** Exactly packaging's `str(Version)`: the normalized form. */
  toString(): string {
    return (this._text ??= format(this))
  }

  toJSON(): string {
    return this.toString()
  }
}

function formatBase(v: Version): string {
  const exact = v._exact
  const epoch = exact === null ? v.epoch : exact.epoch
  const release = exact === null ? v.release : exact.release
  const head = epoch === 0 || epoch === 0n ? '' : `${epoch}!`
  return head + release.join('.')
}

function format(v: Version): string {
  const exact = v._exact
  let text = formatBase(v)
  if (v.pre !== null) text += v.pre[0] + String(exact === null ? v.pre[1] : exact.pre)
  if (v.post !== null) text += `.post${exact === null ? v.post : exact.post}`
  if (v.dev !== null) text += `.dev${exact === null ? v.dev : exact.dev}`
  if (v.local !== null) text += `+${v.local}`
  return text
}

// ---------------------------------------------------------------------------
// The scanner. Module-level cursor state keeps the hot path allocation-free.

let src = ''
let pos = 0
let sawBig = false

const MAX_SAFE_DIGITS = 15

/** Reads the digits at `pos` (there must be at least one). */
function readNumber(): Num {
  const start = pos
  let value = 0
  let c = src.charCodeAt(pos)
  while (c >= 0x30 && c <= 0x39) {
    value = value * 10 + (c - 0x30)
    c = src.charCodeAt(++pos)
  }
  if (pos - start <= MAX_SAFE_DIGITS) return value
  const big = BigInt(src.slice(start, pos))
  if (big <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(big)
  sawBig = true
  return big
}

function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c
}

/**
 * Matches `word` (lowercase ASCII) at `at` as Python's IGNORECASE would:
 * returns -1 for no match, 0 for a plain match, 1 when `İ`/`ı` stood for `i`
 * or `ſ` for `s` (the label then keeps those characters, lowercased).
 */
function matchWord(at: number, word: string): number {
  let exotic = 0
  for (let i = 0; i < word.length; i++) {
    const c = src.charCodeAt(at + i)
    const w = word.charCodeAt(i)
    if (lower(c) === w) continue
    if (w === 0x69 && (c === 0x130 || c === 0x131)) exotic = 1
    else if (w === 0x73 && c === 0x17f) exotic = 1
    else return -1
  }
  return exotic
}

let wordLength = 0

/** The normalized pre-release label at `at`, or null; sets `wordLength`. */
function readPreLabel(at: number): string | null {
  const c = lower(src.charCodeAt(at))
  if (c === 0x61) {
    wordLength = matchWord(at, 'alpha') >= 0 ? 5 : 1
    return 'a'
  }
  if (c === 0x62) {
    wordLength = matchWord(at, 'beta') >= 0 ? 4 : 1
    return 'b'
  }
  if (c === 0x63) {
    wordLength = 1
    return 'rc'
  }
  if (c === 0x72) {
    if (lower(src.charCodeAt(at + 1)) !== 0x63) return null
    wordLength = 2
    return 'rc'
  }
  if (c === 0x70) {
    const preview = matchWord(at, 'preview')
    if (preview === 0) {
      wordLength = 7
      return 'rc'
    }
    if (preview === 1) {
      wordLength = 7
      return src.slice(at, at + 7).toLowerCase()
    }
    if (matchWord(at, 'pre') >= 0) {
      wordLength = 3
      return 'rc'
    }
  }
  return null
}

/** The post-release label at `at` ('post', or 'poſt' spelled with a long s), or null; sets `wordLength`. */
function readPostLabel(at: number): string | null {
  const c = lower(src.charCodeAt(at))
  if (c === 0x70) {
    const post = matchWord(at, 'post')
    if (post < 0) return null
    wordLength = 4
    return post === 0 ? 'post' : src.slice(at, at + 4).toLowerCase()
  }
  if (c === 0x72) {
    wordLength = matchWord(at, 'rev') >= 0 ? 3 : 1
    return 'post'
  }
  return null
}

function toDouble(n: Num): number {
  return typeof n === 'number' ? n : Number(n)
}

/** The scanner proper: a Version, or null when packaging would reject the text. */
function scan(text: string): Version | null {
  src = text
  sawBig = false
  let end = text.length
  pos = 0
  while (pos < end && isPyWhitespace(text.charCodeAt(pos))) pos++
  while (end > pos && isPyWhitespace(text.charCodeAt(end - 1))) end--
  if (pos === end) return null

  let c = text.charCodeAt(pos)
  if (c === 0x76 || c === 0x56) c = text.charCodeAt(++pos)
  if (!isDigit(c)) return null

  // Epoch and release.
  let epoch: Num = 0
  let first = readNumber()
  if (text.charCodeAt(pos) === 0x21) {
    pos++
    if (!isDigit(text.charCodeAt(pos))) return null
    epoch = first
    first = readNumber()
  }
  const release: Num[] = [first]
  while (text.charCodeAt(pos) === 0x2e && isDigit(text.charCodeAt(pos + 1))) {
    pos++
    release.push(readNumber())
  }

  // Pre-release: [-_.]? label [-_.]? digits?
  let preLabel: string | null = null
  let preNumber: Num = 0
  {
    const at = isSeparator(text.charCodeAt(pos)) ? pos + 1 : pos
    const label = readPreLabel(at)
    if (label !== null) {
      preLabel = label
      pos = at + wordLength
      if (isSeparator(text.charCodeAt(pos))) pos++
      if (isDigit(text.charCodeAt(pos))) preNumber = readNumber()
    }
  }

  // Post-release: -digits | [-_.]? (post|rev|r) [-_.]? digits?
  let postLabel: string | null = null
  let postNumber: Num = 0
  if (text.charCodeAt(pos) === 0x2d && isDigit(text.charCodeAt(pos + 1))) {
    pos++
    postLabel = 'post'
    postNumber = readNumber()
  } else {
    const at = isSeparator(text.charCodeAt(pos)) ? pos + 1 : pos
    const label = readPostLabel(at)
    if (label !== null) {
      postLabel = label
      pos = at + wordLength
      if (isSeparator(text.charCodeAt(pos))) pos++
      if (isDigit(text.charCodeAt(pos))) postNumber = readNumber()
    }
  }

  // Development release: [-_.]? dev [-_.]? digits?
  let hasDev = false
  let devNumber: Num = 0
  {
    const at = isSeparator(text.charCodeAt(pos)) ? pos + 1 : pos
    if (matchWord(at, 'dev') === 0) {
      hasDev = true
      pos = at + 3
      if (isSeparator(text.charCodeAt(pos))) pos++
      if (isDigit(text.charCodeAt(pos))) devNumber = readNumber()
    }
  }

  // The key so far: epoch, release without trailing zeros, pre, post, dev.
  let last = release.length - 1
  while (last >= 0 && (release[last] === 0 || release[last] === 0n)) last--
  let key = encodeNumber(epoch)
  for (let i = 0; i <= last; i++) key += encodeNumber(release[i]!)
  key += RELEASE_END
  const familyLength = key.length
  if (preLabel !== null) key += PRE_SOME + preLabel + WORD_END + encodeNumber(preNumber)
  else if (postLabel === null && hasDev) key += PRE_DEV_ONLY
  else key += PRE_NONE
  key += postLabel === null ? POST_NONE : POST_SOME + postLabel + WORD_END + encodeNumber(postNumber)
  key += hasDev ? DEV_SOME + encodeNumber(devNumber) : DEV_NONE
  const publicLength = key.length

  // Local: + [a-z0-9]+ ([-_.][a-z0-9]+)*
  let local: string | null = null
  if (text.charCodeAt(pos) === 0x2b) {
    pos++
    if (!isLocalChar(text.charCodeAt(pos))) return null
    local = ''
    for (;;) {
      const start = pos
      let digitsOnly = true
      while (isLocalChar((c = text.charCodeAt(pos)))) {
        if (!isDigit(c)) digitsOnly = false
        pos++
      }
      if (local !== '') local += '.'
      if (digitsOnly) {
        const n = readDigitsAt(start, pos)
        local += String(n)
        key += LOCAL_NUMBER + encodeNumber(n)
      } else {
        const word = text.slice(start, pos).toLowerCase()
        local += word
        key += LOCAL_WORD + word + WORD_END
      }
      if (isSeparator(text.charCodeAt(pos)) && isLocalChar(text.charCodeAt(pos + 1))) pos++
      else break
    }
  }

  if (pos !== end) return null

  const exact: ExactNumbers | null = sawBig
    ? {
        epoch,
        release: Object.freeze(release.slice()),
        pre: preLabel === null ? null : preNumber,
        post: postLabel === null ? null : postNumber,
        dev: hasDev ? devNumber : null,
      }
    : null
  const doubles = sawBig ? release.map(toDouble) : (release as number[])
  return new Version({
    epoch: toDouble(epoch),
    release: Object.freeze(doubles),
    pre: preLabel === null ? null : (Object.freeze([preLabel, toDouble(preNumber)]) as readonly [string, number]),
    post: postLabel === null ? null : toDouble(postNumber),
    postLabel,
    dev: hasDev ? toDouble(devNumber) : null,
    local,
    key,
    publicLength,
    familyLength,
    exact,
  })
}

/** The integer value of the ASCII digits in src[start, end). */
function readDigitsAt(start: number, end: number): Num {
  if (end - start <= MAX_SAFE_DIGITS) {
    let value = 0
    for (let i = start; i < end; i++) value = value * 10 + (src.charCodeAt(i) - 0x30)
    return value
  }
  const big = BigInt(src.slice(start, end))
  return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big
}

/**
 * Parses a version as `packaging.version.Version(text)` does. Throws
 * `InvalidVersionError` (code `ERR_INVALID_VERSION`) for exactly the strings
 * packaging rejects.
 *
 * ```ts
 * parseVersion(' V1.0-ALPHA.2 ').toString() // '1.0a2'
 * parseVersion('1.0-1').post                // 1
 * ```
 */
export function parseVersion(text: string): Version {
  const version = scan(text)
  if (version === null) throw new InvalidVersionError(text)
  return version
}

/** Like `parseVersion`, but returns null instead of throwing (for file names, markers, index pages). */
export function tryParseVersion(text: string): Version | null {
  return scan(text)
}

/** A Version as is; a string parsed (throws `InvalidVersionError`). */
export function toVersion(value: Version | string): Version {
  return typeof value === 'string' ? parseVersion(value) : value
}

/** @internal the key of a version `v` followed by everything after its local versions. */
export function afterLocals(v: Version): string {
  return v.key + AFTER_LOCALS
}
