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
  return sortByKey(versions)
}

const INSERTION_SORT_BELOW = 24

/**
 * A stable sort of versions by key: an MSD radix sort over the keys' code
 * units (keys are short one-byte strings, see key.ts), with insertion sort
 * for small buckets. About four times faster than `Array.prototype.sort` with
 * a comparator, which calls back into JavaScript for every comparison.
 */
function sortByKey(versions: readonly Version[]): Version[] {
  const n = versions.length
  const keys = new Array<string>(n)
  for (let i = 0; i < n; i++) keys[i] = versions[i]!.key
  const order = new Int32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  const scratch = new Int32Array(n)
  const count = new Int32Array(258)
  // Segments still to sort, as (start, end, depth) triples: every key in a
  // segment shares its first `depth` code units.
  const stack: number[] = n > 1 ? [0, n, 0] : []
  while (stack.length > 0) {
    const depth = stack.pop()!
    const end = stack.pop()!
    const start = stack.pop()!
    if (end - start < INSERTION_SORT_BELOW) {
      for (let i = start + 1; i < end; i++) {
        const x = order[i]!
        const key = keys[x]!
        let j = i - 1
        while (j >= start && keys[order[j]!]! > key) {
          order[j + 1] = order[j]!
          j--
        }
        order[j + 1] = x
      }
      continue
    }
    // Bucket 0 holds the keys that end here (all equal), bucket c + 1 code unit c.
    count.fill(0)
    let wide = false
    for (let i = start; i < end; i++) {
      const key = keys[order[i]!]!
      const c = depth < key.length ? key.charCodeAt(depth) + 1 : 0
      if (c > 256) {
        wide = true
        break
      }
      count[c + 1]!++
    }
    if (wide) {
      // A code unit beyond one byte (an exotic label): compare this segment's keys directly.
      const segment = Array.from(order.subarray(start, end)).sort((a, b) => {
        const x = keys[a]!
        const y = keys[b]!
        return x === y ? a - b : x < y ? -1 : 1
      })
      order.set(segment, start)
      continue
    }
    for (let c = 1; c < 258; c++) count[c]! += count[c - 1]!
    for (let i = start; i < end; i++) {
      const key = keys[order[i]!]!
      const c = depth < key.length ? key.charCodeAt(depth) + 1 : 0
      scratch[start + count[c]!++] = order[i]!
    }
    order.set(scratch.subarray(start, end), start)
    let bucket = start + count[0]!
    for (let c = 1; c < 257; c++) {
      const next = start + count[c]!
      if (next - bucket > 1) stack.push(bucket, next, depth + 1)
      bucket = next
    }
  }
  const sorted = new Array<Version>(n)
  for (let i = 0; i < n; i++) sorted[i] = versions[order[i]!]!
  return sorted
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
