/**
 * Linking an unpacked wheel into an environment: the cheapest way to make
 * the same bytes appear at a second path.
 *
 * - reflink (`copyFile` with `COPYFILE_FICLONE_FORCE`): a copy-on-write clone
 *   (btrfs, XFS, APFS, ZFS 2.2+): instant and safe, since editing the copy
 *   leaves the cache untouched;
 * - hard link: instant on every POSIX file system, but the two paths are one
 *   file, so editing a file in site-packages in place edits the cached copy too
 *   (`verifyArchive` finds that; reflinks and copies are immune);
 * - copy: when the destination is on another file system (EXDEV) or refuses
 *   links.
 *
 * `auto` tries them in that order, falls back on the errors that mean "not
 * here", and remembers per pair of devices what worked so the next tree does
 * not try again. Each file appears atomically: a hard link is created under
 * its final name in one step; clones and copies are made under a temporary
 * name and renamed.
 */
import { constants, copyFile, link, lstat, mkdir, readdir, readlink, rename, stat, symlink, unlink } from 'node:fs/promises'
import { dirname, join, relative, sep } from 'node:path'
import { CacheError } from './errors.js'
import { tempPath } from './fs-atomic.js'

export type LinkMethod = 'reflink' | 'hardlink' | 'copy'

export interface LinkTreeOptions {
  /** `auto` (default) picks the best method that works; a fixed method fails rather than fall back. */
  readonly method?: 'auto' | LinkMethod
  /** Replace files that exist at the destination (default false: fail with ERR_LINK_EXISTS). */
  readonly overwrite?: boolean
  /** Only these files (paths relative to `from`, `/`-separated); default: the whole tree. */
  readonly files?: readonly string[]
  /** How many file operations run at once (default 16). */
  readonly concurrency?: number
}

export interface LinkTreeResult {
  /** The method used for the files (the last fallback reached, when several were tried). */
  readonly method: LinkMethod
  /** How many files each method made. */
  readonly counts: Readonly<Record<LinkMethod, number>>
  /** Files made at the destination, relative to `to`, `/`-separated, sorted. */
  readonly files: readonly string[]
}

const ORDER: readonly LinkMethod[] = ['reflink', 'hardlink', 'copy']
const UNSUPPORTED: Readonly<Record<LinkMethod, ReadonlySet<string>>> = {
  reflink: new Set(['ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EINVAL', 'ENOSYS', 'ENOTTY', 'EPERM', 'EBADF']),
  hardlink: new Set(['EXDEV', 'EPERM', 'EMLINK', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EACCES']),
  copy: new Set(),
}

/** What worked last between two devices: `${fromDev}:${toDev}` -> method (a per-process memo). */
const learned = new Map<string, LinkMethod>()

async function placeFile(method: LinkMethod, source: string, target: string, overwrite: boolean): Promise<void> {
  if (method === 'hardlink' && !overwrite) {
    await link(source, target)
    return
  }
  const temp = tempPath(dirname(target))
  try {
    if (method === 'hardlink') await link(source, temp)
    else await copyFile(source, temp, constants.COPYFILE_EXCL | (method === 'reflink' ? constants.COPYFILE_FICLONE_FORCE : 0))
    if (!overwrite) {
      // Keep "never replace" semantics: fail if something appeared meanwhile.
      const existing = await lstat(target).catch(() => undefined)
      if (existing !== undefined) throw Object.assign(new Error(`EEXIST: file already exists, '${target}'`), { code: 'EEXIST' })
    }
    await rename(temp, target)
  } catch (error) {
    await unlink(temp).catch(() => undefined)
    throw error
  }
}

async function walk(root: string, prefix: string, out: string[]): Promise<void> {
  for (const entry of await readdir(join(root, prefix), { withFileTypes: true })) {
    const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`
    if (entry.isDirectory()) await walk(root, rel, out)
    else out.push(rel)
  }
}

/** Every file under `root` (not directories), relative and `/`-separated, sorted. */
export async function listTree(root: string): Promise<string[]> {
  const out: string[] = []
  await walk(root, '', out)
  return out.sort()
}

/**
 * Makes every file of `from` appear under `to` (directories are created),
 * by reflink, else hard link, else copy, and reports which was used.
 */
export async function linkTree(from: string, to: string, options: LinkTreeOptions = {}): Promise<LinkTreeResult> {
  const files = options.files !== undefined ? [...options.files].sort() : await listTree(from)
  const overwrite = options.overwrite === true
  const fixed = options.method !== undefined && options.method !== 'auto' ? options.method : undefined
  await mkdir(to, { recursive: true })
  const pair = `${(await stat(from)).dev}:${(await stat(to)).dev}`
  let current: LinkMethod = fixed ?? learned.get(pair) ?? 'reflink'
  const counts: Record<LinkMethod, number> = { reflink: 0, hardlink: 0, copy: 0 }
  const made = new Set<string>()

  for (const rel of files) {
    if (rel === '' || rel.split('/').some((part) => part === '..' || part === '') || rel.startsWith('/')) {
      throw new CacheError('ERR_CACHE_INVALID', `Unsafe path in a tree to link: '${rel}'`, { hint: "Paths are relative and '/'-separated, e.g. 'pkg/__init__.py'" })
    }
  }
  const dirs = new Set(files.map((rel) => dirname(rel)).filter((dir) => dir !== '.'))
  for (const dir of [...dirs].sort()) await mkdir(join(to, ...dir.split('/')), { recursive: true })

  async function one(rel: string): Promise<void> {
    const source = join(from, ...rel.split('/'))
    const target = join(to, ...rel.split('/'))
    const info = await lstat(source)
    if (info.isSymbolicLink()) {
      if (overwrite) await unlink(target).catch(() => undefined)
      await symlink(await readlink(source), target)
      made.add(rel)
      return
    }
    for (;;) {
      const method = current
      try {
        await placeFile(method, source, target, overwrite)
        counts[method] += 1
        made.add(rel)
        return
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? ''
        if (code === 'EEXIST') {
          throw new CacheError('ERR_LINK_EXISTS', `Cannot link ${rel} into ${to}: the file exists`, {
            hint: 'Remove the installed distribution that owns it first, or link with { overwrite: true }',
            cause: error,
          })
        }
        if (fixed !== undefined || !UNSUPPORTED[method].has(code)) throw error
        const next = ORDER[ORDER.indexOf(method) + 1] as LinkMethod
        // Another file may have degraded the method already; move forward only.
        if (ORDER.indexOf(current) <= ORDER.indexOf(method)) current = next
        learned.set(pair, current)
      }
    }
  }

  const queue = [...files]
  const workers = Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 16, queue.length)) }, async () => {
    for (let rel = queue.shift(); rel !== undefined; rel = queue.shift()) await one(rel)
  })
  await Promise.all(workers)
  if (fixed === undefined && files.length > 0) learned.set(pair, current)
  return Object.freeze({ method: current, counts: Object.freeze(counts), files: Object.freeze([...made].sort()) })
}

/** For tests: forget what was learned about devices. */
export function forgetLinkMethods(): void {
  learned.clear()
}

/** `relative` with `/` separators (for manifests). */
export function relativePosix(root: string, path: string): string {
  return relative(root, path).split(sep).join('/')
}
