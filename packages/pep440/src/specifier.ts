/**
 * One version specifier (`>=1.0`, `~=2.2`, `==1.4.*`, `===foo`) with exactly
 * the semantics of PyPA packaging 23.0's `Specifier`.
 *
 * Parsing follows packaging's specifier regex: the operator, optional
 * whitespace, then a version whose allowed shape depends on the operator
 * (`==`/`!=` allow a local segment or a trailing `.*`, `~=` needs two release
 * numbers, the ordering operators allow neither, `===` takes any run of
 * characters other than whitespace, `;` and `)`, even none). The version text
 * is kept as written: `str()` is the operator and that text.
 *
 * Matching works on comparison keys (key.ts): `<=`, `>=` and `==` compare the
 * candidate's public key (packaging re-parses `prospective.public`, which
 * also maps the label `poſt` to `post` and throws for a label with a dotted
 * İ: so do we); `<V` and `>V` add packaging's exclusions of pre-releases
 * (resp. post-releases and local versions) of V's own release, tested as
 * "the candidate's key starts with V's family prefix". Prefix matching
 * (`==V.*`, and the `==` half of `~=`) reproduces packaging's string algorithm
 * literally (canonical string, split on dots, pad the release with zeros,
 * compare the first items), which is also what it does for epochs and odd
 * labels; the candidate's split is cached on the Version.
 */
import { compareCodePoints, isDigit, isPyWhitespace, pyStrip } from './chars.js'
import type { VersionLike } from './compare.js'
import { InvalidSpecifierError } from './errors.js'
import type { Version } from './version.js'
import { F_DEV, F_LOCAL, F_POST, F_POST_EXOTIC, F_PRE, F_PRE_DOTTED, parseVersion, toVersion, tryParseVersion } from './version.js'

export type Operator = '~=' | '==' | '!=' | '<=' | '>=' | '<' | '>' | '==='

export interface PrereleaseOptions {
  /**
   * true: pre-releases match like any version; false: they never match;
   * undefined: the specifier decides (`prereleases`).
   */
  readonly prereleases?: boolean | undefined
}

const enum Op {
  Compatible,
  Equal,
  EqualPrefix,
  NotEqual,
  NotEqualPrefix,
  LessEqual,
  GreaterEqual,
  Less,
  Greater,
  Arbitrary,
}

/** A version specifier. Immutable; build one with `parseSpecifier`. */
export class Specifier {
  readonly operator: Operator
  /** The version as written (without surrounding whitespace). */
  readonly version: string
  /** The `prereleases` given at parse time, or null (decided from the specifier). */
  readonly prereleasesOverride: boolean | null

  private readonly op: Op
  /** The parsed version (the prefix for `==V.*`, the spec for `~=`), null for `===`. */
  private readonly target: Version | null
  /** Prefix matching: the spec's split items and how many lead with digits. */
  private readonly prefixItems: readonly string[] | null
  /** @internal the canonical prefix text that prefix matching splits (`1.0` for `==1.0.*`, `2` for `~=2.2`). */
  readonly _prefixText: string | null
  private readonly prefixRelease: number
  private readonly arbitraryLower: string
  /** The key prefix of the target's release family (for `<` and `>`). */
  private readonly family: string
  private autoPrereleases: boolean | undefined
  private canonicalText: string | undefined

  /**
   * @internal use `parseSpecifier`. `parsed` is `version` already parsed (by
   * `scanSpecifier`), so a specifier costs one parse of its version, not two.
   */
  constructor(operator: Operator, version: string, prereleases: boolean | null, parsed?: Version | null) {
    this.operator = operator
    this.version = version
    this.prereleasesOverride = prereleases
    this.autoPrereleases = undefined
    this.canonicalText = undefined
    this.arbitraryLower = ''
    this.prefixItems = null
    this._prefixText = null
    this.prefixRelease = 0
    this.target = null
    switch (operator) {
      case '===':
        this.op = Op.Arbitrary
        this.arbitraryLower = version.toLowerCase()
        break
      case '==':
      case '!=': {
        const prefix = version.endsWith('.*')
        this.op = operator === '==' ? (prefix ? Op.EqualPrefix : Op.Equal) : prefix ? Op.NotEqualPrefix : Op.NotEqual
        if (prefix) {
          this._prefixText = canonicalizeText(version.slice(0, -2), false)
          const items = versionSplit(this._prefixText)
          this.prefixItems = items
          this.prefixRelease = leadingDigitItems(items)
          this.target = parseVersion(version.slice(0, -2))
        } else {
          this.target = parsed ?? parseVersion(version)
        }
        break
      }
      case '~=': {
        this.op = Op.Compatible
        this.target = parsed ?? parseVersion(version)
        const items: string[] = []
        for (const item of versionSplit(version)) {
          if (isSuffix(item)) break
          items.push(item)
        }
        items.pop()
        this._prefixText = canonicalizeText(items.join('.'), false)
        const prefixItems = versionSplit(this._prefixText)
        this.prefixItems = prefixItems
        this.prefixRelease = leadingDigitItems(prefixItems)
        break
      }
      case '<=':
        this.op = Op.LessEqual
        this.target = parsed ?? parseVersion(version)
        break
      case '>=':
        this.op = Op.GreaterEqual
        this.target = parsed ?? parseVersion(version)
        break
      case '<':
        this.op = Op.Less
        this.target = parsed ?? parseVersion(version)
        break
      case '>':
        this.op = Op.Greater
        this.target = parsed ?? parseVersion(version)
        break
    }
    this.family = this.target === null ? '' : this.target._family
  }

  /**
   * Whether pre-releases match by default: the override given at parse time,
   * else true when an inclusive operator (`==`, `>=`, `<=`, `~=`, `===`)
   * names a pre-release (`>=1.0rc1`). Like packaging, throws
   * `InvalidVersionError` for `===` with a text that is not a version.
   */
  get prereleases(): boolean {
    if (this.prereleasesOverride !== null) return this.prereleasesOverride
    if (this.autoPrereleases !== undefined) return this.autoPrereleases
    let value = false
    switch (this.op) {
      case Op.Equal:
      case Op.EqualPrefix:
      case Op.GreaterEqual:
      case Op.LessEqual:
      case Op.Compatible:
        value = this.target!.isPrerelease
        break
      case Op.Arbitrary:
        value = parseVersion(this.version).isPrerelease
        break
      default:
        value = false
    }
    this.autoPrereleases = value
    return value
  }

  /**
   * Whether the version matches (packaging's `Specifier.contains`). A
   * pre-release matches only when `prereleases` (the option, else the
   * specifier's) is true.
   *
   * ```ts
   * parseSpecifier('<2').contains('2.0rc1', { prereleases: true }) // false: <V excludes V's pre-releases
   * ```
   */
  contains(version: VersionLike, options?: PrereleaseOptions): boolean {
    const v = toVersion(version)
    // packaging decides the policy before looking at the version (so `===junk` raises even for 1.0).
    const allowed = options?.prereleases ?? this.prereleases
    if (!allowed && v._flags & (F_PRE | F_DEV)) return false
    return this.matches(v)
  }

  /**
   * The items that match, in order (packaging's `Specifier.filter`): with
   * `prereleases` undefined, pre-releases are kept only when nothing else
   * matches (unless the specifier allows them).
   */
  filter<T extends VersionLike>(items: Iterable<T>, options?: PrereleaseOptions): T[] {
    const prereleases = options?.prereleases
    const result: T[] = []
    const held: T[] = []
    for (const item of items) {
      const v = toVersion(item)
      if (!this.contains(v, { prereleases: prereleases ?? true })) continue
      if (v.isPrerelease && !(prereleases || this.prereleases)) held.push(item)
      else result.push(item)
    }
    return result.length === 0 && held.length > 0 ? held : result
  }

  /** @internal the parsed version (the prefix for `==V.*`), null for `===`. */
  get _target(): Version | null {
    return this.target
  }

  /** @internal the operator alone, pre-release policy aside. */
  matches(v: Version): boolean {
    const target = this.target
    switch (this.op) {
      case Op.GreaterEqual:
        return comparablePublicKey(v) >= target!.key
      case Op.Less: {
        if (!(v.key < target!.key)) return false
        const t = target!
        return !((t._flags & (F_PRE | F_DEV)) === 0 && v._flags & (F_PRE | F_DEV) && v.key.startsWith(this.family))
      }
      case Op.LessEqual:
        return comparablePublicKey(v) <= target!.key
      case Op.Greater: {
        const t = target!
        if (!(v.key > t.key)) return false
        if ((t._flags & F_POST) === 0 && v._flags & F_POST && v.key.startsWith(this.family)) return false
        return !(v._flags & F_LOCAL && v.key.startsWith(this.family))
      }
      case Op.Equal:
        return equalTo(v, target!)
      case Op.NotEqual:
        return !equalTo(v, target!)
      case Op.EqualPrefix:
        return this.prefixMatches(v)
      case Op.NotEqualPrefix:
        return !this.prefixMatches(v)
      case Op.Compatible:
        return comparablePublicKey(v) >= target!.key && this.prefixMatches(v)
      case Op.Arbitrary:
        return v.toString().toLowerCase() === this.arbitraryLower
    }
  }

  private prefixMatches(v: Version): boolean {
    const spec = this.prefixItems!
    const split = (v._wildcardSplit ??= versionSplit(canonicalPublic(v)))
    const release = leadingDigitItems(split)
    const pad = Math.max(0, this.prefixRelease - release)
    const total = split.length + pad
    if (total < spec.length) return false
    for (let i = 0; i < spec.length; i++) {
      const item = i < release ? split[i] : i < release + pad ? '0' : split[i - pad]
      if (item !== spec[i]) return false
    }
    return true
  }

  /** packaging's `_canonical_spec`: equal specifiers hash and compare equal (`==1.0` and `==1.0.0`). */
  get canonical(): string {
    if (this.canonicalText === undefined) {
      // The target is this.version parsed, except for `===` and `==V.*` / `!=V.*` (whose text does not parse as is).
      const direct = this.op !== Op.Arbitrary && this.op !== Op.EqualPrefix && this.op !== Op.NotEqualPrefix && this.target !== null
      const stripZeros = this.operator !== '~='
      this.canonicalText = `${this.operator}${direct ? canonicalString(this.target!, stripZeros) : canonicalizeText(this.version, stripZeros)}`
    }
    return this.canonicalText
  }

  /** Same operator and canonical version (pre-release overrides aside), as packaging's `==`. */
  equals(other: Specifier): boolean {
    return this.canonical === other.canonical
  }

  /** packaging's `str(Specifier)`: the operator and the version as written. */
  toString(): string {
    return this.operator + this.version
  }

  toJSON(): string {
    return this.toString()
  }
}

/** A pre-release label spelled with a dotted capital I lowercases to `i̇`, which does not parse again. */
export function unreparseable(v: Version): boolean {
  return (v._flags & F_PRE_DOTTED) !== 0
}

/**
 * The key of `Version(v.public)`, as packaging computes it for `==`, `<=`,
 * `>=`: the public key, except that re-parsing maps `poſt` to `post` and
 * throws for an unparseable label.
 */
function comparablePublicKey(v: Version): string {
  if ((v._flags & (F_POST_EXOTIC | F_PRE_DOTTED)) === 0) return v._public
  return parseVersion(v.public).key
}

function equalTo(v: Version, target: Version): boolean {
  if (target._flags & F_LOCAL) return v.key === target.key
  return comparablePublicKey(v) === target.key
}

/** packaging's `canonicalize_version(v.public)`: strips trailing `.0`s, or the raw text when it does not parse. */
function canonicalPublic(v: Version): string {
  const text = v.public
  if (unreparseable(v)) return text
  return stripReleaseZeros(text, v.baseVersion)
}

/** packaging's `canonicalize_version(text, strip_trailing_zero)` on a string. */
export function canonicalizeText(text: string, stripTrailingZero: boolean): string {
  const v = tryParseVersion(text)
  return v === null ? text : canonicalString(v, stripTrailingZero)
}

function canonicalString(v: Version, stripTrailingZero: boolean): string {
  const text = v.toString()
  return stripTrailingZero ? stripReleaseZeros(text, v.baseVersion) : text
}

/** Removes trailing `.0`s from the release, which is `base` (epoch and release) at the start of `text`. */
function stripReleaseZeros(text: string, base: string): string {
  let release = base
  while (release.endsWith('.0')) release = release.slice(0, -2)
  return release.length === base.length ? text : release + text.slice(base.length)
}

const PREFIX_SPLIT = /^([0-9]+)((?:a|b|c|rc)[0-9]+)$/

/** packaging's `_version_split`: dot-separated items, with `1rc2` split into `1` and `rc2`. */
function versionSplit(text: string): string[] {
  const result: string[] = []
  for (const item of text.split('.')) {
    const match = PREFIX_SPLIT.exec(item)
    if (match === null) result.push(item)
    else result.push(match[1]!, match[2]!)
  }
  return result
}

function leadingDigitItems(items: readonly string[]): number {
  let n = 0
  while (n < items.length && isAllDigits(items[n]!)) n++
  return n
}

function isAllDigits(item: string): boolean {
  if (item.length === 0) return false
  for (let i = 0; i < item.length; i++) if (!isDigit(item.charCodeAt(i))) return false
  return true
}

function isSuffix(item: string): boolean {
  return item.startsWith('dev') || item.startsWith('a') || item.startsWith('b') || item.startsWith('rc') || item.startsWith('post')
}

// ---------------------------------------------------------------------------
// Parsing

const WILDCARD_PREFIX = /^[vV]?(?:[0-9]+!)?[0-9]+(?:\.[0-9]+)*$/

/** The operator and version text of a specifier, or null when packaging would reject it. */
export function scanSpecifier(text: string): { operator: Operator; version: string; parsed?: Version } | null {
  const stripped = pyStrip(text)
  let operator: Operator
  if (stripped.startsWith('===')) {
    const version = pyStrip(stripped.slice(3))
    for (let i = 0; i < version.length; i++) {
      const c = version.charCodeAt(i)
      if (c === 0x3b || c === 0x29 || isPyWhitespace(c)) return null
    }
    return { operator: '===', version }
  }
  const two = stripped.slice(0, 2)
  if (two === '~=' || two === '==' || two === '!=' || two === '<=' || two === '>=') operator = two
  else if (two[0] === '<' || two[0] === '>') operator = two[0]
  else return null
  const version = pyStrip(stripped.slice(operator.length))
  if ((operator === '==' || operator === '!=') && version.endsWith('.*')) {
    return WILDCARD_PREFIX.test(version.slice(0, -2)) ? { operator, version } : null
  }
  // The version grammar has no whitespace inside, so a stripped text that
  // parses is exactly what the regex would have matched.
  const v = tryParseVersion(version)
  if (v === null) return null
  if (operator === '==' || operator === '!=') return { operator, version, parsed: v }
  if (v.local !== null) return null
  if (operator === '~=' && v.release.length < 2) return null
  return { operator, version, parsed: v }
}


/**
 * Parses one specifier as `packaging.specifiers.Specifier(text)`. Throws
 * `InvalidSpecifierError` (code `ERR_INVALID_SPECIFIER`).
 *
 * ```ts
 * const spec = parseSpecifier('~= 2.2')
 * spec.toString()        // '~=2.2'
 * spec.contains('2.9.1') // true
 * spec.contains('3.0')   // false
 * ```
 */
export function parseSpecifier(text: string, options?: PrereleaseOptions): Specifier {
  const scanned = scanSpecifier(text)
  if (scanned === null) throw new InvalidSpecifierError(text)
  return new Specifier(scanned.operator, scanned.version, options?.prereleases ?? null, scanned.parsed)
}

/** Like `parseSpecifier`, but returns null instead of throwing. */
export function tryParseSpecifier(text: string, options?: PrereleaseOptions): Specifier | null {
  const scanned = scanSpecifier(text)
  return scanned === null ? null : new Specifier(scanned.operator, scanned.version, options?.prereleases ?? null, scanned.parsed)
}

/** Sorts specifier strings as Python sorts `str` (by code point). */
export function sortSpecifierStrings(items: string[]): string[] {
  return items.sort(compareCodePoints)
}

