/**
 * Version ranges for resolvers: immutable sets of versions that can be
 * intersected, united, complemented and tested for emptiness, and whose
 * membership agrees exactly with `SpecifierSet.contains(v, { prereleases: true })`.
 *
 * Why not plain intervals. PEP 440's operators are not intervals of the
 * version order: `<2.0` excludes 2.0's pre-releases but not 1.9's, `>1.0`
 * excludes 1.0's post-releases and every local version of 1.0 (but not
 * 1.0.post1's when the bound is 1.0.post0), `<1.0.post2` leaves holes at
 * 1.0.post0.dev*, 1.0.post1.dev*... Every such exclusion depends on three
 * properties of a version: is it a pre-release (`pre` or `dev`), a
 * post-release, a local version. So a range keeps one list of intervals per
 * "kind" (the 8 combinations of those properties), and a version belongs to
 * the range when its key lies in the intervals of its kind. Each operator
 * becomes, per kind, at most two intervals; boolean operations work kind by
 * kind on sorted cut lists.
 *
 * Cuts. Interval ends are positions between keys (key.ts): at a version's key,
 * right after it (before its local versions), after all its local versions,
 * after a whole release family. Every cut remembers the version it came from.
 *
 * Emptiness. An interval of a kind may contain no version of that kind (the
 * non-pre-releases between 2.0.dev0 and 2.0 are none). Deciding it uses three
 * facts about the order: between two different release families lie
 * infinitely many others (so an interval spanning families is never empty);
 * local versions of one public version are dense, without a least or greatest
 * element; and inside one family the public versions are well-ordered, so
 * "the least version of this kind at or after a cut" can be constructed
 * (minPublicOfKind). `isEmpty` looks for a witness version in each interval.
 * `isSubsetOf`, `isDisjoint`, `equals` and `isAny` reduce to emptiness.
 *
 * `===` (arbitrary equality) compares normalized strings, which no order can
 * express (1.0 and 1.0.0 are equal versions with different strings). A range
 * therefore also carries a finite map from normalized string to membership,
 * consulted before the intervals: `===1.0` holds exactly the version whose
 * `toString()` is '1.0'. Set operations combine these pointwise, exactly.
 *
 * Exotic labels. packaging accepts labels spelled with `İ`/`ı` for `i`
 * (`1.0prevİew1`) or `ſ` for `s` (`1.0.poſt1`, which compares above every
 * `post`) and then answers prefix matching and re-parsing operators in ways
 * that are not interval-shaped. A range keeps, for those versions only, a
 * predicate made of the original specifiers (an operator that packaging
 * would raise on counts as no match). Membership is exact for them too, but
 * `isEmpty` and the comparisons built on it only consider versions with
 * standard labels.
 */
import type { VersionLike } from './compare.js'
import { AFTER_FAMILY, AFTER_KEY, AFTER_LOCALS } from './key.js'
import type { Specifier } from './specifier.js'
import type { SpecifierSet } from './specifier-set.js'
import type { Version } from './version.js'
import { F_DEV, F_LOCAL, F_POST, F_POST_EXOTIC, F_PRE, F_PRE_EXOTIC, parseVersion, reparseableText, toVersion, tryParseVersion } from './version.js'

const enum T {
  Min,
  At,
  After,
  AfterLocals,
  FamilyEnd,
  Max,
}

/** An interval end: a position in the version order (see the module comment). */
interface Cut {
  readonly s: string
  readonly t: T
  readonly v: Version | null
}

const MIN: Cut = { s: '', t: T.Min, v: null }
const MAX: Cut = { s: '', t: T.Max, v: null }

function cmp(a: Cut, b: Cut): number {
  if (a.t === T.Max) return b.t === T.Max ? 0 : 1
  if (b.t === T.Max) return -1
  return a.s < b.s ? -1 : a.s > b.s ? 1 : 0
}

const at = (v: Version): Cut => ({ s: v.key, t: T.At, v })
const after = (v: Version): Cut => ({ s: v.key + AFTER_KEY, t: T.After, v })
const afterLocals = (v: Version): Cut => ({ s: v.key + AFTER_LOCALS, t: T.AfterLocals, v })
const familyEnd = (v: Version): Cut => ({ s: v._family + AFTER_FAMILY, t: T.FamilyEnd, v })

/** Sorted cuts, two per interval [lo, hi). */
type Intervals = readonly Cut[]

const PRE = 1
const POST = 2
const LOCAL = 4
const KINDS = 8

function kindOf(v: Version): number {
  const flags = v._flags
  return (flags & (F_PRE | F_DEV) ? PRE : 0) | (flags & F_POST ? POST : 0) | (flags & F_LOCAL ? LOCAL : 0)
}

/** A label packaging accepts only through Python's case folding (see the module comment). */
function isExotic(v: Version): boolean {
  return (v._flags & (F_PRE_EXOTIC | F_POST_EXOTIC)) !== 0
}

interface Override {
  readonly v: Version
  readonly in: boolean
}

type Predicate = (v: Version) => boolean

/**
 * An immutable set of versions: a union of intervals of the version order,
 * exact at PEP 440's boundaries (see the module comment). Build one with
 * `rangeFromSpecifierSet`, `rangeFromSpecifier`, `VersionRange.any()`,
 * `VersionRange.empty()` or `VersionRange.exactly(version)`.
 *
 * ```ts
 * const a = rangeFromSpecifierSet(parseSpecifierSet('>=1.0,<2'))
 * const b = rangeFromSpecifierSet(parseSpecifierSet('>=1.5'))
 * a.intersect(b).toString()  // '>=1.5, <2'
 * a.intersect(b).contains('1.7') // true
 * a.difference(b).toString() // '>=1.0, <1.5'
 * rangeFromSpecifierSet(parseSpecifierSet('>2')).isDisjoint(a) // true
 * ```
 */
export class VersionRange {
  /** @internal intervals per kind. */
  readonly _kinds: readonly Intervals[]
  /** @internal membership of exact normalized strings (`===`), consulted first. */
  readonly _strings: ReadonlyMap<string, Override>
  /** @internal membership of versions with exotic labels; null: the intervals decide. */
  readonly _exotic: Predicate | null
  private text: string | undefined
  private emptiness: boolean | undefined

  private constructor(kinds: readonly Intervals[], strings: ReadonlyMap<string, Override>, exotic: Predicate | null) {
    this._kinds = kinds
    this._strings = strings
    this._exotic = exotic
    this.text = undefined
    this.emptiness = undefined
  }

  /** @internal */
  static _of(kinds: readonly Intervals[], strings: ReadonlyMap<string, Override> = NO_STRINGS, exotic: Predicate | null = null): VersionRange {
    return new VersionRange(kinds, strings, exotic)
  }

  /** Every version. */
  static any(): VersionRange {
    return ANY
  }

  /** No version. */
  static empty(): VersionRange {
    return EMPTY
  }

  /** The versions equal to this one (`1.0` also holds `1.0.0`, but not `1.0+local`). */
  static exactly(version: VersionLike): VersionRange {
    const v = toVersion(version)
    const key = v.key
    return new VersionRange(same([at(v), after(v)]), NO_STRINGS, (u) => u.key === key)
  }

  /** Whether the version is in the range. */
  contains(version: VersionLike): boolean {
    return member(this, toVersion(version))
  }

  intersect(other: VersionRange): VersionRange {
    if (other === ANY || this === EMPTY) return this
    if (this === ANY || other === EMPTY) return other
    return combine(this, other, (a, b) => a && b)
  }

  union(other: VersionRange): VersionRange {
    if (other === EMPTY || this === ANY) return this
    if (this === EMPTY || other === ANY) return other
    return combine(this, other, (a, b) => a || b)
  }

  /** The versions in this range and not in the other. */
  difference(other: VersionRange): VersionRange {
    if (other === EMPTY) return this
    return combine(this, other, (a, b) => a && !b)
  }

  /** Every version not in this range. */
  complement(): VersionRange {
    if (this === ANY) return EMPTY
    if (this === EMPTY) return ANY
    const kinds = this._kinds.map((list) => sweep(list, NONE, (a) => !a))
    const strings = new Map<string, Override>()
    for (const [text, o] of this._strings) strings.set(text, { v: o.v, in: !o.in })
    const exotic = this._exotic
    return new VersionRange(kinds, strings, exotic === null ? null : (v) => !exotic(v))
  }

  /** No version (with standard labels) is in the range. */
  isEmpty(): boolean {
    return (this.emptiness ??= !hasMember(this))
  }

  /** Every version (with standard labels) is in the range. */
  isAny(): boolean {
    return this === ANY || this.complement().isEmpty()
  }

  isSubsetOf(other: VersionRange): boolean {
    return this.difference(other).isEmpty()
  }

  isDisjoint(other: VersionRange): boolean {
    return this.intersect(other).isEmpty()
  }

  /** The same versions (with standard labels). */
  equals(other: VersionRange): boolean {
    return this === other || (this.isSubsetOf(other) && other.isSubsetOf(this))
  }

  /** @internal a version in the range (with a standard label), or null when it is empty. */
  _witness(): Version | null {
    return findWitness(this)
  }

  /**
   * Human-readable, for messages: alternatives separated by ` | `, each a
   * comma-separated list of specifiers with their PEP 440 meaning, e.g.
   * `>=1.0, <2.0 | ==3.1`. `*` is every version, `∅` none. When no such
   * spelling is exact, the intervals are written in version order, e.g.
   * `[1.0rc1, 1.0.post1)`.
   */
  toString(): string {
    return (this.text ??= describe(this))
  }

  toJSON(): string {
    return this.toString()
  }
}

const NONE: Intervals = Object.freeze([])
const NO_STRINGS: ReadonlyMap<string, Override> = new Map()

function same(list: Intervals): Intervals[] {
  const frozen = Object.freeze(list)
  return Array.from({ length: KINDS }, () => frozen)
}

function byKind(fn: (kind: number) => Intervals): Intervals[] {
  return Array.from({ length: KINDS }, (_, kind) => Object.freeze(fn(kind)))
}

const ANY = VersionRange._of(same([MIN, MAX]))
const EMPTY = VersionRange._of(same(NONE))

function inIntervals(list: Intervals, key: string): boolean {
  for (let i = 0; i < list.length; i += 2) {
    const lo = list[i]!
    if (lo.t !== T.Min && key < lo.s) return false
    const hi = list[i + 1]!
    if (hi.t === T.Max || key < hi.s) return true
  }
  return false
}

function inBase(range: VersionRange, v: Version): boolean {
  return inIntervals(range._kinds[kindOf(v)]!, v.key)
}

function member(range: VersionRange, v: Version): boolean {
  if (isExotic(v)) return range._exotic === null ? inBase(range, v) : range._exotic(v)
  if (range._strings.size > 0) {
    const o = range._strings.get(v.toString())
    if (o !== undefined) return o.in
  }
  return inBase(range, v)
}

/** Boolean combination of two sorted cut lists (half-open intervals). */
function sweep(a: Intervals, b: Intervals, op: (x: boolean, y: boolean) => boolean): Intervals {
  const out: Cut[] = []
  let i = 0
  let j = 0
  let inA = false
  let inB = false
  let current = false
  let x: Cut = MIN
  for (;;) {
    if (x.t === T.Max) {
      if (current) out.push(MAX)
      break
    }
    while (i < a.length && cmp(a[i]!, x) === 0) {
      inA = !inA
      i++
    }
    while (j < b.length && cmp(b[j]!, x) === 0) {
      inB = !inB
      j++
    }
    const value = op(inA, inB)
    if (value !== current) {
      out.push(x)
      current = value
    }
    const nextA = a[i]
    const nextB = b[j]
    if (nextA === undefined && nextB === undefined) x = MAX
    else if (nextA === undefined) x = nextB!
    else if (nextB === undefined) x = nextA
    else x = cmp(nextA, nextB) <= 0 ? nextA : nextB
  }
  return Object.freeze(out)
}

function combine(a: VersionRange, b: VersionRange, op: (x: boolean, y: boolean) => boolean): VersionRange {
  const kinds = a._kinds.map((list, k) => sweep(list, b._kinds[k]!, op))
  const result = VersionRange._of(kinds)
  let strings: Map<string, Override> | undefined
  for (const source of [a._strings, b._strings]) {
    for (const [text, o] of source) {
      if (strings?.has(text)) continue
      const value = op(member(a, o.v), member(b, o.v))
      if (value === inBase(result, o.v)) continue
      ;(strings ??= new Map()).set(text, { v: o.v, in: value })
    }
  }
  const ea = a._exotic
  const eb = b._exotic
  const exotic =
    ea === null && eb === null ? null : (v: Version) => op(ea === null ? inBase(a, v) : ea(v), eb === null ? inBase(b, v) : eb(v))
  return VersionRange._of(kinds, strings ?? NO_STRINGS, exotic)
}

// ---------------------------------------------------------------------------
// Building versions from parts (exact, through strings).

function big(n: number, exact: bigint | number | null | undefined): bigint {
  return exact === undefined || exact === null ? BigInt(n) : BigInt(exact)
}

function preOf(v: Version): [string, bigint] | null {
  return v.pre === null ? null : [v.pre[0], big(v.pre[1], v._exact?.pre)]
}

function postOf(v: Version): bigint | null {
  return v.post === null ? null : big(v.post, v._exact?.post)
}

function devOf(v: Version): bigint | null {
  return v.dev === null ? null : big(v.dev, v._exact?.dev)
}

function build(base: string, pre: [string, bigint] | null, post: bigint | null, dev: bigint | null, local?: string): Version {
  let text = base
  if (pre !== null) text += pre[0] + String(pre[1])
  if (post !== null) text += `.post${post}`
  if (dev !== null) text += `.dev${dev}`
  if (local !== undefined) text += `+${local}`
  return parseVersion(text)
}

/** The version without its local segment (labels kept exactly: re-parsing `public` would turn `poſt` into `post`). */
function publicOf(v: Version): Version {
  if (v.local === null) return v
  const text = reparseableText(v)
  return parseVersion(text.slice(0, text.indexOf('+')))
}

function familyStart(v: Version): Version {
  return parseVersion(`${v.baseVersion}.dev0`)
}

function isDevOnly(v: Version): boolean {
  return v.pre === null && v.post === null && v.dev !== null
}

/** The next standard public version of the same family after a public one, or null. */
function successor(p: Version): Version | null {
  if (isExotic(p)) return standardAfterExotic(p)
  const base = p.baseVersion
  const dev = devOf(p)
  if (dev !== null) return build(base, preOf(p), postOf(p), dev + 1n)
  const post = postOf(p)
  return build(base, preOf(p), post === null ? 0n : post + 1n, 0n)
}

/** The least standard public version above an exotic one, in its family, or null. */
function standardAfterExotic(p: Version): Version | null {
  const base = p.baseVersion
  const pre = preOf(p)
  if (pre !== null && pre[0] !== 'a' && pre[0] !== 'b' && pre[0] !== 'rc') return build(base, ['rc', 0n], null, 0n)
  // An exotic post label sorts after every `post` of the same pre-release.
  if (pre !== null) return build(base, [pre[0], pre[1] + 1n], null, 0n)
  return null
}

function hasKind(v: Version, pre: boolean, post: boolean): boolean {
  return (v.pre !== null || v.dev !== null) === pre && (v.post !== null) === post
}

/**
 * The least standard public version of the family at or after the public
 * version `p` whose pre-release and post-release properties are the given
 * ones, or null. The public versions of a family are ordered by (pre, post,
 * dev) lexicographically, each a well-ordered component, so the answer is
 * one of: `p` itself, `p` without its dev part, the next post-release of p's
 * pre-release, or the first version of the next pre-release (or of the
 * final block).
 */
function minPublicOfKind(p: Version | null, pre: boolean, post: boolean): Version | null {
  if (p === null) return null
  if (isExotic(p)) return minPublicOfKind(standardAfterExotic(p), pre, post)
  const base = p.baseVersion
  const pPre = preOf(p)
  const pPost = postOf(p)
  const pDev = devOf(p)
  const candidates: (() => Version)[] = [() => p]
  if (pDev !== null && !isDevOnly(p)) candidates.push(() => build(base, pPre, pPost, null))
  if (!isDevOnly(p)) {
    const next = pPost === null ? 0n : pPost + 1n
    candidates.push(() => build(base, pPre, next, 0n), () => build(base, pPre, next, null))
  }
  if (pPre !== null || isDevOnly(p)) {
    const nextPre: [string, bigint] = pPre === null ? ['a', 0n] : [pPre[0], pPre[1] + 1n]
    if (pre) candidates.push(() => build(base, nextPre, post ? 0n : null, 0n))
    else candidates.push(() => build(base, null, post ? 0n : null, null))
  }
  for (const candidate of candidates) {
    const v = candidate()
    if (hasKind(v, pre, post)) return v
  }
  return null
}

// ---------------------------------------------------------------------------
// Emptiness: a witness version in an interval of a kind.

/** Local version tuples (`abc.7` is ['abc', 7n]) compared as packaging does. */
type LocalPart = string | bigint

function localParts(local: string): LocalPart[] {
  return local.split('.').map((part) => (/^[0-9]+$/.test(part) ? BigInt(part) : part))
}

function formatLocal(parts: readonly LocalPart[]): string {
  // A dotted capital I lowercases to "i\u0307", which does not parse: spell it as written.
  return parts.map(String).join('.').replaceAll('i\u0307', '\u0130')
}

/** A word local part below the given part (words sort before numbers; there is no least word). */
function wordBelow(part: LocalPart): string {
  return typeof part === 'bigint' ? 'a' : `${'0'.repeat(part.length + 1)}a`
}

/** A local segment strictly between two (null: unbounded). Local segments are dense. */
function localBetween(lower: LocalPart[] | null, upper: LocalPart[] | null): string {
  if (upper === null) return lower === null ? '0' : formatLocal([...lower, 1n])
  if (lower === null) return wordBelow(upper[0]!)
  let i = 0
  while (i < lower.length && i < upper.length && lower[i] === upper[i]) i++
  if (i === lower.length) return formatLocal([...lower, wordBelow(upper[i]!)])
  return formatLocal([...lower, 1n])
}

const MIN_FAMILY_VERSION = parseVersion('0.dev0')

function familyOf(cut: Cut): string | null {
  if (cut.t === T.Min) return MIN_FAMILY_VERSION._family
  if (cut.t === T.Max) return null
  return cut.v!._family
}

/** Epoch and stripped release of a version's family, as bigints. */
function familyNumbers(v: Version): { epoch: bigint; release: bigint[] } {
  const base = v.baseVersion
  const bang = base.indexOf('!')
  const release = base
    .slice(bang + 1)
    .split('.')
    .map((n) => BigInt(n))
  while (release.length > 0 && release[release.length - 1] === 0n) release.pop()
  return { epoch: bang === -1 ? 0n : BigInt(base.slice(0, bang)), release }
}

function familyText(epoch: bigint, release: readonly bigint[]): string {
  return (epoch === 0n ? '' : `${epoch}!`) + (release.length === 0 ? '0' : release.join('.'))
}

/** A family strictly between two different families (the second null: unbounded). */
function familyBetween(low: Version, high: Version | null): string {
  const a = familyNumbers(low)
  if (high === null) return familyText(a.epoch + 1n, [])
  const b = familyNumbers(high)
  if (a.epoch < b.epoch) return familyText(a.epoch, [...a.release, 1n])
  let i = 0
  while (i < a.release.length && i < b.release.length && a.release[i] === b.release[i]) i++
  if (i < a.release.length) return familyText(a.epoch, [...a.release, 1n])
  // a is a proper prefix of b: skip b's zeros, then put a smaller non-zero further down.
  let zeros = 0
  while (b.release[i + zeros] === 0n) zeros++
  return familyText(a.epoch, [...a.release, ...Array<bigint>(zeros + 1).fill(0n), 1n])
}

/** Any version of the kind in a family that lies wholly inside the interval. */
function witnessInFamily(family: string, kind: number): Version | null {
  const m = minPublicOfKind(parseVersion(`${family}.dev0`), (kind & PRE) !== 0, (kind & POST) !== 0)
  if (m === null) return null
  return kind & LOCAL ? build(m.public, null, null, null, '0') : m
}

/** A version of the kind in [lo, hi), or null when there is none. */
function witnessIn(lo: Cut, hi: Cut, kind: number): Version | null {
  const famLo = familyOf(lo)
  const famHi = familyOf(hi)
  if (famLo !== famHi) {
    const low = lo.t === T.Min ? MIN_FAMILY_VERSION : lo.v!
    return witnessInFamily(familyBetween(low, hi.t === T.Max ? null : hi.v!), kind)
  }
  if (lo.t === T.FamilyEnd) return null
  const wantPre = (kind & PRE) !== 0
  const wantPost = (kind & POST) !== 0
  const wantLocal = (kind & LOCAL) !== 0
  const below = (key: string) => hi.t === T.Max || key < hi.s

  // Local versions of the public version whose local region the lower cut is in.
  let carry: Version | null = null
  let lowerLocal: LocalPart[] | null = null
  let lub: Version | null
  if (lo.t === T.Min) {
    lub = MIN_FAMILY_VERSION
  } else {
    const v = lo.v!
    const pub = publicOf(v)
    if (v.local !== null) {
      if (lo.t === T.At && wantLocal && hasKind(v, wantPre, wantPost) && !isExotic(v)) return v
      carry = pub
      lowerLocal = localParts(v.local)
      lub = successor(pub)
    } else if (lo.t === T.At) {
      lub = pub
    } else if (lo.t === T.After) {
      carry = pub
      lub = successor(pub)
    } else {
      lub = successor(pub)
    }
  }
  if (carry !== null && wantLocal && hasKind(carry, wantPre, wantPost) && !isExotic(carry)) {
    const w = localWitness(carry, lowerLocal, hi)
    if (w !== null) return w
  }
  const m = minPublicOfKind(lub, wantPre, wantPost)
  if (m === null) return null
  if (!wantLocal) return below(m.key) ? m : null
  if (hi.t !== T.Max && !(hi.s > m.key + AFTER_KEY)) return null
  return localWitness(m, null, hi)
}

/** A local version of `pub` above `lower` (null: any) and below the cut `hi`, or null. */
function localWitness(pub: Version, lower: LocalPart[] | null, hi: Cut): Version | null {
  const w = hi.t !== T.Max ? hi.v : null
  if (w === null || w.local === null || w._public !== pub.key) return build(pub.public, null, null, null, localBetween(lower, null))
  const upper = localParts(w.local)
  if (lower !== null && compareLocal(lower, upper) >= 0) return null
  // Below At(w) any local between will do (they are dense); below After(w), w itself.
  return hi.t === T.After ? w : build(pub.public, null, null, null, localBetween(lower, upper))
}

/** packaging's order of local segments: part by part, words before numbers, a prefix first. */
function compareLocal(a: readonly LocalPart[], b: readonly LocalPart[]): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const x = a[i]!
    const y = b[i]!
    if (x === y) continue
    if (typeof x !== typeof y) return typeof x === 'string' ? -1 : 1
    return x < y ? -1 : 1
  }
  return a.length - b.length
}

function hasMember(range: VersionRange): boolean {
  for (const o of range._strings.values()) if (o.in) return true
  for (let kind = 0; kind < KINDS; kind++) {
    const list = range._kinds[kind]!
    for (let i = 0; i < list.length; i += 2) {
      const lo = list[i]!
      const hi = list[i + 1]!
      // Between two release families lie infinitely many others, with every kind of version.
      if (familyOf(lo) !== familyOf(hi) || witnessIn(lo, hi, kind) !== null) return true
    }
  }
  return false
}

function findWitness(range: VersionRange): Version | null {
  for (const o of range._strings.values()) if (o.in) return o.v
  for (let kind = 0; kind < KINDS; kind++) {
    const list = range._kinds[kind]!
    for (let i = 0; i < list.length; i += 2) {
      let w = witnessIn(list[i]!, list[i + 1]!, kind)
      if (w === null) continue
      // A string override may exclude this spelling; another spelling of the same version is in.
      while (range._strings.has(w.toString())) w = respell(w)
      return w
    }
  }
  return null
}

/** The same version spelled with one more trailing zero in its release. */
function respell(v: Version): Version {
  const text = v.toString()
  const base = v.baseVersion
  return parseVersion(`${base}.0${text.slice(base.length)}`)
}

function emptyIn(lo: Cut, hi: Cut, kind: number): boolean {
  return witnessIn(lo, hi, kind) === null
}

// ---------------------------------------------------------------------------
// From specifiers.

/** The versions a specifier admits when pre-releases are allowed (its operator's exact semantics). */
export function rangeFromSpecifier(spec: Specifier): VersionRange {
  const exotic: Predicate = (v) => {
    try {
      return spec.matches(v)
    } catch {
      return false
    }
  }
  if (spec.operator === '===') return arbitraryRange(spec.version, exotic)
  return VersionRange._of(baseOf(spec.operator, spec), NO_STRINGS, exotic)
}

/**
 * The versions a specifier set admits when pre-releases are allowed: for
 * every version v, `range.contains(v)` equals
 * `set.contains(v, { prereleases: true })` (where packaging does not raise).
 * Pre-release policy is the caller's job. The empty set gives `any()`.
 */
export function rangeFromSpecifierSet(set: SpecifierSet): VersionRange {
  let range = VersionRange.any()
  for (const spec of set.specifiers) range = range.intersect(rangeFromSpecifier(spec))
  return range
}

function baseOf(operator: string, spec: Specifier): Intervals[] {
  const target = spec._target!
  switch (operator) {
    case '>=':
      return opBase('>=', target)
    case '<=':
      return opBase('<=', target)
    case '<':
      return opBase('<', target)
    case '>':
      return opBase('>', target)
    case '==':
    case '!=': {
      const base = spec._prefixText !== null ? prefixBase(spec._prefixText) : opBase('==', target)
      return operator === '==' ? base : base.map((list) => sweep(list, NONE, (a) => !a))
    }
    case '~=': {
      const lower = opBase('>=', target)
      const prefix = prefixBase(spec._prefixText!)
      return lower.map((list, k) => sweep(list, prefix[k]!, (a, b) => a && b))
    }
  }
  throw new Error(`unknown operator ${operator}`)
}

type SimpleOp = '>=' | '<=' | '<' | '>' | '=='

/** Intervals per kind of one ordering operator (its packaging semantics, pre-releases allowed). */
function opBase(op: SimpleOp, target: Version): Intervals[] {
  switch (op) {
    case '>=':
      return same([at(target), MAX])
    case '<=':
      return same([MIN, afterLocals(target)])
    case '==':
      return target.local === null ? same([at(target), afterLocals(target)]) : same([at(target), after(target)])
    case '<': {
      if (target.isPrerelease) return same([MIN, at(target)])
      const start = at(familyStart(target))
      return byKind((kind) => [MIN, kind & PRE ? start : at(target)])
    }
    case '>': {
      const end = familyEnd(target)
      return byKind((kind) => {
        if (kind & LOCAL) return [end, MAX]
        if (kind & POST && target.post === null) return [end, MAX]
        return [after(target), MAX]
      })
    }
  }
}

/**
 * Prefix matching (`==V.*`, and the `==` half of `~=`) over versions with
 * standard labels. packaging compares the dot-split canonical string of the
 * candidate's public version, its release padded with zeros, with the split
 * of the prefix `S`; worked out by cases (epoch zero or not, a one-number
 * release, a pre/post/dev suffix in S), the matching versions are:
 * - S without suffix, epoch 0: the families whose release starts with S's
 *   (zero-padded), plus every non-zero epoch when S is all zeros;
 * - S without suffix, epoch E: the families of epoch E whose release extends
 *   S's without padding (so `==1!1.0.*` misses 1!1.0); with a one-number S,
 *   S's own family without its pre-releases;
 * - S with a suffix: S's own family (S's release must be written without
 *   trailing zeros when E is not 0), the versions whose (pre, post, dev)
 *   starts with S's.
 */
function prefixBase(prefixText: string): Intervals[] {
  // A canonical prefix with a label spelled with a dotted capital I does not parse again; it
  // is exotic, and no version with standard labels splits into the same items.
  const s = tryParseVersion(prefixText) ?? tryParseVersion(prefixText.replaceAll('i\u0307', '\u0130'))
  if (s === null) throw new Error(`internal: prefix '${prefixText}' does not parse`)
  if (isExotic(s)) return same(NONE)
  const { epoch } = familyNumbers(s)
  const bang = s.baseVersion.indexOf('!')
  const release = s.baseVersion
    .slice(bang + 1)
    .split('.')
    .map((n) => BigInt(n))
  const k = release.length
  const suffix = s.pre !== null || s.post !== null || s.dev !== null
  const famStart = (rel: readonly bigint[]) => at(parseVersion(`${familyText(epoch, rel)}.dev0`))
  const next = [...release.slice(0, -1), release[k - 1]! + 1n]
  const lastNonZero = release[k - 1] !== 0n
  if (epoch === 0n) {
    if (suffix) return same(block(s))
    const list = [famStart(release), famStart(next)]
    if (release.every((n) => n === 0n)) list.push(at(parseVersion('1!0.dev0')), MAX)
    return same(list)
  }
  if (suffix) return same(k > 1 && !lastNonZero ? NONE : block(s))
  if (k === 1) {
    const family = familyText(epoch, release)
    return same([famStart(release), at(parseVersion(`${family}a0.dev0`)), at(parseVersion(family)), famStart(next)])
  }
  if (lastNonZero) return same([famStart(release), famStart(next)])
  const stripped = familyNumbers(s).release
  return same([familyEnd(parseVersion(familyText(epoch, stripped))), famStart(next)])
}

/** The versions of s's family whose (pre, post, dev) starts with s's (s has no local). */
function block(s: Version): Cut[] {
  const base = s.baseVersion
  if (s.dev !== null) return [at(s), afterLocals(s)]
  const pre = preOf(s)
  const post = postOf(s)
  const first = at(parseVersion(`${s.toString()}.dev0`))
  if (post !== null) return [first, at(build(base, pre, post + 1n, 0n))]
  return [first, at(build(base, [pre![0], pre![1] + 1n], null, 0n))]
}

/** `===text`: the versions whose normalized string is `text` lowercased. */
function arbitraryRange(text: string, exotic: Predicate): VersionRange {
  const wanted = text.toLowerCase()
  const strings = new Map<string, Override>()
  for (const candidate of [wanted, wanted.replaceAll('i\u0307', '\u0130')]) {
    const v = tryParseVersion(candidate)
    if (v !== null && !isExotic(v) && v.toString() === wanted) strings.set(wanted, { v, in: true })
  }
  return VersionRange._of(same(NONE), strings, exotic)
}

// ---------------------------------------------------------------------------
// toString

function pruned(range: VersionRange, kind: number): Intervals {
  const list = range._kinds[kind]!
  const out: Cut[] = []
  for (let i = 0; i < list.length; i += 2) if (!emptyIn(list[i]!, list[i + 1]!, kind)) out.push(list[i]!, list[i + 1]!)
  return out
}

interface Piece {
  readonly text: string
  readonly range: VersionRange
  readonly order: Cut
  readonly weight: number
}

type Term = readonly [SimpleOp | '!=' | '!=*' | '==*', Version]


function termRange(term: Term): Intervals[] {
  const [op, v] = term
  if (op === '!=' || op === '!=*' || op === '==*') {
    const base = op === '!=' ? opBase('==', v) : prefixBase(v.baseVersion)
    return op === '==*' ? base : base.map((list) => sweep(list, NONE, (a) => !a))
  }
  return opBase(op, v)
}

function termText([op, v]: Term): string {
  if (op === '!=*' || op === '==*') return `${op.slice(0, 2)}${v.baseVersion}.*`
  return `${op}${spell(v)}`
}

/** `toString()`, except that a `poſt` label stays `poſt` (packaging prints it as `post`, a different version). */
function spell(v: Version): string {
  const text = v.toString()
  return v._postLabel === null || v._postLabel === 'post' ? text : text.replace('.post', `.${v._postLabel}`)
}

function piece(terms: readonly Term[], order: Cut, weight: number): Piece {
  let kinds: readonly Intervals[] = same([MIN, MAX])
  for (const term of terms) {
    const base = termRange(term)
    kinds = kinds.map((list, k) => sweep(list, base[k]!, (a, b) => a && b))
  }
  const text = terms.length === 0 ? '*' : terms.map(termText).join(', ')
  return { text, range: VersionRange._of(kinds), order, weight }
}

/** Ways to spell a lower bound, each a list of terms (none for -inf). */
function lowerCandidates(cut: Cut): Term[][] {
  const v = cut.v
  switch (cut.t) {
    case T.Min:
      return [[]]
    case T.At:
      return [[['>=', v!]]]
    case T.After:
      return [[['>', v!]]]
    case T.AfterLocals:
      // ">v" also drops v's post-releases; ">=v, !=v" is exact.
      return [[['>', v!]], [['>=', v!], ['!=', v!]]]
    case T.FamilyEnd:
      return [[['>', parseVersion(v!.baseVersion)]]]
    default:
      return []
  }
}

function isFamilyStart(v: Version): boolean {
  return isDevOnly(v) && v.dev === 0 && v.local === null
}

/** Ways to spell an upper bound, each a list of terms (none for +inf). */
function upperCandidates(cut: Cut): Term[][] {
  const v = cut.v
  switch (cut.t) {
    case T.Max:
      return [[]]
    case T.At: {
      // "<v" drops v's pre-releases when v is not one; "<=v, !=v" is exact.
      const list: Term[][] = [[['<', v!]]]
      if (isFamilyStart(v!)) list.unshift([['<', parseVersion(v!.baseVersion)]])
      if (v!.local === null) list.push([['<=', v!], ['!=', v!]])
      return list
    }
    case T.AfterLocals:
    case T.After:
      return [[['<=', v!]]]
    default:
      return []
  }
}

/** Specifiers that exclude exactly the gap between two intervals, if any. */
function holeCandidates(hi: Cut, lo: Cut): Term[] {
  const x = hi.v
  const y = lo.v
  if (hi.t !== T.At || x === null || y === null) return []
  if (lo.t === T.AfterLocals && x.key === y.key) return [['!=', x]]
  if (lo.t === T.After && x.local !== null && x.key === y.key) return [['!=', x]]
  if (lo.t === T.At && isFamilyStart(x) && isFamilyStart(y)) return [['!=*', x]]
  return []
}

function candidatesFor(list: Intervals, pieces: Piece[]): void {
  const n = list.length / 2
  for (let i = 0; i < n; i++) {
    const lo = list[2 * i]!
    for (let j = i; j < n && j < i + 4; j++) {
      const hi = list[2 * j + 1]!
      // Holes between interval i..j, one choice per gap.
      let holes: Term[][] = [[]]
      for (let g = i; g < j && holes.length > 0; g++) {
        const options = holeCandidates(list[2 * g + 1]!, list[2 * g + 2]!)
        holes = holes.flatMap((prefix) => options.map((option) => [...prefix, option]))
      }
      if (holes.length === 0) break
      for (const hole of holes) {
        if (j === i && lo.t === T.At && hi.v !== null && lo.v!.key === hi.v.key) {
          if ((lo.v!.local === null && hi.t === T.AfterLocals) || (lo.v!.local !== null && hi.t === T.After)) {
            pieces.push(piece([['==', lo.v!]], lo, 1))
          }
        }
        if (j === i && lo.t === T.At && hi.t === T.At && isFamilyStart(lo.v!) && isFamilyStart(hi.v!)) {
          pieces.push(piece([['==*', lo.v!]], lo, 1))
        }
        for (const lower of lowerCandidates(lo)) {
          for (const upper of upperCandidates(hi)) pieces.push(piece([...lower, ...upper, ...hole], lo, j - i + 1))
        }
      }
    }
  }
}

function describe(range: VersionRange): string {
  const base = VersionRange._of(range._kinds)
  const included: string[] = []
  const excluded: string[] = []
  for (const [text, o] of range._strings) (o.in ? included : excluded).push(`===${text}`)
  let text: string
  if (base.isEmpty()) text = included.length > 0 ? '' : '∅'
  else if (base.complement().isEmpty()) text = '*'
  else {
    const direct = describeBase(base)
    text = direct.text
    if (!direct.exact) {
      // Often the complement has a spelling (the complement of ">1.0" is "not >1.0").
      const other = describeBase(base.complement())
      if (other.exact) text = other.text.includes(' | ') || other.text.includes(', ') ? `not (${other.text})` : `not ${other.text}`
    }
  }
  let result = [text, ...included].filter((p) => p !== '').join(' | ')
  if (excluded.length > 0) result += ` (except ${excluded.join(', ')})`
  return result
}

function describeBase(base: VersionRange): { text: string; exact: boolean } {
  const lists = base._kinds.map((_, kind) => pruned(base, kind))
  const pieces: Piece[] = []
  const merged = lists.reduce((a, b) => sweep(a, b, (x, y) => x || y), NONE)
  candidatesFor(merged, pieces)
  for (const list of lists) candidatesFor(list, pieces)
  // Greedy cover with pieces that lie inside the range, widest spans first.
  const seen = new Set<string>()
  const inside = pieces
    .filter((p) => !seen.has(p.text) && seen.add(p.text) && p.range.isSubsetOf(base))
    .sort((a, b) => b.weight - a.weight || cmp(a.order, b.order))
  const chosen: Piece[] = []
  let covered = VersionRange.empty()
  for (const p of inside) {
    if (base.isSubsetOf(covered)) break
    if (p.range.isSubsetOf(covered)) continue
    chosen.push(p)
    covered = covered.union(p.range)
  }
  if (base.isSubsetOf(covered)) {
    const needed = chosen.filter((p) => !p.range.isSubsetOf(unionOf(chosen.filter((q) => q !== p))))
    const text = (needed.length > 0 ? needed : chosen)
      .sort((a, b) => cmp(a.order, b.order))
      .map((p) => p.text)
      .join(' | ')
    return { text, exact: true }
  }
  return { text: describeIntervals(lists), exact: false }
}

function unionOf(pieces: readonly Piece[]): VersionRange {
  return pieces.reduce((acc, p) => acc.union(p.range), VersionRange.empty())
}

/** The intervals in version order, each with the kinds of versions it holds when not all. */
function describeIntervals(lists: readonly Intervals[]): string {
  const byInterval = new Map<string, { lo: Cut; hi: Cut; kinds: number[] }>()
  lists.forEach((list, kind) => {
    for (let i = 0; i < list.length; i += 2) {
      const lo = list[i]!
      const hi = list[i + 1]!
      const id = `${lo.t}:${lo.s}|${hi.t}:${hi.s}`
      const entry = byInterval.get(id) ?? { lo, hi, kinds: [] }
      entry.kinds.push(kind)
      byInterval.set(id, entry)
    }
  })
  return [...byInterval.values()]
    .sort((a, b) => cmp(a.lo, b.lo) || cmp(a.hi, b.hi))
    .map(({ lo, hi, kinds }) => {
      const which = kindsText(kinds)
      return `${cutText(lo, true)}, ${cutText(hi, false)}${which === '' ? '' : ` (${which})`}`
    })
    .join(' | ')
}

const KIND_WORDS: readonly [number, string, string][] = [
  [PRE, 'pre-releases', 'non-pre-releases'],
  [POST, 'post-releases', 'non-post-releases'],
  [LOCAL, 'local versions', 'public versions'],
]

/** Names a set of kinds: '' for all of them, else one or two properties, else a list. */
function kindsText(kinds: readonly number[]): string {
  if (kinds.length === KINDS) return ''
  const set = new Set(kinds)
  const cubes: [Set<number>, string][] = []
  for (const [bit, yes, no] of KIND_WORDS) {
    cubes.push([new Set(ALL_KINDS.filter((k) => (k & bit) !== 0)), yes], [new Set(ALL_KINDS.filter((k) => (k & bit) === 0)), no])
  }
  const equal = (a: Set<number>) => a.size === set.size && [...a].every((k) => set.has(k))
  for (const [cube, name] of cubes) if (equal(cube)) return `${name} only`
  for (const [a, x] of cubes) {
    for (const [b, y] of cubes) if (x < y && equal(new Set([...a, ...b]))) return `${x} and ${y} only`
  }
  return `only: ${kinds.map((k) => KIND_WORDS.map(([bit, yes, no]) => (k & bit ? yes : no)).join(' ')).join('; ')}`
}

const ALL_KINDS = Array.from({ length: KINDS }, (_, k) => k)

function cutText(cut: Cut, lower: boolean): string {
  const v = cut.v
  switch (cut.t) {
    case T.Min:
      return '(-inf'
    case T.Max:
      return '+inf)'
    case T.At:
      return lower ? `[${spell(v!)}` : `${spell(v!)})`
    case T.After:
      return lower ? `(${spell(v!)}` : `${spell(v!)}]`
    case T.AfterLocals:
      return lower ? `(${spell(v!)}+*` : `${spell(v!)}+*]`
    case T.FamilyEnd:
      return lower ? `(${v!.baseVersion}.*` : `${v!.baseVersion}.*]`
  }
}
