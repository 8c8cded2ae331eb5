/**
 * The wheel store: distribution files (wheels, and the sdists `download`
 * fetches) kept by content, at `wheels-v2/<h0>/<sha256>/<filename>`.
 *
 * A file arrives as a stream (a download) or a local path; it is written to a
 * temporary file under `wheels-v2/.tmp/` (same file system) while its sha256,
 * and any algorithm the caller expects, are computed; then it is checked
 * against the expected hashes (any one matching digest accepts it, as pip's
 * `--hash` does) and renamed to its content address. A download cut short or
 * a process killed mid-write leaves only a temporary, never a file at a
 * content address. Two processes storing the same bytes both succeed without
 * a lock: the second rename replaces identical content.
 *
 * Reading checks the file against its address unless told not to; a damaged
 * file is evicted and reported absent, so the caller fetches it again. The
 * check is a hash, or a `stat` when a stamp proves the bytes have not changed
 * since they were last hashed (below). Files up to 8 MiB are hashed from one
 * synchronous read (the page cache has them; a stream costs a thread-pool
 * round trip per 64 KiB), larger ones are streamed. The file name is kept so
 * that `pipette cache list` can show it and so that an installer knows the
 * wheel's tags without another lookup.
 *
 * The verification stamp (git's stat cache, made safe against crashes).
 * Hashing every wheel on every read costs ~1.3 ms per MB here (9 ms for the
 * 100 wheels of the download benchmark, several times that on a loaded
 * machine), where a `stat` costs ~7 µs. So when the store has just hashed a file (on
 * `put`, or on a read that hashed it), it sets the file's mtime to the
 * current second plus a fraction derived from the sha256 (k / 2^20, k from
 * its first 20 bits, never 0): a stamp. A file whose mtime still carries its
 * stamp, and whose ctime is later than the last boot, is trusted without
 * hashing. Why that is sound:
 * - any change through the file system (a write, a truncation, an edit of a
 *   hard-linked copy, a `touch`) sets the mtime to the present, which carries
 *   the stamp with probability 2^-20 at most (and never on a file system with
 *   whole-second times, since k is never 0);
 * - a crash or power loss can leave a renamed file whose data never reached
 *   the disk, but then its ctime (the stamp, the rename) is older than the
 *   boot that followed, so it is hashed again;
 * - what remains is deliberate forgery of timestamps and silent disk
 *   corruption; `verify()` always hashes.
 * Setting a stamp is one `utimes` (no new inode); a file that fails the
 * stamp is hashed and, if good, stamped again.
 *
 * Why this layout: a new directory costs a new inode, as dear as a new file
 * (~20 µs on this project's machine, but up to ~0.8 ms while its file
 * system reclaims inodes freed by large deletions), and `wheels-v1` made three of them per
 * wheel (`sha256/<h0h1>/<h2h3>/<sha256>/<filename>`). Here a wheel costs its
 * file and its hash directory (which keeps the file's own name, so that
 * `cache list --format abspath` shows paths ending in wheel names, as pip's
 * do); the 16 shard directories are made once, when a rename first finds one
 * missing.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs'
import { copyFile, constants, mkdir, open, readdir, rename, rmdir, stat, unlink, utimes } from 'node:fs/promises'
import type { BigIntStats } from 'node:fs'
import { uptime } from 'node:os'
import { createHash, hash as hashOnce } from 'node:crypto'
import { join } from 'node:path'
import { CacheError, hashMismatchError, invalidError } from './errors.js'
import { removeAtomic, tempPath, writeAll } from './fs-atomic.js'
import { type HashAlgorithm, checkDigest, isHashAlgorithm, multiHash } from './hashing.js'

/** Bytes of a download gathered before a write: most wheels are written in one call. */
const WRITE_BATCH = 1024 * 1024

/** Files up to this size are hashed from one read; larger ones are streamed. */
const WHOLE_READ_LIMIT = 8 * 1024 * 1024

/** The stamp's fraction of a second for a digest: k / 2^20, k in [1, 2^20). */
function stampUnits(sha256: string): number {
  return (parseInt(sha256.slice(0, 5), 16) % (2 ** 20 - 1)) + 1
}

/** Sets the stamp: mtime = this second + k / 2^20 (exact in a double, so the file system gets it to the nanosecond). */
async function stamp(path: string, sha256: string): Promise<void> {
  const seconds = Math.floor(Date.now() / 1000) + stampUnits(sha256) / 2 ** 20
  await utimes(path, seconds, seconds)
}

/** The last boot (ms since the epoch), with a second of margin for the rounding of uptime. */
const lastBootMs = () => Math.floor(Date.now() - uptime() * 1000 + 1000)

/** True when the file carries the stamp of `sha256` and was changed since the last boot (see above). */
function isStamped(info: BigIntStats, sha256: string, bootNs: bigint): boolean {
  if (info.ctimeNs < bootNs) return false
  const fractionNs = Number(info.mtimeNs % 1_000_000_000n)
  return Math.round((fractionNs * 2 ** 20) / 1e9) === stampUnits(sha256)
}

/** The name of a hash directory. */
const SHA256_NAME = /^[0-9a-f]{64}$/

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

export interface WheelStoreOptions {
  readonly dir: string
  /** When the machine last booted (ms since the epoch; default: from the uptime). Files changed before are hashed again. */
  readonly bootTimeMs?: number
}

export function createWheelStore(options: WheelStoreOptions): WheelStore {
  const dir = options.dir
  const bootNs = BigInt(Math.floor(options.bootTimeMs ?? lastBootMs())) * 1_000_000n
  const tmpDir = join(dir, '.tmp')
  const entryDir = (sha256: string) => join(dir, sha256.slice(0, 1), sha256)
  const pathOf = (ref: WheelRef) => join(entryDir(checkDigest('sha256', ref.sha256)), checkFilename(ref.filename))
  let tmpReady: Promise<unknown> | undefined

  /** A temporary path under `.tmp/`, whose directory exists (made once per store). */
  async function temporary(filename: string): Promise<string> {
    tmpReady ??= mkdir(tmpDir, { recursive: true }).catch((error: unknown) => {
      tmpReady = undefined
      throw error
    })
    await tmpReady
    return tempPath(tmpDir, filename)
  }

  async function commit(temp: string, filename: string, expected: Map<HashAlgorithm, string[]>, digests: Partial<Record<HashAlgorithm, string>>, size: number, source: string): Promise<StoredWheel> {
    try {
      if (expected.size > 0) {
        const ok = [...expected].some(([algorithm, allowed]) => allowed.includes(digests[algorithm] as string))
        if (!ok) {
          const [algorithm, allowed] = [...expected][0] as [HashAlgorithm, string[]]
          throw hashMismatchError({ what: source, algorithm, expected: allowed, got: digests[algorithm] as string, digests })
        }
      }
      const sha256 = digests.sha256 as string
      const final = pathOf({ sha256, filename })
      await stamp(temp, sha256)
      try {
        await rename(temp, final)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
        await mkdir(entryDir(sha256), { recursive: true })
        await rename(temp, final)
      }
      return Object.freeze({ sha256, filename, path: final, size })
    } catch (error) {
      await unlink(temp).catch(() => undefined)
      throw error
    }
  }

  async function put(body: AsyncIterable<Uint8Array>, putOptions: PutOptions): Promise<StoredWheel> {
    const filename = checkFilename(putOptions.filename)
    const expected = expectedList(putOptions.expected)
    const temp = await temporary(filename)
    const hashes = multiHash(['sha256', ...expected.keys()])
    try {
      const handle = await open(temp, 'wx')
      try {
        // Chunks are gathered and written WRITE_BATCH at a time: a typical wheel is one write call.
        let pending: Uint8Array[] = []
        let pendingBytes = 0
        for await (const chunk of body) {
          hashes.update(chunk)
          pending.push(chunk)
          pendingBytes += chunk.byteLength
          if (pendingBytes >= WRITE_BATCH) {
            await writeAll(handle, pending)
            pending = []
            pendingBytes = 0
          }
        }
        await writeAll(handle, pending)
      } finally {
        await handle.close()
      }
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
    const temp = await temporary(filename)
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

  /** The sha256 of a stored file of known size: one read when small, a stream when large. */
  async function digestOf(path: string, size: number): Promise<string> {
    if (size <= WHOLE_READ_LIMIT) return hashOnce('sha256', readFileSync(path), 'hex')
    const hash = createHash('sha256')
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer)
    return hash.digest('hex')
  }

  /** Hashes a stored file (the stat is in hand); a good one is stamped again. */
  async function check(ref: WheelRef, info: BigIntStats | undefined, path: string): Promise<'ok' | 'missing' | 'corrupt'> {
    if (info === undefined || !info.isFile()) return 'missing'
    const sha256 = ref.sha256.toLowerCase()
    try {
      if ((await digestOf(path, Number(info.size))) !== sha256) return 'corrupt'
      if (!isStamped(info, sha256, bootNs)) await stamp(path, sha256).catch(() => undefined) // a read-only cache is only slower
      return 'ok'
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing' // evicted meanwhile
      throw error
    }
  }

  // A stat is ~10 µs: done here rather than as a thread-pool round trip (a warm download makes a hundred).
  const statOf = (path: string): BigIntStats | undefined => statSync(path, { bigint: true, throwIfNoEntry: false })

  async function verify(ref: WheelRef): Promise<'ok' | 'missing' | 'corrupt'> {
    const path = pathOf(ref)
    return check(ref, statOf(path), path)
  }

  async function evict(ref: WheelRef): Promise<boolean> {
    const removed = await removeAtomic(pathOf(ref))
    await rmdir(entryDir(ref.sha256.toLowerCase())).catch(() => undefined) // only when empty
    return removed
  }

  async function get(ref: WheelRef, getOptions: { readonly verify?: boolean } = {}): Promise<StoredWheel | undefined> {
    const path = pathOf(ref)
    const info = statOf(path)
    if (info === undefined || !info.isFile()) return undefined
    const sha256 = ref.sha256.toLowerCase()
    if (getOptions.verify !== false && !isStamped(info, sha256, bootNs)) {
      const state = await check(ref, info, path)
      if (state !== 'ok') {
        if (state === 'corrupt') await evict(ref)
        return undefined
      }
    }
    return Object.freeze({ sha256, filename: ref.filename, path, size: Number(info.size) })
  }

  async function list(): Promise<readonly StoredWheel[]> {
    const out: StoredWheel[] = []
    const names = async (path: string) => (await readdir(path).catch(() => [] as string[])).filter((name) => !name.startsWith('.'))
    for (const shard of await names(dir)) {
      if (!/^[0-9a-f]$/.test(shard)) continue
      for (const sha256 of await names(join(dir, shard))) {
        if (!SHA256_NAME.test(sha256) || !sha256.startsWith(shard)) continue
        for (const filename of await names(join(dir, shard, sha256))) {
          const path = join(dir, shard, sha256, filename)
          const info = await stat(path).catch(() => undefined)
          if (info?.isFile()) out.push(Object.freeze({ sha256, filename, path, size: info.size }))
        }
      }
    }
    return Object.freeze(out)
  }

  return Object.freeze({ dir, get, put, putFile, verify, evict, list })
}
