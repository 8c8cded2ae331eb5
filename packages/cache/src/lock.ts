/**
 * Lock files shared by processes, robust to kill -9.
 *
 * A lock is a file whose content says who holds it: `{pid, host, nonce, time}`.
 * It is created atomically *with* that content: the content is written to a
 * temporary file, which is then hard-linked to the lock name; `link(2)` fails
 * with EEXIST when the lock is held, so exactly one process wins, and a lock
 * file is never seen empty (an `O_EXCL` create followed by a write would leave
 * an empty file behind a process killed between the two).
 *
 * A lock is stale when its holder is gone: on this host (the host tag matches)
 * when its pid no longer runs; from another host (a cache on a shared disk, or
 * a container with its own pid namespace) when the file was not refreshed for
 * `staleMs` (holders touch it every `staleMs / 3`). A stale lock is broken by
 * renaming it to a unique name (atomic: only one breaker succeeds) and checking
 * the renamed file is the one judged stale; if a live lock was taken instead
 * (it was replaced in between), it is linked back.
 *
 * Correctness of the cache never rests on these locks alone: every entry is
 * complete when it appears (temporary + rename) and checked by hash when read.
 * Locks avoid duplicate work (eight processes unpacking the same wheel) and
 * serialise the few read-modify-write steps (replacing an HTTP entry's body).
 */
import { randomBytes } from 'node:crypto'
import { link, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { CacheError } from './errors.js'
import { HOST_TAG, ensureDir, isProcessAlive, tempPath } from './fs-atomic.js'

export interface LockOptions {
  /** Give up after this long (default 10 minutes). */
  readonly timeoutMs?: number
  /** A lock from another host untouched for this long is stale (default 2 minutes). */
  readonly staleMs?: number
}

export interface Lock {
  readonly path: string
  release(): Promise<void>
}

interface LockOwner {
  readonly pid: number
  readonly host: string
  readonly nonce: string
  readonly time: number
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

async function readOwner(path: string): Promise<LockOwner | undefined | null> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  try {
    const value = JSON.parse(text) as LockOwner
    return typeof value.pid === 'number' && typeof value.nonce === 'string' ? value : null
  } catch {
    return null // not ours or damaged: judged by age
  }
}

async function isStale(path: string, owner: LockOwner | null, staleMs: number): Promise<boolean> {
  if (owner !== null && owner.host === HOST_TAG) return !isProcessAlive(owner.pid)
  const info = await stat(path).catch(() => undefined)
  return info !== undefined && Date.now() - info.mtimeMs > staleMs
}

async function breakStale(path: string, judged: LockOwner | null): Promise<void> {
  const aside = tempPath(dirname(path), 'stale-lock')
  try {
    await rename(path, aside)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return // someone else broke it
    throw error
  }
  const moved = await readOwner(aside)
  const sameOne = judged === null ? moved === null : moved?.nonce === judged.nonce
  if (!sameOne) {
    // The lock was replaced between our look and our rename: put the live one back.
    await link(aside, path).catch(() => undefined)
  }
  await unlink(aside).catch(() => undefined)
}

/** Tries once; returns the lock, or undefined when another live process holds it. */
export async function tryLock(path: string, options: LockOptions = {}): Promise<Lock | undefined> {
  const staleMs = options.staleMs ?? 120_000
  await ensureDir(dirname(path))
  const owner: LockOwner = { pid: process.pid, host: HOST_TAG, nonce: randomBytes(12).toString('hex'), time: Date.now() }
  const temp = tempPath(dirname(path), 'lock')
  await writeFile(temp, JSON.stringify(owner), { flag: 'wx' })
  try {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        await createWithContent(temp, path, owner)
        return heldLock(path, owner, staleMs)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      }
      const current = await readOwner(path)
      if (current === undefined) continue // released meanwhile: try again
      if (!(await isStale(path, current, staleMs))) return undefined
      await breakStale(path, current)
    }
    return undefined
  } finally {
    await unlink(temp).catch(() => undefined)
  }
}

const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'])

async function createWithContent(temp: string, path: string, owner: LockOwner): Promise<void> {
  try {
    await link(temp, path)
  } catch (error) {
    // A file system without hard links (FAT, some network shares): O_EXCL create instead.
    if (!NO_HARD_LINKS.has((error as NodeJS.ErrnoException).code ?? '')) throw error
    await writeFile(path, JSON.stringify(owner), { flag: 'wx' })
  }
}

function heldLock(path: string, owner: LockOwner, staleMs: number): Lock {
  const beat = setInterval(() => {
    const now = new Date()
    utimes(path, now, now).catch(() => undefined)
  }, Math.max(1000, Math.floor(staleMs / 3)))
  beat.unref()
  let released = false
  return Object.freeze({
    path,
    async release() {
      if (released) return
      released = true
      clearInterval(beat)
      const current = await readOwner(path)
      if (current?.nonce === owner.nonce) await unlink(path).catch(() => undefined)
    },
  })
}

/**
 * Waiters of this process queue in memory (no polling among themselves); the
 * head of the queue polls the lock file against other processes.
 */
const localQueues = new Map<string, Promise<void>>()

/** Waits (polling with backoff) until the lock is ours. */
export async function acquireLock(path: string, options: LockOptions = {}): Promise<Lock> {
  const previous = localQueues.get(path) ?? Promise.resolve()
  let releaseLocal: () => void = () => undefined
  const mine = new Promise<void>((resolve) => (releaseLocal = resolve))
  const chained = previous.then(() => mine)
  localQueues.set(path, chained)
  const done = () => {
    releaseLocal()
    if (localQueues.get(path) === chained) localQueues.delete(path)
  }
  await previous
  let lock: Lock
  try {
    lock = await acquireFileLock(path, options)
  } catch (error) {
    done()
    throw error
  }
  return Object.freeze({
    path,
    async release() {
      try {
        await lock.release()
      } finally {
        done()
      }
    },
  })
}

async function acquireFileLock(path: string, options: LockOptions): Promise<Lock> {
  const timeoutMs = options.timeoutMs ?? 600_000
  const deadline = Date.now() + timeoutMs
  let wait = 5
  for (;;) {
    const lock = await tryLock(path, options)
    if (lock !== undefined) return lock
    if (Date.now() >= deadline) {
      throw new CacheError('ERR_CACHE_LOCK_TIMEOUT', `Timed out after ${timeoutMs} ms waiting for the cache lock ${path}`, {
        hint: `Another pipette process holds it; if none runs, delete ${path}`,
      })
    }
    await sleep(wait + Math.floor(Math.random() * wait))
    wait = Math.min(wait * 2, 100)
  }
}

/** Runs `fn` holding the lock at `path`, and releases it however `fn` ends. */
export async function withLock<T>(path: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const lock = await acquireLock(path, options)
  try {
    return await fn()
  } finally {
    await lock.release()
  }
}
