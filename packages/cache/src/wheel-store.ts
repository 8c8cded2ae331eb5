/**
 * The wheel store: distribution files (wheels, and the sdists `download`
 * fetches) kept by content, at `wheels-v1/sha256/<h0h1>/<h2h3>/<sha256>/<filename>`.
 *
 * A file arrives as a stream (a download) or a local path; it is written to a
 * temporary file under `wheels-v1/.tmp/` (same file system) while its sha256,
 * and any algorithm the caller expects, are computed; then it is checked
 * against the expected hashes (any one matching digest accepts it, as pip's
 * `--hash` does) and renamed to its content address. A download cut short or
 * a process killed mid-write leaves only a temporary, never a file at a
 * content address. Two processes storing the same bytes both succeed: the
 * second rename replaces identical content.
 *
 * Reading checks the file against its address (sha256) unless told not to; a
 * damaged file is evicted and reported absent, so the caller fetches it again.
 * The file name is kept so that `pipette cache list` can show it and so that
 * an installer knows the wheel's tags without another lookup.
 */
import { createReadStream, createWriteStream } from 'node:fs'
import { copyFile, constants, mkdir, readdir, rename, rmdir, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { CacheError, hashMismatchError, invalidError } from './errors.js'
import { ensureDir, removeAtomic, tempPath } from './fs-atomic.js'
import { type HashAlgorithm, checkDigest, hashFile, isHashAlgorithm, multiHash } from './hashing.js'

export interface WheelRef {
  readonly sha256: string
  readonly filename: string
}

export interface StoredWheel extends WheelRef {
  readonly path: string
  readonly size: number
}

/** Expected digests per algorithm (hex); a file matching any one of them is accepted. */
export type ExpectedHashes = Readonly<Partial<Record<HashAlgorithm, string | readonly string[]>>>

export interface PutOptions {
  readonly filename: string
  readonly expected?: ExpectedHashes
  /** Where the bytes came from (a URL or path), for error messages; redacted there. */
  readonly source?: string
}

export interface WheelStore {
  readonly dir: string
  /** The path of a stored file, or undefined when absent or damaged (a damaged one is evicted). */
  get(ref: WheelRef, options?: { readonly verify?: boolean }): Promise<StoredWheel | undefined>
  /** Streams `body` into the store, hashing and checking it. */
  put(body: AsyncIterable<Uint8Array>, options: PutOptions): Promise<StoredWheel>
  /** Copies a local file into the store (a reflink when the file system can). */
  putFile(path: string, options: Omit<PutOptions, 'filename'> & { readonly filename?: string }): Promise<StoredWheel>
  verify(ref: WheelRef): Promise<'ok' | 'missing' | 'corrupt'>
  evict(ref: WheelRef): Promise<boolean>
  /** Every stored file. */
  list(): Promise<readonly StoredWheel[]>
}

/** Throws unless `filename` is one plain file name (no separators, no leading dot). */
export function checkFilename(filename: string): string {
  if (filename === '' || filename.startsWith('.') || /[/\\\0]/.test(filename) || filename.length > 255) {
    throw invalidError(`Not a plain distribution file name: '${filename}'`, "Give a file name such as 'six-1.16.0-py2.py3-none-any.whl'")
  }
  return filename
}

function expectedList(expected: ExpectedHashes | undefined): Map<HashAlgorithm, string[]> {
  const out = new Map<HashAlgorithm, string[]>()
  for (const [algorithm, value] of Object.entries(expected ?? {})) {
    if (value === undefined) continue
    if (!isHashAlgorithm(algorithm)) throw invalidError(`Unknown hash algorithm '${algorithm}'`, 'Use sha256, sha384 or sha512')
    const list = (typeof value === 'string' ? [value] : [...value]).map((hex) => checkDigest(algorithm, hex))
    if (list.length > 0) out.set(algorithm, list)
  }
  return out
}

export function createWheelStore(options: { readonly dir: string }): WheelStore {
  const dir = options.dir
  const tmpDir = join(dir, '.tmp')
  const entryDir = (sha256: string) => join(dir, 'sha256', sha256.slice(0, 2), sha256.slice(2, 4), sha256)
  const pathOf = (ref: WheelRef) => join(entryDir(checkDigest('sha256', ref.sha256)), checkFilename(ref.filename))

  async function commit(temp: string, filename: string, expected: Map<HashAlgorithm, string[]>, digests: Partial<Record<HashAlgorithm, string>>, size: number, source: string): Promise<StoredWheel> {
    try {
      if (expected.size > 0) {
        const ok = [...expected].some(([algorithm, allowed]) => allowed.includes(digests[algorithm] as string))
        if (!ok) {
          const [algorithm, allowed] = [...expected][0] as [HashAlgorithm, string[]]
          throw hashMismatchError({ what: source, algorithm, expected: allowed, got: digests[algorithm] as string })
        }
      }
      const sha256 = digests.sha256 as string
      const final = join(entryDir(sha256), filename)
      await mkdir(entryDir(sha256), { recursive: true })
      await rename(temp, final)
      return Object.freeze({ sha256, filename, path: final, size })
    } catch (error) {
      await unlink(temp).catch(() => undefined)
      throw error
    }
  }

  async function put(body: AsyncIterable<Uint8Array>, putOptions: PutOptions): Promise<StoredWheel> {
    const filename = checkFilename(putOptions.filename)
    const expected = expectedList(putOptions.expected)
    await ensureDir(tmpDir)
    const temp = tempPath(tmpDir, filename)
    const hashes = multiHash(['sha256', ...expected.keys()])
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hashes.update(chunk)
        callback(null, chunk)
      },
    })
    try {
      await pipeline(Readable.from(body, { objectMode: false }), tap, createWriteStream(temp, { flags: 'wx' }))
    } catch (error) {
      await unlink(temp).catch(() => undefined)
      throw error
    }
    const { size, digests } = hashes.digest()
    return commit(temp, filename, expected, digests, size, putOptions.source ?? filename)
  }

  async function putFile(path: string, putOptions: Omit<PutOptions, 'filename'> & { readonly filename?: string }): Promise<StoredWheel> {
    const filename = checkFilename(putOptions.filename ?? path.split(/[/\\]/).pop() ?? '')
    const expected = expectedList(putOptions.expected)
    await ensureDir(tmpDir)
    const temp = tempPath(tmpDir, filename)
    try {
      await copyFile(path, temp, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE)
    } catch (error) {
      await unlink(temp).catch(() => undefined)
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new CacheError('ERR_FILE_NOT_FOUND', `No such file: '${path}'`, { hint: 'Give the path of an existing distribution file', cause: error })
      }
      throw error
    }
    const hashes = multiHash(['sha256', ...expected.keys()])
    for await (const chunk of createReadStream(temp, { highWaterMark: 1 << 20 })) hashes.update(chunk as Buffer)
    const { size, digests } = hashes.digest()
    return commit(temp, filename, expected, digests, size, putOptions.source ?? path)
  }

  async function verify(ref: WheelRef): Promise<'ok' | 'missing' | 'corrupt'> {
    const path = pathOf(ref)
    try {
      return (await hashFile(path, 'sha256')) === ref.sha256.toLowerCase() ? 'ok' : 'corrupt'
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_FILE_NOT_FOUND') return 'missing'
      throw error
    }
  }

  async function evict(ref: WheelRef): Promise<boolean> {
    const path = pathOf(ref)
    const removed = await removeAtomic(path)
    await rmdir(entryDir(ref.sha256.toLowerCase())).catch(() => undefined) // only when empty
    return removed
  }

  async function get(ref: WheelRef, getOptions: { readonly verify?: boolean } = {}): Promise<StoredWheel | undefined> {
    const path = pathOf(ref)
    const info = await stat(path).catch(() => undefined)
    if (info === undefined || !info.isFile()) return undefined
    if (getOptions.verify !== false) {
      const state = await verify(ref)
      if (state !== 'ok') {
        if (state === 'corrupt') await evict(ref)
        return undefined
      }
    }
    return Object.freeze({ sha256: ref.sha256.toLowerCase(), filename: ref.filename, path, size: info.size })
  }

  async function list(): Promise<readonly StoredWheel[]> {
    const out: StoredWheel[] = []
    const root = join(dir, 'sha256')
    const names = async (path: string) => (await readdir(path).catch(() => [] as string[])).filter((name) => !name.startsWith('.'))
    for (const a of await names(root)) {
      for (const b of await names(join(root, a))) {
        for (const sha256 of await names(join(root, a, b))) {
          for (const filename of await names(join(root, a, b, sha256))) {
            const path = join(root, a, b, sha256, filename)
            const info = await stat(path).catch(() => undefined)
            if (info?.isFile()) out.push(Object.freeze({ sha256, filename, path, size: info.size }))
          }
        }
      }
    }
    return Object.freeze(out)
  }

  return Object.freeze({ dir, get, put, putFile, verify, evict, list })
}
