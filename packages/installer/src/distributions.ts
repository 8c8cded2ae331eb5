/**
 * Step 4: getting each chosen distribution into the cache, unpacked.
 *
 * Everything is addressed by the sha256 of the file. When the index
 * published one, the archive store is asked first: a wheel unpacked by an
 * earlier run is used as it is (a warm install reads no wheel at all), else
 * the wheel store, else the file is downloaded, streamed into the wheel
 * store while hashed and checked against every hash the index gave, and
 * unpacked once. A local file (`--find-links DIR`, a `file:` index, a wheel
 * path) is hashed and unpacked in place, without a copy. A source
 * distribution is downloaded the same way and built into a wheel (see
 * sdist.ts), which is stored and unpacked like any other; the build is done
 * once per run.
 *
 * Hash-checking mode (`--require-hashes`, `--hash`) compares the file's
 * digests with the ones the requirements allow, after the download, as pip
 * does, so that the error can show the hash the file actually has.
 */
import { createReadStream, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import type { Archive, ArchiveStore, Cache, StoredWheel } from '@pipette/cache'
import { hashFile, isHashAlgorithm } from '@pipette/cache'
import type { DistributionFile, HttpClient } from '@pipette/index'
import { downloadStream } from '@pipette/index'
import type { Candidate } from '@pipette/resolver'
import type { CandidateHandle } from './provider.js'
import type { HashSet } from './requests.js'
import type { SdistBuilder } from './sdist.js'

export type FetchEvent =
  | { readonly kind: 'download-start'; readonly name: string; readonly filename: string; readonly url: string; readonly size: number | undefined }
  | { readonly kind: 'download-progress'; readonly filename: string; readonly received: number; readonly size: number | undefined }
  | { readonly kind: 'download-done'; readonly filename: string; readonly size: number }
  | { readonly kind: 'using-cached'; readonly name: string; readonly filename: string; readonly size: number | undefined }
  | { readonly kind: 'building'; readonly name: string; readonly filename: string }
  | { readonly kind: 'built'; readonly name: string; readonly filename: string; readonly wheel: string }

export interface FetchedDistribution {
  /** The unpacked wheel to install from. */
  readonly archive: Archive
  /** The file that was chosen (a wheel, or the sdist a wheel was built from). */
  readonly file: DistributionFile
  /** Its sha256 (of the sdist for a built wheel). */
  readonly sha256: string
  /** How it was obtained. */
  readonly source: 'archive-cache' | 'wheel-cache' | 'download' | 'local' | 'built'
}

export interface FetcherOptions {
  readonly cache: Cache
  /** The archive store to unpack into (default `cache.archives`). */
  readonly archives?: ArchiveStore | undefined
  readonly http: HttpClient
  readonly retries?: number | undefined
  readonly sdists?: SdistBuilder | undefined
  readonly onEvent?: ((event: FetchEvent) => void) | undefined
}

export interface Fetcher {
  /** The unpacked wheel of a candidate (downloaded, built and unpacked as needed). */
  fetch(candidate: Candidate): Promise<FetchedDistribution>
  /** A local path of a candidate's file (for sdist metadata builds and hash checks). */
  file(candidate: Candidate): Promise<{ readonly path: string; readonly sha256: string; readonly source: FetchedDistribution['source'] }>
}

function withoutFragment(url: string): string {
  const at = url.indexOf('#')
  return at === -1 ? url : url.slice(0, at)
}

function isLocal(url: string): boolean {
  return /^file:/i.test(url)
}

/** The digests the cache can check (sha256, sha384, sha512), lower-case. */
function checkable(hashes: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [alg, value] of Object.entries(hashes)) if (isHashAlgorithm(alg)) out[alg] = value.toLowerCase()
  return out
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/**
 * The archive store's `get`, read synchronously (a warm install asks for
 * every wheel's manifest at once; a thread-pool round trip each costs more
 * than the read). Same checks as the store: version, wheel hash, file list.
 */
function readArchive(dir: string, sha256: string): Archive | undefined {
  const root = join(dir, sha256.toLowerCase())
  try {
    const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as Archive['manifest']
    if (manifest.v !== 1 || manifest.wheel !== sha256.toLowerCase() || !Array.isArray(manifest.files)) return undefined
    return Object.freeze({ id: manifest.wheel, tree: join(root, 'tree'), manifest })
  } catch {
    return undefined
  }
}

export function createFetcher(options: FetcherOptions): Fetcher {
  const { cache } = options
  const archives = options.archives ?? cache.archives
  const emit = options.onEvent ?? (() => undefined)
  const files = new Map<string, Promise<{ path: string; sha256: string; source: FetchedDistribution['source'] }>>()
  const fetched = new Map<string, Promise<FetchedDistribution>>()

  async function obtain(name: string, file: DistributionFile): Promise<{ path: string; sha256: string; source: FetchedDistribution['source'] }> {
    const url = withoutFragment(file.url)
    if (isLocal(url)) {
      const path = fileURLToPath(url)
      return { path, sha256: await sha256Of(path), source: 'local' }
    }
    const expected = checkable(file.hashes)
    const known = expected['sha256']
    if (known !== undefined) {
      const stored = await cache.wheels.get({ sha256: known, filename: file.filename })
      if (stored !== undefined) {
        emit({ kind: 'using-cached', name, filename: file.filename, size: stored.size })
        return { path: stored.path, sha256: stored.sha256, source: 'wheel-cache' }
      }
    }
    let announced = false
    const body = downloadStream({
      http: options.http,
      url,
      retries: options.retries,
      onResponse: (info) => {
        announced = true
        emit({ kind: 'download-start', name, filename: file.filename, url, size: info.size ?? file.size })
      },
      onProgress: (received, size) => emit({ kind: 'download-progress', filename: file.filename, received, size }),
    })
    const stored: StoredWheel = await cache.wheels.put(body, { filename: file.filename, expected, source: url })
    if (announced) emit({ kind: 'download-done', filename: file.filename, size: stored.size })
    return { path: stored.path, sha256: stored.sha256, source: 'download' }
  }

  function fileOf(candidate: Candidate): Promise<{ path: string; sha256: string; source: FetchedDistribution['source'] }> {
    const handle = candidate.handle as CandidateHandle
    if (handle.kind === 'installed') throw new Error('installer: an installed distribution has no file to fetch')
    const key = handle.file.url
    let pending = files.get(key)
    if (pending === undefined) {
      pending = obtain(candidate.name, handle.file)
      files.set(key, pending)
      pending.catch(() => files.delete(key))
    }
    return pending
  }

  async function fetchOne(candidate: Candidate): Promise<FetchedDistribution> {
    const handle = candidate.handle as CandidateHandle
    if (handle.kind === 'installed') throw new Error('installer: an installed distribution has no file to fetch')
    const file = handle.file
    const isWheel = handle.kind === 'index' ? handle.candidate.kind === 'wheel' : handle.isWheel
    const known = checkable(file.hashes)['sha256']
    if (isWheel && known !== undefined && !isLocal(file.url)) {
      const archive = readArchive(archives.dir, known) ?? (await archives.get(known))
      if (archive !== undefined) {
        emit({ kind: 'using-cached', name: candidate.name, filename: file.filename, size: file.size })
        return { archive, file, sha256: known, source: 'archive-cache' }
      }
    }
    const got = await fileOf(candidate)
    if (isWheel) {
      const archive = await archives.ensure({ sha256: got.sha256, wheelPath: got.path, filename: file.filename })
      return { archive, file, sha256: got.sha256, source: got.source }
    }
    const builder = options.sdists
    if (builder === undefined) throw new Error('installer: no sdist builder')
    emit({ kind: 'building', name: candidate.name, filename: file.filename })
    const stored = await builder.wheel(got.path, file.filename, (wheelPath) => cache.wheels.putFile(wheelPath, {}))
    emit({ kind: 'built', name: candidate.name, filename: file.filename, wheel: stored.filename })
    const archive = await archives.ensure({ sha256: stored.sha256, wheelPath: stored.path, filename: stored.filename })
    return { archive, file, sha256: got.sha256, source: 'built' }
  }

  return {
    file: fileOf,
    fetch(candidate) {
      const handle = candidate.handle as CandidateHandle
      const key = handle.kind === 'installed' ? handle.distribution.infoPath : handle.file.url
      let pending = fetched.get(key)
      if (pending === undefined) {
        pending = fetchOne(candidate)
        fetched.set(key, pending)
      }
      return pending
    },
  }
}

/**
 * The digests of a file for the algorithms `allowed` names (sha256 is known
 * already), to compare with the hashes the requirements allow.
 */
export async function fileDigests(path: string, sha256: string, allowed: HashSet): Promise<Record<string, string>> {
  const out: Record<string, string> = { sha256 }
  for (const alg of Object.keys(allowed)) {
    if (alg === 'sha256' || out[alg] !== undefined) continue
    if (isHashAlgorithm(alg)) out[alg] = await hashFile(path, alg)
    else {
      const hash = createHash(alg)
      for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
      out[alg] = hash.digest('hex')
    }
  }
  return out
}
