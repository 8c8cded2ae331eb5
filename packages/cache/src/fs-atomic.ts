import { createHash, randomBytes } from 'node:crypto'
import { mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import { hostname } from 'node:os'
import { basename, dirname, join } from 'node:path'

/**
 * Temporary names. Everything pipette writes into the cache is first written
 * under a name `.tmp-<pid>.<host>-<random>-<hint>` in the directory (or at
 * least the file system) where it will live, then renamed into place. Readers
 * skip names starting with a dot, so they never see half-written data; the
 * pid and a tag of the host name let `sweepTemporaries` remove what a killed
 * process of this machine left (a cache shared between machines or containers
 * has other hosts' temporaries removed only when they are old).
 */
export const TEMP_PREFIX = '.tmp-'

/** 8 hex digits naming this machine (or container) in temporary names and locks. */
export const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 8)

/**
 * Unique without a random draw per name: the pid and host tag name the process
 * on this machine, a nonce drawn once tells this process from an earlier one
 * that had the same pid, and a counter tells the names of one process apart.
 */
const PROCESS_TAG = `${process.pid}.${HOST_TAG}-${randomBytes(4).toString('hex')}`
let counter = 0

export function tempPath(dir: string, hint = ''): string {
  const safe = hint.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 60)
  counter += 1
  return join(dir, `${TEMP_PREFIX}${PROCESS_TAG}${counter.toString(36)}${safe === '' ? '' : `-${safe}`}`)
}

/** The pid and host tag of a temporary name, or undefined for other names. */
export function parseTempName(name: string): { readonly pid: number; readonly host: string } | undefined {
  const match = /^\.tmp-(\d+)\.([0-9a-f]{8})-/.exec(name)
  if (match === null) return undefined
  return { pid: Number(match[1]), host: match[2] as string }
}

export async function ensureDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true })
}

/**
 * Writes `data` to `path` atomically: a temporary file in the same directory,
 * then `rename` over the destination. A reader sees the old content or the new
 * one, never a mix; a process killed half-way leaves only a `.tmp-*` file.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path)
  await ensureDir(dir)
  const temp = tempPath(dir, basename(path))
  try {
    const handle = await open(temp, 'wx')
    try {
      await handle.writeFile(data)
    } finally {
      await handle.close()
    }
    await rename(temp, path)
  } catch (error) {
    await unlink(temp).catch(() => undefined)
    throw error
  }
}

/**
 * Renames a finished directory into place unless another process got there
 * first. Returns true when ours was moved in; false when the destination
 * already existed (ours is then removed). `rename(2)` of a directory onto a
 * non-empty directory fails with ENOTEMPTY or EEXIST, which makes this atomic.
 */
export async function renameDirIntoPlace(from: string, to: string): Promise<boolean> {
  await ensureDir(dirname(to))
  try {
    await rename(from, to)
    return true
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'EISDIR' || code === 'ENOTDIR') {
      await rm(from, { recursive: true, force: true })
      return false
    }
    throw error
  }
}

/**
 * Removes a file or directory tree so that nobody ever sees it half-removed:
 * it is first renamed to a temporary sibling (atomic), then deleted. Returns
 * false when there was nothing to remove.
 */
export async function removeAtomic(path: string): Promise<boolean> {
  const trash = tempPath(dirname(path), `trash-${basename(path)}`)
  try {
    await rename(path, trash)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw error
  }
  await rm(trash, { recursive: true, force: true })
  return true
}

export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Deletes the temporary files and directories a dead process left in `dir`
 * (names `.tmp-<pid>-...` whose pid no longer runs, or anything temporary
 * older than `maxAgeMs`, for temporaries written from another machine).
 * Returns how many were removed.
 */
export async function sweepTemporaries(dir: string, options: { readonly maxAgeMs?: number; readonly now?: () => number } = {}): Promise<number> {
  const maxAgeMs = options.maxAgeMs ?? 24 * 3600_000
  const now = options.now ?? Date.now
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return 0
  }
  let removed = 0
  for (const name of names) {
    const owner = parseTempName(name)
    if (owner === undefined) continue
    const full = join(dir, name)
    const ours = owner.host === HOST_TAG
    if (ours && owner.pid === process.pid) continue
    let dead = ours && !isProcessAlive(owner.pid)
    if (!dead) {
      const info = await stat(full).catch(() => undefined)
      dead = info !== undefined && now() - info.mtimeMs > maxAgeMs
    }
    if (dead) {
      await rm(full, { recursive: true, force: true })
      removed += 1
    }
  }
  return removed
}

/** Writes all of `buffers` through `handle` in as few calls as it can (writev may write less than asked). */
export async function writeAll(handle: FileHandle, buffers: readonly Uint8Array[]): Promise<void> {
  let pending = buffers.filter((b) => b.byteLength > 0)
  while (pending.length > 0) {
    let { bytesWritten } = await handle.writev(pending as Uint8Array[])
    const rest: Uint8Array[] = []
    for (const buffer of pending) {
      if (bytesWritten >= buffer.byteLength) bytesWritten -= buffer.byteLength
      else {
        rest.push(buffer.subarray(bytesWritten))
        bytesWritten = 0
      }
    }
    pending = rest
  }
}
