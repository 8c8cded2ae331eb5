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
 *
 * Speed: parsing allocates the Version and its key string, nothing else. The
 * fields (`release`, `pre`, `local`...) are decoded from the key on first use
 * (the key holds everything but the number of trailing zeros of the release,
 * kept beside it; the source text is not kept, so a version parsed from a
 * slice of a big index page does not pin the page in memory); the operators
 * only need the key and a few flag bits.
 */
import { isDigit, isLocalChar, isPyWhitespace, isSeparator } from './chars.js'
import { InvalidVersionError } from './errors.js'
import type { Num } from './key.js'
import {
  AFTER_LOCALS,
  DEV_NONE,
  DEV_SOME,
  KeyBuilder,
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

/** @internal flag bits of a Version. */
export const F_PRE = 1
export const F_POST = 2
export const F_DEV = 4
export const F_LOCAL = 8
/** A pre-release label spelled with İ or ı (`previ̇ew`, `prevıew`). */
export const F_PRE_EXOTIC = 16
/** ...with İ: its normalized string does not parse again. */
export const F_PRE_DOTTED = 32
/** The post label `poſt`, which packaging keeps distinct from `post`. */
export const F_POST_EXOTIC = 64

/** Exact values of the numeric parts, kept only when one is beyond Number.MAX_SAFE_INTEGER. */
interface ExactNumbers {
  readonly epoch: Num
  readonly release: readonly Num[]
  readonly pre: Num | null
  readonly post: Num | null
  readonly dev: Num | null
}

interface Parts {
  readonly epoch: number
  readonly release: readonly number[]
  readonly pre: readonly [PreLabel, number] | null
  readonly post: number | null
  readonly dev: number | null
  readonly local: string | null
  readonly exact: ExactNumbers | null
}

interface Cache {
  parts: Parts | undefined
  text: string | undefined
  publicKey: string | undefined
  wildcardSplit: readonly string[] | undefined
  lengths: { readonly publicLength: number; readonly familyLength: number; readonly zeros: number } | undefined
}

const META_OVERFLOW = 1 << 30

/**
 * A parsed PEP 440 version. Immutable; build one with `parseVersion` or
 * `tryParseVersion`. `toString()` is packaging's `str(Version)`.
 *
 * Numbers above `Number.MAX_SAFE_INTEGER` (packaging accepts any size) are
 * exact in ordering, equality and `toString()`, but the numeric fields show
 * the nearest double.
 */
export class Version {
  /**
   * An opaque comparison key: `a.key < b.key` exactly when version a sorts
   * before version b, and equal keys mean equal versions (`1.0` and `1.0.0`).
   * Use it to sort or to key a Map by version equality.
   */
  readonly key: string
  /**
   * @internal packed small numbers, so that a Version is three fields: the
   * F_* flags (7 bits), the key lengths of the family prefix and of the public
   * part beyond it (8 bits each) and the release's trailing zeros, which the
   * key drops (7 bits); or the flags and META_OVERFLOW, the numbers then
   * being in the cache.
   */
  private readonly _meta: number
  /** Values worked out on first use (kept in one object so that a Version stays small). */
  private _cache: Cache | undefined

  /** @internal use `parseVersion`. */
  constructor(key: string, flags: number, publicLength: number, familyLength: number, zeros: number) {
    this.key = key
    const extra = publicLength - familyLength
    if (familyLength < 256 && extra < 256 && zeros < 128) {
      this._meta = flags | (familyLength << 7) | (extra << 15) | (zeros << 23)
      this._cache = undefined
    } else {
      this._meta = flags | META_OVERFLOW
      this._cache = { parts: undefined, text: undefined, publicKey: undefined, wildcardSplit: undefined, lengths: { publicLength, familyLength, zeros } }
    }
  }

  /** @internal F_* bits. */
  get _flags(): number {
    return this._meta & 127
  }

  /** @internal key length of the family prefix (epoch and release). */
  get _familyLength(): number {
    const meta = this._meta
    return meta & META_OVERFLOW ? this._cache!.lengths!.familyLength : (meta >>> 7) & 255
  }

  /** @internal key length of the public part (without `+local`). */
  get _publicLength(): number {
    const meta = this._meta
    return meta & META_OVERFLOW ? this._cache!.lengths!.publicLength : ((meta >>> 7) & 255) + ((meta >>> 15) & 255)
  }

  /** @internal how many trailing zeros the release has (the key drops them). */
  get _zeros(): number {
    const meta = this._meta
    return meta & META_OVERFLOW ? this._cache!.lengths!.zeros : (meta >>> 23) & 127
  }

  private get cache(): Cache {
    return (this._cache ??= { parts: undefined, text: undefined, publicKey: undefined, wildcardSplit: undefined, lengths: undefined })
  }

  private parts(): Parts {
    const cache = this.cache
    return (cache.parts ??= decode(this.key, this._zeros))
  }

  /** @internal cache of the specifier prefix-matching split (see specifier.ts). */
  get _wildcardSplit(): readonly string[] | undefined {
    return this._cache?.wildcardSplit
  }

  set _wildcardSplit(split: readonly string[] | undefined) {
    this.cache.wildcardSplit = split
  }

  /** The epoch (`1!2.0` has epoch 1); 0 when absent. */
  get epoch(): number {
    return this.parts().epoch
  }

  /** The release numbers, trailing zeros included (`1.0` is [1, 0]). */
  get release(): readonly number[] {
    return this.parts().release
  }

  /** The pre-release label and number (`1.0rc1` is ['rc', 1]), or null. */
  get pre(): readonly [PreLabel, number] | null {
    return this._flags & F_PRE ? this.parts().pre : null
  }

  /** The post-release number (`1.0.post2` is 2, `1.0-3` is 3), or null. */
  get post(): number | null {
    return this._flags & F_POST ? this.parts().post : null
  }

  /** The development release number (`1.0.dev4` is 4), or null. */
  get dev(): number | null {
    return this._flags & F_DEV ? this.parts().dev : null
  }

  /** The normalized local segment (`1.0+Ubuntu-1` is 'ubuntu.1'), or null. */
  get local(): string | null {
    return this._flags & F_LOCAL ? this.parts().local : null
  }

  /** The version without its local segment, as a string (`1.0+abc` gives '1.0'). */
  get public(): string {
    const text = this.toString()
    const plus = text.indexOf('+')
    return plus === -1 ? text : text.slice(0, plus)
  }

  /** Epoch and release only (`1!2.0rc1.post3` gives '1!2.0'). */
  get baseVersion(): string {
    return formatBase(this.parts())
  }

  /** A pre-release or a development release (`1.0a1`, `1.0.dev0`, `1.0.post1.dev2`). */
  get isPrerelease(): boolean {
    return (this._flags & (F_PRE | F_DEV)) !== 0
  }

  get isPostrelease(): boolean {
    return (this._flags & F_POST) !== 0
  }

  get isDevrelease(): boolean {
    return (this._flags & F_DEV) !== 0
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

  /** @internal the post label as packaging keeps it ('post', or 'poſt'), or null. */
  get _postLabel(): string | null {
    return this._flags & F_POST ? (this._flags & F_POST_EXOTIC ? 'poſt' : 'post') : null
  }

  /** @internal exact numbers when some are too big for a double. */
  get _exact(): ExactNumbers | null {
    return this.parts().exact
  }

  /** @internal the key without the local part. */
  get _public(): string {
    if (this._publicLength === this.key.length) return this.key
    const cache = this.cache
    return (cache.publicKey ??= this.key.slice(0, this._publicLength))
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
    const cache = this.cache
    return (cache.text ??= format(this.parts()))
  }

  toJSON(): string {
    return this.toString()
  }
}

function formatBase(p: Parts): string {
  const epoch = p.exact === null ? p.epoch : p.exact.epoch
  const release = p.exact === null ? p.release : p.exact.release
  const head = epoch === 0 ? '' : `${epoch}!`
  return head + release.join('.')
}

function format(p: Parts): string {
  const exact = p.exact
  let text = formatBase(p)
  if (p.pre !== null) text += p.pre[0] + String(exact === null ? p.pre[1] : exact.pre)
  if (p.post !== null) text += `.post${exact === null ? p.post : exact.post}`
  if (p.dev !== null) text += `.dev${exact === null ? p.dev : exact.dev}`
  if (p.local !== null) text += `+${p.local}`
  return text
}

// ---------------------------------------------------------------------------
// The scanner. Module-level cursor state keeps the hot path allocation-free.

let src = ''
let pos = 0
const builder = new KeyBuilder()
/** The release numbers of the version being scanned (reused). */
const releaseNumbers: Num[] = []

const MAX_SAFE_DIGITS = 15
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

/** Reads the digits at `pos` (there must be at least one). */
function readNumber(): Num {
  const start = pos
  let value = 0
  let c = src.charCodeAt(pos)
  while (c >= 0x30 && c <= 0x39) {
    value = value * 10 + (c - 0x30)
    c = src.charCodeAt(++pos)
  }
  return pos - start <= MAX_SAFE_DIGITS ? value : bigNumber(start, pos)
}

/** The integer value of the ASCII digits in src[start, end). */
function readDigitsAt(start: number, end: number): Num {
  if (end - start > MAX_SAFE_DIGITS) return bigNumber(start, end)
  let value = 0
  for (let i = start; i < end; i++) value = value * 10 + (src.charCodeAt(i) - 0x30)
  return value
}

function bigNumber(start: number, end: number): Num {
  const big = BigInt(src.slice(start, end))
  if (big <= MAX_SAFE) return Number(big)
  return big
}

function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c
}

/**
 * Matches `word` (lowercase ASCII) at `at` as Python's IGNORECASE would:
 * returns -1 for no match, 0 for a plain match, 1 when `ı` stood for `i` or
 * `ſ` for `s`, 2 when `İ` stood for `i` (the label then keeps those
 * characters, lowercased).
 */
function matchWord(at: number, word: string): number {
  let exotic = 0
  for (let i = 0; i < word.length; i++) {
    const c = src.charCodeAt(at + i)
    const w = word.charCodeAt(i)
    if (lower(c) === w) continue
    if (w === 0x69 && c === 0x130) exotic = 2
    else if ((w === 0x69 && c === 0x131) || (w === 0x73 && c === 0x17f)) exotic = Math.max(exotic, 1)
    else return -1
  }
  return exotic
}

/** Pushes the lowercase (Python `str.lower`) of src[start, end) as key code units. */
function pushLower(start: number, end: number): void {
  for (let i = start; i < end; i++) {
    const c = src.charCodeAt(i)
    if (c < 0x80) builder.code(lower(c))
    else if (c === 0x130) {
      builder.code(0x69)
      builder.code(0x307)
    } else if (c === 0x212a) builder.code(0x6b)
    else builder.code(c)
  }
}

const LABEL_A = 1
const LABEL_B = 2
const LABEL_RC = 3
const LABEL_EXOTIC = 4
const LABEL_EXOTIC_DOTTED = 5

let wordLength = 0

/** The pre-release label at `at` (LABEL_*), or 0; sets `wordLength`. */
function readPreLabel(at: number): number {
  const c = lower(src.charCodeAt(at))
  if (c === 0x61) {
    wordLength = matchWord(at, 'alpha') >= 0 ? 5 : 1
    return LABEL_A
  }
  if (c === 0x62) {
    wordLength = matchWord(at, 'beta') >= 0 ? 4 : 1
    return LABEL_B
  }
  if (c === 0x63) {
    wordLength = 1
    return LABEL_RC
  }
  if (c === 0x72) {
    if (lower(src.charCodeAt(at + 1)) !== 0x63) return 0
    wordLength = 2
    return LABEL_RC
  }
  if (c === 0x70) {
    const preview = matchWord(at, 'preview')
    if (preview >= 0) {
      wordLength = 7
      return preview === 0 ? LABEL_RC : preview === 1 ? LABEL_EXOTIC : LABEL_EXOTIC_DOTTED
    }
    if (matchWord(at, 'pre') >= 0) {
      wordLength = 3
      return LABEL_RC
    }
  }
  return 0
}

/** The post-release label at `at`: 1 for post/rev/r, 2 for `poſt`, 0 for none; sets `wordLength`. */
function readPostLabel(at: number): number {
  const c = lower(src.charCodeAt(at))
  if (c === 0x70) {
    const post = matchWord(at, 'post')
    if (post < 0) return 0
    wordLength = 4
    return post === 0 ? 1 : 2
  }
  if (c === 0x72) {
    wordLength = matchWord(at, 'rev') >= 0 ? 3 : 1
    return 1
  }
  return 0
}

function pushText(text: string): void {
  for (let i = 0; i < text.length; i++) builder.code(text.charCodeAt(i))
}

function toDouble(n: Num): number {
  return typeof n === 'number' ? n : Number(n)
}

/** The scanner proper: a Version, or null when packaging would reject the text. */
function scan(text: string): Version | null {
  src = text
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
  const release = releaseNumbers
  release[0] = first
  let releaseCount = 1
  while (text.charCodeAt(pos) === 0x2e && isDigit(text.charCodeAt(pos + 1))) {
    pos++
    release[releaseCount++] = readNumber()
  }

  // Pre-release: [-_.]? label [-_.]? digits?
  let flags = 0
  let preLabel = 0
  let preStart = 0
  let preNumber: Num = 0
  {
    const at = isSeparator(text.charCodeAt(pos)) ? pos + 1 : pos
    const label = readPreLabel(at)
    if (label !== 0) {
      preLabel = label
      preStart = at
      flags |= F_PRE
      if (label >= LABEL_EXOTIC) flags |= label === LABEL_EXOTIC_DOTTED ? F_PRE_EXOTIC | F_PRE_DOTTED : F_PRE_EXOTIC
      pos = at + wordLength
      if (isSeparator(text.charCodeAt(pos))) pos++
      if (isDigit(text.charCodeAt(pos))) preNumber = readNumber()
    }
  }

  // Post-release: -digits | [-_.]? (post|rev|r) [-_.]? digits?
  let postNumber: Num = 0
  if (text.charCodeAt(pos) === 0x2d && isDigit(text.charCodeAt(pos + 1))) {
    pos++
    flags |= F_POST
    postNumber = readNumber()
  } else {
    const at = isSeparator(text.charCodeAt(pos)) ? pos + 1 : pos
    const label = readPostLabel(at)
    if (label !== 0) {
      flags |= label === 2 ? F_POST | F_POST_EXOTIC : F_POST
      pos = at + wordLength
      if (isSeparator(text.charCodeAt(pos))) pos++
      if (isDigit(text.charCodeAt(pos))) postNumber = readNumber()
    }
  }

  // Development release: [-_.]? dev [-_.]? digits?
  let devNumber: Num = 0
  {
    const at = isSeparator(text.charCodeAt(pos)) ? pos + 1 : pos
    if (matchWord(at, 'dev') === 0) {
      flags |= F_DEV
      pos = at + 3
      if (isSeparator(text.charCodeAt(pos))) pos++
      if (isDigit(text.charCodeAt(pos))) devNumber = readNumber()
    }
  }

  // The key: epoch, release without trailing zeros, pre, post, dev.
  let last = releaseCount - 1
  while (last >= 0 && release[last] === 0) last--
  const key = builder
  key.reset()
  key.number(epoch)
  for (let i = 0; i <= last; i++) key.number(release[i]!)
  key.code(RELEASE_END)
  const familyLength = key.length
  if (flags & F_PRE) {
    key.code(PRE_SOME)
    if (preLabel === LABEL_A) key.code(0x61)
    else if (preLabel === LABEL_B) key.code(0x62)
    else if (preLabel === LABEL_RC) {
      key.code(0x72)
      key.code(0x63)
    } else pushLower(preStart, preStart + 7)
    key.code(WORD_END)
    key.number(preNumber)
  } else key.code(flags & F_POST || !(flags & F_DEV) ? PRE_NONE : PRE_DEV_ONLY)
  if (flags & F_POST) {
    key.code(POST_SOME)
    pushText(flags & F_POST_EXOTIC ? 'poſt' : 'post')
    key.code(WORD_END)
    key.number(postNumber)
  } else key.code(POST_NONE)
  if (flags & F_DEV) {
    key.code(DEV_SOME)
    key.number(devNumber)
  } else key.code(DEV_NONE)
  const publicLength = key.length

  // Local: + [a-z0-9]+ ([-_.][a-z0-9]+)*
  if (text.charCodeAt(pos) === 0x2b) {
    pos++
    if (!isLocalChar(text.charCodeAt(pos))) return null
    flags |= F_LOCAL
    for (;;) {
      const start = pos
      let digitsOnly = true
      while (isLocalChar((c = text.charCodeAt(pos)))) {
        if (c < 0x30 || c > 0x39) digitsOnly = false
        pos++
      }
      if (digitsOnly) {
        const n = readDigitsAt(start, pos)
        key.code(LOCAL_NUMBER)
        key.number(n)
      } else {
        key.code(LOCAL_WORD)
        pushLower(start, pos)
        key.code(WORD_END)
      }
      if (isSeparator(text.charCodeAt(pos)) && isLocalChar(text.charCodeAt(pos + 1))) pos++
      else break
    }
  }

  if (pos !== end) return null

  return new Version(key.finish(), flags, publicLength, familyLength, releaseCount - 1 - last)
}

/** Reads N(n) (see key.ts) at `at`; sets `decodeAt` after it. */
let decodeAt = 0
function decodeNumber(key: string, at: number): Num {
  const c = key.charCodeAt(at)
  if (c < 0xc2) {
    decodeAt = at + 1
    return c - 2
  }
  let bytes: number
  let start: number
  if (c < 0xff) {
    bytes = c - 0xc2
    start = at + 1
  } else {
    bytes = Number(decodeNumber(key, at + 1))
    start = decodeAt
  }
  decodeAt = start + bytes
  if (bytes <= 6) {
    let value = 0
    for (let i = 0; i < bytes; i++) value = value * 256 + key.charCodeAt(start + i)
    return value
  }
  let value = 0n
  for (let i = 0; i < bytes; i++) value = value * 256n + BigInt(key.charCodeAt(start + i))
  return value <= MAX_SAFE ? Number(value) : value
}

/** The text from `at` up to the next WORD_END; sets `decodeAt` after the terminator. */
function decodeWord(key: string, at: number): string {
  const end = key.indexOf('\x01', at)
  decodeAt = end + 1
  return key.slice(at, end)
}

/** The parts of a version, read back from its key (see key.ts) and its count of trailing zeros. */
function decode(key: string, zeros: number): Parts {
  let big = false
  const num = (at: number): Num => {
    const n = decodeNumber(key, at)
    if (typeof n === 'bigint') big = true
    return n
  }
  const epoch = num(0)
  let at = decodeAt
  const release: Num[] = []
  while (key.charCodeAt(at) !== RELEASE_END) {
    release.push(num(at))
    at = decodeAt
  }
  at++
  for (let i = 0; i < zeros; i++) release.push(0)
  let pre: [string, Num] | null = null
  const preMark = key.charCodeAt(at++)
  if (preMark === PRE_SOME) {
    const label = decodeWord(key, at)
    pre = [label, num(decodeAt)]
    at = decodeAt
  }
  let post: Num | null = null
  if (key.charCodeAt(at++) === POST_SOME) {
    decodeWord(key, at)
    post = num(decodeAt)
    at = decodeAt
  }
  let dev: Num | null = null
  if (key.charCodeAt(at++) === DEV_SOME) {
    dev = num(at)
    at = decodeAt
  }
  let local: string | null = null
  while (at < key.length) {
    const part = key.charCodeAt(at) === LOCAL_WORD ? decodeWord(key, at + 1) : String(num(at + 1))
    at = decodeAt
    local = local === null ? part : `${local}.${part}`
  }
  const exact: ExactNumbers | null = big ? { epoch, release: Object.freeze(release.slice()), pre: pre?.[1] ?? null, post, dev } : null
  return {
    epoch: toDouble(epoch),
    release: Object.freeze(release.map(toDouble)),
    pre: pre === null ? null : (Object.freeze([pre[0], toDouble(pre[1])]) as readonly [string, number]),
    post: post === null ? null : toDouble(post),
    dev: dev === null ? null : toDouble(dev),
    local,
    exact,
  }
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
  const version = scanOnce(text)
  if (version === null) throw new InvalidVersionError(text)
  return version
}

/** Like `parseVersion`, but returns null instead of throwing (for file names, markers, index pages). */
export function tryParseVersion(text: string): Version | null {
  return scanOnce(text)
}

/**
 * Versions are immutable, so one parse per text serves every caller: a wheel's
 * version is read from its file name by the name's parser, then again by the
 * finder, and a resolution meets the same texts in page after page. Bounded:
 * cleared past 8192 texts.
 */
const scanned = new Map<string, Version | null>()

function scanOnce(text: string): Version | null {
  let version = scanned.get(text)
  if (version === undefined) {
    version = scan(text)
    if (scanned.size >= 8192) scanned.clear()
    // A long text may be a slice of a whole page: keep a copy of it, not the page.
    scanned.set(text.length < 13 ? text : (' ' + text).slice(1), version)
  }
  return version
}

/** A Version as is; a string parsed (throws `InvalidVersionError`). */
export function toVersion(value: Version | string): Version {
  if (typeof value !== 'string') return value
  // Callers ask about one text many times in a row (`set.contains('3.11.7')` for every file of a page).
  if (value === lastText) return lastVersion!
  const version = parseVersion(value)
  lastText = value
  lastVersion = version
  return version
}

let lastText: string | undefined
let lastVersion: Version | undefined

/**
 * @internal a string that parses back to exactly this version, labels
 * included (`toString()` prints `poſt` as `post` and `prevİew` as
 * `previ̇ew`, which do not).
 */
export function reparseableText(v: Version): string {
  let text = v.toString()
  if (v._flags & F_POST_EXOTIC) text = text.replace('.post', '.poſt')
  if (v._flags & F_PRE_DOTTED || (v._flags & F_LOCAL && text.includes('\u0307'))) text = text.replaceAll('i\u0307', '\u0130')
  return text
}

/** @internal the key of a version `v` followed by everything after its local versions. */
export function afterLocals(v: Version): string {
  return v.key + AFTER_LOCALS
}
