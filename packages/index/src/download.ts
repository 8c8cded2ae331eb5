/**
 * Verified downloads.
 *
 * A download streams into a temporary file next to its destination
 * (`.<name>.<pid>-<random>.part`), hashing every chunk as it is written
 * (sha256 always, plus each algorithm the caller expects). Only when the body
 * is complete (as long as `Content-Length` said) and every expected hash
 * matches is the file renamed to its final name; on any failure the temporary
 * file is removed. So a file with the final name is always complete and
 * verified, even if the process is killed mid-way (a killed process leaves
 * only a `.part` file, which `removeStalePartials` sweeps later).
 *
 * A body cut short by the network is resumed with a range request
 * (`Range: bytes=N-` and `If-Range` with the validator of the first
 * response); a server that answers the resume with the whole body again
 * (200, same validator) has its first N bytes skipped; a changed file fails.
 * All of it counts against the retries. `downloadStream` is that resuming
 * byte stream on its own, for consumers that store elsewhere (the wheel
 * store of @pipette/cache hashes and renames what it yields).
 */
import { createReadStream } from 'node:fs'
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { FileHandle } from 'node:fs/promises'
import { badResponse, hashMismatch, incomplete, unreachable } from './errors.js'
import type { ExpectedHashes } from './hashing.js'
import { createMultiHasher, hashesMatch } from './hashing.js'
import type { HttpClient } from './http.js'
import { isRetryableError } from './http.js'
import { fileUrlToPath, isFileUrl, withoutFragment } from './urls.js'

export interface DownloadOptions {
  readonly http: HttpClient
  readonly url: string
  /** The final path of the file. */
  readonly dest: string
  /** Every algorithm listed must match one of its digests. */
  readonly expected?: ExpectedHashes | undefined
  /** The name used in messages (default: the destination's base name). */
  readonly filename?: string | undefined
  /** Resumes (or restarts) after a body cut short (default 5). */
  readonly retries?: number | undefined
  /** Called with the bytes received so far and the expected total (when known). */
  readonly onProgress?: ((received: number, total: number | undefined) => void) | undefined
}

export interface DownloadResult {
  readonly path: string
  readonly size: number
  /** Hex digests: sha256 and every expected algorithm. */
  readonly hashes: Readonly<Record<string, string>>
}

function partialName(dest: string): string {
  return join(dirname(dest), `.${basename(dest)}.${process.pid}-${Math.random().toString(36).slice(2, 10)}.part`)
}

/** Streams `url` to `dest` through a temporary file, verifying size and hashes before the rename. */
export async function downloadFile(options: DownloadOptions): Promise<DownloadResult> {
  const filename = options.filename ?? basename(options.dest)
  await mkdir(dirname(options.dest), { recursive: true })
  const temp = partialName(options.dest)
  const handle = await open(temp, 'w')
  let closed = false
  try {
    const result = isFileUrl(options.url) ? await copyLocal(options, handle) : await fetchRemote(options, handle)
    await handle.close()
    closed = true
    if (options.expected !== undefined && !hashesMatch(options.expected, result.hashes)) {
      throw hashMismatch({ url: options.url, filename, expected: options.expected, actual: result.hashes })
    }
    await rename(temp, options.dest)
    return { path: options.dest, size: result.size, hashes: result.hashes }
  } catch (error) {
    if (!closed) await handle.close().catch(() => {})
    await rm(temp, { force: true })
    throw error
  }
}

async function copyLocal(options: DownloadOptions, handle: FileHandle): Promise<{ size: number; hashes: Readonly<Record<string, string>> }> {
  const hasher = createMultiHasher(Object.keys(options.expected ?? {}))
  let size = 0
  const path = fileUrlToPath(options.url)
  const total = (await stat(path)).size
  for await (const chunk of createReadStream(path)) {
    const bytes = chunk as Buffer
    hasher.update(bytes)
    await handle.write(bytes)
    size += bytes.length
    options.onProgress?.(size, total)
  }
  return { size, hashes: hasher.digest() }
}

async function fetchRemote(options: DownloadOptions, handle: FileHandle): Promise<{ size: number; hashes: Readonly<Record<string, string>> }> {
  const hasher = createMultiHasher(Object.keys(options.expected ?? {}))
  let size = 0
  for await (const chunk of downloadStream(options)) {
    hasher.update(chunk)
    await handle.write(chunk)
    size += chunk.length
  }
  return { size, hashes: hasher.digest() }
}

export interface DownloadStreamOptions {
  readonly http: HttpClient
  readonly url: string
  /** Resumes after a body cut short (default 5). */
  readonly retries?: number | undefined
  readonly onProgress?: ((received: number, total: number | undefined) => void) | undefined
  /** Called once the first response arrived, with its final URL and length. */
  readonly onResponse?: ((info: { readonly url: string; readonly size: number | undefined }) => void) | undefined
}

/**
 * The bytes of a remote file, as a stream that survives cuts: when the body
 * ends early, the rest is asked for with `Range: bytes=N-` and `If-Range`;
 * a server that answers with the whole body again (same validator) has its
 * first N bytes skipped. The stream ends only when `Content-Length` bytes
 * (if announced) have been yielded; it throws ERR_DOWNLOAD_INCOMPLETE after
 * the retries. Consumers hash and store what it yields (the wheel store's
 * `put` or `downloadFile`).
 */
export async function* downloadStream(options: DownloadStreamOptions): AsyncGenerator<Uint8Array> {
  const url = withoutFragment(options.url)
  const retries = options.retries ?? 5
  let received = 0
  let total: number | undefined
  let validator: string | undefined
  for (let attempt = 0; ; attempt++) {
    const resuming = attempt > 0 && received > 0
    const headers: Record<string, string> = resuming ? { range: `bytes=${received}-`, ...(validator === undefined ? {} : { 'if-range': validator }) } : {}
    let response
    try {
      response = await options.http.open(url, { headers })
    } catch (error) {
      if (attempt > 0 && isRetryableError(error)) throw unreachable(url, error, attempt + 1)
      throw error
    }
    let skip = 0
    if (resuming && response.status === 206) {
      const range = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(response.headers['content-range'] ?? '')
      if (range === null || Number(range[1]) !== received) {
        response.body.destroy()
        throw badResponse(url, `the server resumed the download at the wrong offset (${response.headers['content-range'] ?? 'no Content-Range'})`)
      }
    } else if (response.status !== 200) {
      response.body.destroy()
      throw badResponse(url, `unexpected HTTP ${response.status} for a download`)
    } else if (resuming) {
      // The whole body again: usable only if it is the same file.
      const again = response.headers['etag'] ?? response.headers['last-modified']
      if (validator === undefined || again !== validator) {
        response.body.destroy()
        throw incomplete(url, received, total ?? received)
      }
      skip = received
    } else {
      const length = response.headers['content-length']
      total = length === undefined ? undefined : Number(length)
      validator = response.headers['etag'] ?? response.headers['last-modified']
      options.onResponse?.({ url: response.url, size: total })
    }
    try {
      for await (const chunk of response.body) {
        let bytes = chunk as Buffer
        if (skip > 0) {
          const dropped = Math.min(skip, bytes.length)
          skip -= dropped
          bytes = bytes.subarray(dropped)
          if (bytes.length === 0) continue
        }
        received += bytes.length
        options.onProgress?.(received, total)
        yield bytes
      }
      if (total !== undefined && received < total) throw incomplete(url, received, total)
      return
    } catch (error) {
      response.body.destroy()
      const cut = isRetryableError(error) || (error as { code?: string }).code === 'ERR_DOWNLOAD_INCOMPLETE'
      if (!cut) throw error
      if (attempt >= retries) {
        if (total !== undefined) throw incomplete(url, received, total)
        throw unreachable(url, error, attempt + 1)
      }
    }
  }
}

/** Removes `.part` files older than `olderThanMs` left in a directory by killed downloads. */
export async function removeStalePartials(dir: string, olderThanMs = 60 * 60 * 1000, now = Date.now()): Promise<number> {
  let removed = 0
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return 0
  }
  for (const name of names) {
    if (!name.startsWith('.') || !name.endsWith('.part')) continue
    const path = join(dir, name)
    try {
      if (now - (await stat(path)).mtimeMs > olderThanMs) {
        await rm(path, { force: true })
        removed++
      }
    } catch {
      // raced with another process
    }
  }
  return removed
}
