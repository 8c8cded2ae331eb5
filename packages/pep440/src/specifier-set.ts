/**
 * A comma-separated set of specifiers with the semantics of packaging 23.0's
 * `SpecifierSet`: parts are stripped, empty parts ignored, equal specifiers
 * (`==1.0` and `==1.0.0`) kept once (the first), `str()` is the sorted
 * parts joined by commas.
 *
 * Pre-releases: unless told otherwise, a set allows them when one of its
 * specifiers names one with an inclusive operator (`>=1.0rc1`). `filter` of a
 * non-empty set never falls back to pre-releases (packaging 23.0 passes its
 * decision down as a plain boolean); only the empty set and a single
 * `Specifier` fall back to pre-releases when nothing else matches.
 *
 * packaging evaluates `prereleases` and `contains` over a Python frozenset,
 * whose order depends on string hashing, and stops at the first decisive
 * specifier. When one of them raises (`===` with a text that is not a version;
 * `==`, `<=`, `>=`, `~=` on a label spelled with a dotted capital I) and
 * another decides, packaging's answer depends on that order. We answer as if
 * the deciding one came first, and raise only when no specifier decides.
 */
import { compareCodePoints, pyStrip } from './chars.js'
import type { VersionLike } from './compare.js'
import { InvalidSpecifierError } from './errors.js'
import type { PrereleaseOptions, Specifier } from './specifier.js'
import { scanSpecifier, Specifier as SpecifierClass, unreparseable } from './specifier.js'
import type { Version } from './version.js'
import { F_DEV, F_PRE, toVersion } from './version.js'

/** A set of specifiers, all of which must match. Immutable; build one with `parseSpecifierSet`. */
export class SpecifierSet {
  /** The specifiers, in the order written (duplicates removed). */
  readonly specifiers: readonly Specifier[]
  /** The `prereleases` given at parse time, or null (decided from the specifiers). */
  readonly prereleasesOverride: boolean | null
  private text: string | undefined
  private auto: boolean | null | undefined

  /** @internal use `parseSpecifierSet`. */
  constructor(specifiers: readonly Specifier[], prereleases: boolean | null) {
    this.specifiers = Object.freeze(specifiers.slice())
    this.prereleasesOverride = prereleases
    this.text = undefined
    this.auto = undefined
  }

  get size(): number {
    return this.specifiers.length
  }

  /**
   * Whether pre-releases match by default: the override, else null for an
   * empty set, else true when a specifier allows them.
   */
  private cachedPrereleases(): boolean | null {
    if (this.auto === undefined) this.auto = this.prereleases
    return this.auto
  }

  get prereleases(): boolean | null {
    if (this.prereleasesOverride !== null) return this.prereleasesOverride
    if (this.specifiers.length === 0) return null
    let failure: unknown
    let failed = false
    for (const spec of this.specifiers) {
      try {
        if (spec.prereleases) return true
      } catch (error) {
        if (!failed) failure = error
        failed = true
      }
    }
    if (failed) throw failure
    return false
  }

  /**
   * Whether every specifier matches the version (packaging's
   * `SpecifierSet.contains`). The empty set matches every final release.
   *
   * ```ts
   * const set = parseSpecifierSet('>=1.0,<2')
   * set.contains('1.5')                          // true
   * set.contains('1.6b1')                        // false: a pre-release
   * set.contains('1.6b1', { prereleases: true }) // true
   * ```
   */
  contains(version: VersionLike, options?: PrereleaseOptions): boolean {
    const v = toVersion(version)
    // packaging decides the policy before looking at the version (so `===junk` raises even for 1.0).
    const allowed = options?.prereleases ?? this.cachedPrereleases()
    if (!allowed && v._flags & (F_PRE | F_DEV)) return false
    const specs = this.specifiers
    if (unreparseable(v)) return allMatch(specs, v)
    for (let i = 0; i < specs.length; i++) if (!specs[i]!.matches(v)) return false
    return true
  }

  /**
   * The items that match, in order (packaging's `SpecifierSet.filter`).
   * Strings stay strings; an invalid one throws `InvalidVersionError`.
   *
   * ```ts
   * parseSpecifierSet('>=1.0').filter(['0.9', '1.0', '1.1a1', '2.0']) // ['1.0', '2.0']
   * parseSpecifierSet('').filter(['1.1a1', '1.2b1'])                  // ['1.1a1', '1.2b1']
   * ```
   */
  filter<T extends VersionLike>(items: Iterable<T>, options?: PrereleaseOptions): T[] {
    const prereleases = options?.prereleases ?? this.prereleases
    const result: T[] = []
    if (this.specifiers.length > 0) {
      const specs = this.specifiers
      outer: for (const item of items) {
        const v = toVersion(item)
        if (!prereleases && v.isPrerelease) continue
        if (unreparseable(v)) {
          if (allMatch(specs, v)) result.push(item)
          continue
        }
        for (let i = 0; i < specs.length; i++) if (!specs[i]!.matches(v)) continue outer
        result.push(item)
      }
      return result
    }
    const held: T[] = []
    for (const item of items) {
      const v = toVersion(item)
      if (v.isPrerelease && !prereleases) {
        if (result.length === 0) held.push(item)
      } else {
        result.push(item)
      }
    }
    return result.length === 0 && held.length > 0 && prereleases === null ? held : result
  }

  /** Both sets together (packaging's `&`); throws when their pre-release overrides conflict. */
  and(other: SpecifierSet): SpecifierSet {
    const a = this.prereleasesOverride
    const b = other.prereleasesOverride
    if (a !== null && b !== null && a !== b) {
      throw new InvalidSpecifierError(`${this.toString()} & ${other.toString()}`, {
        part: 'Cannot combine SpecifierSets with True and False prerelease overrides.',
      })
    }
    return new SpecifierSet(dedupe([...this.specifiers, ...other.specifiers]), a ?? b)
  }

  /** The same specifiers (canonically), pre-release overrides aside, as packaging's `==`. */
  equals(other: SpecifierSet): boolean {
    const mine = new Set(this.specifiers.map((s) => s.canonical))
    const theirs = new Set(other.specifiers.map((s) => s.canonical))
    return mine.size === theirs.size && [...mine].every((c) => theirs.has(c))
  }

  /** packaging's `str(SpecifierSet)`: the specifiers sorted and joined by commas. */
  toString(): string {
    return (this.text ??= this.specifiers
      .map(String)
      .sort(compareCodePoints)
      .join(','))
  }

  toJSON(): string {
    return this.toString()
  }
}

/**
 * Every specifier matches, for a version some operators throw on (a label
 * with a dotted capital I, which packaging cannot re-parse). packaging stops
 * at the first specifier, in frozenset order, that does not match or throws;
 * we answer false when any does not match, and throw only when none says no.
 */
function allMatch(specs: readonly Specifier[], v: Version): boolean {
  let failure: unknown
  let failed = false
  for (const spec of specs) {
    try {
      if (!spec.matches(v)) return false
    } catch (error) {
      if (!failed) failure = error
      failed = true
    }
  }
  if (failed) throw failure
  return true
}

function dedupe(specs: readonly Specifier[]): Specifier[] {
  const seen = new Set<string>()
  const result: Specifier[] = []
  for (const spec of specs) {
    const canonical = spec.canonical
    if (seen.has(canonical)) continue
    seen.add(canonical)
    result.push(spec)
  }
  return result
}

/**
 * Parses a comma-separated specifier set as
 * `packaging.specifiers.SpecifierSet(text)`. Throws `InvalidSpecifierError`
 * naming the offending part. The empty string is the empty set.
 *
 * ```ts
 * parseSpecifierSet(' >=1.0 , !=1.5, <2 ').toString() // '!=1.5,<2,>=1.0'
 * ```
 */
export function parseSpecifierSet(text: string, options?: PrereleaseOptions): SpecifierSet {
  const prereleases = options?.prereleases ?? null
  // Sets are immutable, so one parse per text serves every caller: an index
  // page repeats a few Requires-Python texts on every file, and a resolution
  // meets the same requirement texts again and again.
  const memo = prereleases === null ? parsedSets : prereleases ? parsedSetsPre : parsedSetsNoPre
  const known = memo.get(text)
  if (known !== undefined) return known
  const specs: Specifier[] = []
  for (const raw of text.split(',')) {
    const part = pyStrip(raw)
    if (part === '') continue
    const scanned = scanSpecifier(part)
    if (scanned === null) throw new InvalidSpecifierError(text, { part })
    specs.push(new SpecifierClass(scanned.operator, scanned.version, null, scanned.parsed))
  }
  const set = new SpecifierSet(specs.length > 1 ? dedupe(specs) : specs, prereleases)
  if (memo.size >= MEMO_LIMIT) memo.clear()
  memo.set(text, set)
  return set
}

/** Parsed sets by text, per pre-release override (bounded: cleared when full). */
const MEMO_LIMIT = 4096
const parsedSets = new Map<string, SpecifierSet>()
const parsedSetsPre = new Map<string, SpecifierSet>()
const parsedSetsNoPre = new Map<string, SpecifierSet>()

/** Like `parseSpecifierSet`, but returns null instead of throwing. */
export function tryParseSpecifierSet(text: string, options?: PrereleaseOptions): SpecifierSet | null {
  try {
    return parseSpecifierSet(text, options)
  } catch (error) {
    if (error instanceof InvalidSpecifierError) return null
    throw error
  }
}
