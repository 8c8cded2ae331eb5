import type { Version } from './version.js'
import { toVersion } from './version.js'

/** A version, or a string that `parseVersion` accepts. */
export type VersionLike = Version | string

/**
 * Orders two versions exactly as packaging does: negative when a < b, 0 when
 * equal (`1.0` and `1.0.0`), positive when a > b. Strings are parsed (and
 * throw `InvalidVersionError` when invalid).
 *
 * ```ts
 * compareVersions('1.0.dev0', '1.0a1') < 0 // true: dev < pre < final < post
 * ```
 */
export function compareVersions(a: VersionLike, b: VersionLike): number {
  const x = toVersion(a).key
  const y = toVersion(b).key
  return x < y ? -1 : x > y ? 1 : 0
}

export function eq(a: VersionLike, b: VersionLike): boolean {
  return toVersion(a).key === toVersion(b).key
}

export function ne(a: VersionLike, b: VersionLike): boolean {
  return toVersion(a).key !== toVersion(b).key
}

export function lt(a: VersionLike, b: VersionLike): boolean {
  return toVersion(a).key < toVersion(b).key
}

export function le(a: VersionLike, b: VersionLike): boolean {
  return toVersion(a).key <= toVersion(b).key
}

export function gt(a: VersionLike, b: VersionLike): boolean {
  return toVersion(a).key > toVersion(b).key
}

export function ge(a: VersionLike, b: VersionLike): boolean {
  return toVersion(a).key >= toVersion(b).key
}

function byKey(a: Version, b: Version): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0
}

/**
 * A new array of the versions in ascending order (stable: equal versions keep
 * their input order). Strings are parsed; an invalid one throws.
 *
 * ```ts
 * sortVersions(['1.10', '1.9', '1.0rc1']).map(String) // ['1.0rc1', '1.9', '1.10']
 * ```
 */
export function sortVersions(items: Iterable<VersionLike>): Version[] {
  const versions: Version[] = []
  for (const item of items) versions.push(toVersion(item))
  return versions.sort(byKey)
}

/** The greatest version (the first of equal greatest ones), or null for none. */
export function maxVersion(items: Iterable<VersionLike>): Version | null {
  let best: Version | null = null
  for (const item of items) {
    const v = toVersion(item)
    if (best === null || v.key > best.key) best = v
  }
  return best
}

/** The smallest version (the first of equal smallest ones), or null for none. */
export function minVersion(items: Iterable<VersionLike>): Version | null {
  let best: Version | null = null
  for (const item of items) {
    const v = toVersion(item)
    if (best === null || v.key < best.key) best = v
  }
  return best
}
