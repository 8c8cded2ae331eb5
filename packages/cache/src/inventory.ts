/**
 * What `pipette cache info | list | remove | purge` report, as data: pip's
 * semantics over pipette's buckets (pip's `wheels/` is pipette's wheel store,
 * pip's `http-v2/` is `http-cache-v2/`, and pipette adds its unpacked wheels).
 */
import { lstat, readdir, rmdir, unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { removeAtomic, sweepTemporaries } from './fs-atomic.js'
import { BUCKETS, RETIRED_BUCKETS } from './buckets.js'
import { createWheelStore, type StoredWheel } from './wheel-store.js'
import { formatSize } from './format-size.js'

export { formatSize }

export interface BucketSummary {
  readonly location: string
  /** Bytes of every file under the bucket. */
  readonly size: number
  /** Number of entries: HTTP files, wheel files, unpacked wheels. */
  readonly count: number
}

export interface CacheInfo {
  readonly http: BucketSummary
  readonly wheels: BucketSummary
  readonly archives: BucketSummary
}

export interface RemoveResult {
  /** Files removed (wheel files; and HTTP files for `*`). */
  readonly files: readonly string[]
  readonly bytes: number
  /** Directories removed (emptied hash directories, unpacked wheels). */
  readonly directories: number
}

/** Python's `fnmatch.fnmatchcase` (pip's `find_files` on POSIX): `*`, `?`, `[seq]`, `[!seq]`. */
export function fnmatch(name: string, pattern: string): boolean {
  return translate(pattern).test(name)
}

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/]/g

function translate(pattern: string): RegExp {
  let out = ''
  let i = 0
  const n = pattern.length
  while (i < n) {
    const c = pattern[i] as string
    i += 1
    if (c === '*') {
      if (!out.endsWith('.*')) out += '.*'
    } else if (c === '?') {
      out += '.'
    } else if (c === '[') {
      let j = i
      if (j < n && pattern[j] === '!') j += 1
      if (j < n && pattern[j] === ']') j += 1
      while (j < n && pattern[j] !== ']') j += 1
      if (j >= n) {
        out += '\\['
      } else {
        let stuff = pattern.slice(i, j)
        i = j + 1
        if (stuff === '') {
          out += '(?!)'
        } else if (stuff === '!') {
          out += '.'
        } else {
          const negate = stuff.startsWith('!')
          if (negate) stuff = stuff.slice(1)
          const body = stuff.replace(/[\\\]^[]/g, (ch) => `\\${ch}`)
          const cls = `[${negate ? '^' : ''}${body}]`
          try {
            new RegExp(cls, 'su')
            out += cls
          } catch {
            out += '(?!)' // a range out of order (z-a) matches nothing, as in Python
          }
        }
      }
    } else {
      out += c.replace(REGEX_SPECIAL, (ch) => `\\${ch}`)
    }
  }
  return new RegExp(`^(?:${out})$`, 'su')
}

/** pip's rule: a pattern with a `-` already names a version; otherwise `-*` is added; then `*.whl`. */
export function wheelPattern(pattern: string): string {
  return pattern + (pattern.includes('-') ? '*.whl' : '-*.whl')
}

async function treeStats(root: string, countFile: (name: string) => boolean): Promise<{ size: number; count: number }> {
  let size = 0
  let count = 0
  const visit = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const full = join(dir, entry.name)
      if (entry.isDirectory()) await visit(full)
      else {
        const info = await lstat(full).catch(() => undefined)
        if (info === undefined) continue
        size += info.size
        if (countFile(entry.name)) count += 1
      }
    }
  }
  await visit(root)
  return { size, count }
}

export async function cacheInfo(cacheDir: string): Promise<CacheInfo> {
  const http = join(cacheDir, BUCKETS.http)
  const wheels = join(cacheDir, BUCKETS.wheels)
  const archives = join(cacheDir, BUCKETS.archives)
  const httpStats = await treeStats(http, (name) => !name.startsWith('.'))
  const wheelStats = await treeStats(wheels, () => false)
  const wheelCount = (await listWheels(cacheDir, '*')).length
  const archiveStats = await treeStats(archives, () => false)
  const archiveCount = (await readdir(archives).catch(() => [] as string[])).filter((name) => /^[0-9a-f]{64}$/.test(name)).length
  return Object.freeze({
    http: Object.freeze({ location: http, size: httpStats.size, count: httpStats.count }),
    wheels: Object.freeze({ location: wheels, size: wheelStats.size, count: wheelCount }),
    archives: Object.freeze({ location: archives, size: archiveStats.size, count: archiveCount }),
  })
}

/** The stored wheels whose file name matches `pattern` (pip's `cache list` rule), sorted by path. */
export async function listWheels(cacheDir: string, pattern = '*'): Promise<readonly StoredWheel[]> {
  const glob = wheelPattern(pattern)
  const all = await createWheelStore({ dir: join(cacheDir, BUCKETS.wheels) }).list()
  return Object.freeze(all.filter((wheel) => fnmatch(wheel.filename, glob)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)))
}

async function removeIfEmpty(dir: string): Promise<boolean> {
  try {
    await rmdir(dir)
    return true
  } catch {
    return false
  }
}

/**
 * pip's `cache remove PATTERN`: removes the matching wheel files and, with
 * them, their unpacked trees; `*` also removes every HTTP entry (pip's purge).
 */
export async function removeWheels(cacheDir: string, pattern: string): Promise<RemoveResult> {
  const wheelsDir = join(cacheDir, BUCKETS.wheels)
  const archivesDir = join(cacheDir, BUCKETS.archives)
  const files: string[] = []
  let bytes = 0
  let directories = 0
  const matched = await listWheels(cacheDir, pattern)
  for (const wheel of matched) {
    try {
      await unlink(wheel.path)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue
      throw error
    }
    files.push(wheel.path)
    bytes += wheel.size
    // The hash directory and the unpacked tree go once no file with these bytes is left (they may have two names).
    const hashDir = dirname(wheel.path)
    if (await removeIfEmpty(hashDir)) {
      directories += 1
      if (await removeAtomic(join(archivesDir, wheel.sha256))) directories += 1
      if (await removeIfEmpty(dirname(hashDir))) directories += 1
    }
  }
  if (pattern === '*') {
    for (const bucket of [BUCKETS.http, ...RETIRED_BUCKETS]) {
      const removed = await removeAllFiles(join(cacheDir, bucket))
      files.push(...removed.files)
      bytes += removed.bytes
      directories += removed.directories
    }
    for (const id of await readdir(archivesDir).catch(() => [] as string[])) {
      if (/^[0-9a-f]{64}$/.test(id) && (await removeAtomic(join(archivesDir, id)))) directories += 1
    }
    for (const dir of [wheelsDir, join(wheelsDir, '.tmp'), archivesDir, join(archivesDir, '.locks'), join(cacheDir, BUCKETS.http)]) {
      await sweepTemporaries(dir, { maxAgeMs: 3600_000 })
    }
  }
  return Object.freeze({ files: Object.freeze(files), bytes, directories })
}

/** Removes every file of a bucket (entries at any depth of shard directories) and the emptied directories. */
async function removeAllFiles(root: string): Promise<RemoveResult> {
  const files: string[] = []
  let bytes = 0
  let directories = 0
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (entry.name.startsWith('.')) continue
      const full = join(dir, entry.name)
      if (entry.isDirectory()) {
        await visit(full)
        await sweepTemporaries(full, { maxAgeMs: 3600_000 })
        if (await removeIfEmpty(full)) directories += 1
        continue
      }
      const info = await lstat(full).catch(() => undefined)
      if (info === undefined || !info.isFile()) continue
      await unlink(full).catch(() => undefined)
      files.push(full)
      bytes += info.size
    }
  }
  await visit(root)
  return { files, bytes, directories }
}

/** pip's `cache purge`: `remove *`. */
export async function purgeCache(cacheDir: string): Promise<RemoveResult> {
  return removeWheels(cacheDir, '*')
}
