/**
 * The index-level operations behind `pipette index versions` and
 * `pipette download --no-deps`: what a command calls, with the answers as
 * data and progress as events (the CLI prints them as pip does).
 */
import { createReadStream, linkSync, renameSync, statSync } from 'node:fs'
import type { Stats } from 'node:fs'
import { constants, copyFile, mkdir, rm } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { downloadFile, downloadStream } from './download.js'
import { hashMismatch, IndexError } from './errors.js'
import type { Candidate } from './evaluate.js'
import type { Finder } from './finder.js'
import type { ExpectedHashes } from './hashing.js'
import { createMultiHasher, expectedFrom, hashesMatch } from './hashing.js'
import type { HttpClient } from './http.js'
import { fileUrlToPath, isFileUrl, stripCredentials, withoutFragment } from './urls.js'
import type { VersionScheme } from './versions.js'

export interface AvailableVersions {
  /** The name as asked. */
  readonly name: string
  /** Normalized versions, newest first. */
  readonly versions: readonly string[]
  readonly latest: string
}

/**
 * pip's `index versions`: every version with a usable, non-yanked file,
 * pre-releases only with `pre`, newest first. Throws
 * ERR_NO_MATCHING_DISTRIBUTION when there is none.
 */
export async function availableVersions<V>(finder: Finder<V>, versions: VersionScheme<V>, name: string, options: { readonly pre?: boolean | undefined } = {}): Promise<AvailableVersions> {
  const found = await finder.findAll(name)
  const unique = new Map<string, V>()
  for (const candidate of found.candidates) {
    if (candidate.file.yanked) continue
    if (!options.pre && versions.isPrerelease(candidate.version)) continue
    const text = versions.format(candidate.version)
    if (!unique.has(text)) unique.set(text, candidate.version)
  }
  if (unique.size === 0) {
    throw new IndexError('ERR_NO_MATCHING_DISTRIBUTION', `No matching distribution found for ${name}`, {
      hint: found.pages.some((p) => p.status === 'found')
        ? 'the project has no file usable here (check --pre, the Python version and the platform)'
        : `no index has a project named '${name}'; check the spelling and --index-url (example: pipette index versions requests)`,
    })
  }
  const sorted = [...unique.values()].sort((a, b) => versions.compare(b, a)).map((v) => versions.format(v))
  return { name, versions: sorted, latest: sorted[0]! }
}

/** A project to download: a name and a PEP 440 specifier (possibly empty). */
export interface DownloadRequest {
  readonly name: string
  readonly specifier: string
  /** The requirement as the user wrote it (for messages). */
  readonly text: string
}

/** The subset of @pipette/cache's WheelStore a download uses. */
export interface DistributionStore {
  readonly get: (ref: { readonly sha256: string; readonly filename: string }) => Promise<{ readonly path: string; readonly size: number; readonly sha256: string } | undefined>
  readonly put: (
    body: AsyncIterable<Uint8Array>,
    options: { readonly filename: string; readonly expected?: Readonly<Record<string, string | readonly string[]>>; readonly source?: string },
  ) => Promise<{ readonly path: string; readonly size: number; readonly sha256: string }>
}

export type DownloadEvent =
  | { readonly type: 'collecting'; readonly request: DownloadRequest }
  | { readonly type: 'processing'; readonly request: DownloadRequest; readonly path: string }
  | { readonly type: 'downloading'; readonly request: DownloadRequest; readonly filename: string; readonly size: number | undefined; readonly url: string }
  | { readonly type: 'using-cached'; readonly request: DownloadRequest; readonly filename: string; readonly size: number }
  | { readonly type: 'already-downloaded'; readonly request: DownloadRequest; readonly path: string }
  | { readonly type: 'saved'; readonly request: DownloadRequest; readonly path: string }

export interface DownloadedDistribution<V> {
  readonly request: DownloadRequest
  readonly candidate: Candidate<V>
  readonly path: string
  readonly status: 'downloaded' | 'cached' | 'already-downloaded' | 'copied'
}

export interface DownloadDistributionsOptions<V> {
  readonly finder: Finder<V>
  readonly http: HttpClient
  readonly versions: VersionScheme<V>
  readonly requests: readonly DownloadRequest[]
  /** `-d DIR`. */
  readonly dest: string
  readonly pre?: boolean | undefined
  readonly preferBinary?: boolean | undefined
  /** Where downloaded files are kept by hash (the cache's wheel store); none with `--no-cache-dir`. */
  readonly store?: DistributionStore | undefined
  readonly retries?: number | undefined
  /** Progress, in the order of the requests (each request's events together). */
  readonly onEvent?: ((event: DownloadEvent) => void) | undefined
}

function noMatch<V>(request: DownloadRequest, candidates: readonly Candidate<V>[], versions: VersionScheme<V>): IndexError {
  const seen = [...new Set(candidates.map((c) => versions.format(c.version)))]
  const sorted = seen.map((text) => versions.parse(text)!).sort((a, b) => versions.compare(a, b)).map((v) => versions.format(v))
  return new IndexError(
    'ERR_NO_MATCHING_DISTRIBUTION',
    `Could not find a version that satisfies the requirement ${request.text} (from versions: ${sorted.length === 0 ? 'none' : sorted.join(', ')})\nNo matching distribution found for ${request.text}`,
    { hint: `check the name, the version specifier and --index-url; add --pre for pre-releases (example: pipette download --no-deps '${request.name}>=1.0')` },
  )
}

function isSameFile(path: string, info: Stats): boolean {
  const other = statSync(path, { throwIfNoEntry: false })
  return other !== undefined && other.ino === info.ino && other.dev === info.dev
}

async function fileMatches(path: string, expected: ExpectedHashes): Promise<boolean> {
  try {
    const hasher = createMultiHasher(Object.keys(expected))
    for await (const chunk of createReadStream(path)) hasher.update(chunk as Buffer)
    return hashesMatch(expected, hasher.digest())
  } catch {
    return false
  }
}

/** How a stored file was put at its destination. */
type PlaceMethod = 'reflink' | 'hardlink' | 'copy'

const NOT_SUPPORTED = new Set(['ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EINVAL', 'ENOSYS', 'EPERM', 'EMLINK', 'ETXTBSY'])
const PLACE_METHODS: readonly PlaceMethod[] = ['reflink', 'hardlink', 'copy']

/**
 * The method that works into each destination directory, found by the first
 * file placed there; the files placed at the same time wait for it instead of
 * each probing (a failed reflink still creates, then removes, a file).
 */
const placeMethods = new Map<string, Promise<PlaceMethod>>()

/** Puts `source` at `temp` with one method (throws what the file system says). */
async function placeWith(method: PlaceMethod, source: string, temp: string): Promise<void> {
  // A link is a directory entry, no inode: cheaper done here than as a thread-pool round trip.
  if (method === 'hardlink') linkSync(source, temp)
  else await copyFile(source, temp, constants.COPYFILE_EXCL | (method === 'reflink' ? constants.COPYFILE_FICLONE_FORCE : 0))
}

/**
 * Puts a file of the store at `dest` in one atomic step (a temporary name
 * next to it, then `rename`), as cheaply as the file system allows: a
 * reflink (a copy-on-write clone: an independent file sharing the blocks),
 * else a hard link to the store's file (no data written and no new inode,
 * the dearest file operation: ~20 µs here, up to ~0.8 ms while the file
 * system reclaims inodes freed by large deletions), else a
 * copy. A hard link shares the file with the cache: editing the downloaded
 * file in place would change the cached copy too, which the store notices
 * (a change moves the file's mtime off its verification stamp, so it is
 * hashed) and fetches again.
 */
async function placeFile(source: string, dest: string): Promise<PlaceMethod> {
  const dir = dirname(dest)
  const temp = join(dir, `.${basename(dest)}.${process.pid}-${Math.random().toString(36).slice(2, 10)}.part`)
  const known = placeMethods.get(dir)
  let method: PlaceMethod
  try {
    if (known === undefined) {
      const probe = (async () => {
        for (const candidate of PLACE_METHODS) {
          try {
            await placeWith(candidate, source, temp)
            return candidate
          } catch (error) {
            await rm(temp, { force: true })
            if (candidate === 'copy' || !NOT_SUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) throw error
          }
        }
        return 'copy' as const
      })()
      placeMethods.set(dir, probe)
      probe.catch(() => placeMethods.delete(dir))
      method = await probe
    } else {
      method = await known.catch(() => 'copy' as const)
      try {
        await placeWith(method, source, temp)
      } catch (error) {
        await rm(temp, { force: true })
        if (method === 'copy' || !NOT_SUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) throw error
        method = 'copy' // e.g. this file's store shard on another device, or its link count at the maximum
        await placeWith(method, source, temp)
      }
    }
    renameSync(temp, dest)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
  return method
}

/**
 * `pip download --no-deps`: the best file of each request, into `dest`.
 * Every request is looked up first (all at once); if one has no match,
 * nothing is downloaded and its error is thrown. Then the files are fetched
 * concurrently: a file already in `dest` with the right hash is kept; a file
 * in the store (by the sha256 the index published) is put there from the
 * store (a reflink, else a hard link, else a copy: `placeFile`);
 * anything else streams into the store (or straight into `dest` without one),
 * verified against the index's hashes.
 */
export async function downloadDistributions<V>(options: DownloadDistributionsOptions<V>): Promise<DownloadedDistribution<V>[]> {
  const { finder, versions } = options
  const found = await Promise.all(options.requests.map((request) => finder.findBest(request.name, { specifier: request.specifier, pre: options.pre, preferBinary: options.preferBinary })))
  found.forEach((result, index) => {
    if (result.best === undefined) throw noMatch(options.requests[index]!, result.found.candidates, versions)
  })
  const destDir = resolve(options.dest)
  await mkdir(destDir, { recursive: true })

  // Events are buffered per request and released in request order.
  const buffers: DownloadEvent[][] = options.requests.map(() => [])
  const done: boolean[] = options.requests.map(() => false)
  let next = 0
  const flush = () => {
    while (next < buffers.length) {
      for (const event of buffers[next]!.splice(0)) options.onEvent?.(event)
      if (!done[next]) return
      next++
    }
  }
  const emitFor = (index: number) => (event: DownloadEvent) => {
    buffers[index]!.push(event)
    flush()
  }

  const seenPaths = new Map<string, Promise<DownloadedDistribution<V>>>()
  const results = await Promise.all(
    options.requests.map(async (request, index) => {
      const candidate = found[index]!.best!
      const emit = emitFor(index)
      try {
        const dest = join(destDir, candidate.file.filename)
        let pending = seenPaths.get(dest)
        if (pending === undefined) {
          pending = fetchOne({ request, candidate, dest, emit, options })
          seenPaths.set(dest, pending)
        }
        return { ...(await pending), request }
      } finally {
        done[index] = true
        flush()
      }
    }),
  )
  return results
}

async function fetchOne<V>(args: {
  request: DownloadRequest
  candidate: Candidate<V>
  dest: string
  emit: (event: DownloadEvent) => void
  options: DownloadDistributionsOptions<V>
}): Promise<DownloadedDistribution<V>> {
  const { request, candidate, dest, emit, options } = args
  const file = candidate.file
  const expected = expectedFrom(file.hashes)
  const local = isFileUrl(file.url) ? fileUrlToPath(file.url) : undefined
  emit(local === undefined ? { type: 'collecting', request } : { type: 'processing', request, path: local })
  // Metadata-only file operations (stat, link, rename) are done synchronously: ~10 µs each, where a
  // thread-pool round trip costs more than the call itself, a hundred at a time.
  const destInfo = statSync(dest, { throwIfNoEntry: false })
  const store = local === undefined ? options.store : undefined
  const sha256 = expected['sha256']?.[0]
  // The store checks its file (a stat when its stamp holds, else a hash: see @pipette/cache's wheel store).
  const cached = store !== undefined && sha256 !== undefined ? await store.get({ sha256, filename: file.filename }) : undefined
  if (destInfo !== undefined) {
    // The same file as the checked one in the store (a hard link made by an earlier download): two stats, no hash.
    const sameAsCached = cached !== undefined && isSameFile(cached.path, destInfo)
    if (sameAsCached || Object.keys(expected).length === 0 || (await fileMatches(dest, expected))) {
      emit({ type: 'already-downloaded', request, path: dest })
      return { request, candidate, path: dest, status: 'already-downloaded' }
    }
  }
  if (local !== undefined) {
    await downloadFile({ http: options.http, url: file.url, dest, expected })
    emit({ type: 'saved', request, path: dest })
    return { request, candidate, path: dest, status: 'copied' }
  }
  if (cached !== undefined) {
    emit({ type: 'using-cached', request, filename: file.filename, size: cached.size })
    await placeFile(cached.path, dest)
    emit({ type: 'saved', request, path: dest })
    return { request, candidate, path: dest, status: 'cached' }
  }
  const url = withoutFragment(file.url)
  let announced = false
  const announce = (size: number | undefined) => {
    if (!announced) emit({ type: 'downloading', request, filename: file.filename, size, url: stripCredentials(url) })
    announced = true
  }
  if (store !== undefined) {
    const body = downloadStream({ http: options.http, url, retries: options.retries, onResponse: (info) => announce(info.size) })
    let stored
    try {
      // The store hashes what it writes (sha256 and every expected algorithm) and checks it.
      stored = await store.put(body, { filename: file.filename, expected, source: url })
    } catch (error) {
      // Reported in the same words as without a cache, with the digests the store computed.
      if ((error as { code?: string }).code === 'ERR_CACHE_HASH_MISMATCH') {
        throw hashMismatch({ url, filename: file.filename, expected, actual: (error as { digests?: Readonly<Record<string, string>> }).digests ?? {} })
      }
      throw error
    }
    await placeFile(stored.path, dest)
  } else {
    await downloadFile({ http: options.http, url, dest, expected, retries: options.retries, filename: file.filename, onProgress: (_, total) => announce(total) })
  }
  emit({ type: 'saved', request, path: dest })
  return { request, candidate, path: dest, status: 'downloaded' }
}
