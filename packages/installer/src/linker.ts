/**
 * Making the files of unpacked wheels appear in an environment, for a whole
 * install at once.
 *
 * The method is @pipette/cache's `linkTree` order: a reflink (copy-on-write
 * clone) where the file system has them, else a hard link, else a copy (the
 * cache on another file system); the first file that fails with "not
 * supported here" moves the pair of devices to the next method, remembered
 * for the rest of the run. What differs from `linkTree` is the scale: one
 * shared queue of file operations for every distribution being installed
 * (the thread pool stays busy without being flooded), directories created
 * once, up front, and checked to resolve inside their scheme directory, and
 * no per-file `lstat` (the archive store's trees hold regular files only,
 * as the wheel reader guarantees). Each file appears atomically: a hard link
 * in one step; a clone or copy under a temporary name, then renamed. A file
 * that exists already (left by another distribution) is replaced, as pip
 * replaces it.
 */
import { randomBytes } from 'node:crypto'
import { constants, copyFile, link, mkdir, realpath, rename, stat, unlink } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path'
import { WheelError } from '@pipette/wheel'

export type LinkMethod = 'reflink' | 'hardlink' | 'copy'

export interface LinkGroup {
  /** Directory the files are relative to. */
  readonly from: string
  /** Directory they go to (a scheme directory or a subdirectory of one). */
  readonly to: string
  /** The scheme directory `to` must stay inside (default `to`). */
  readonly root?: string | undefined
  /** `/`-separated relative paths. */
  readonly files: readonly string[]
}

export interface Linker {
  /** Places the files; resolves to the method used for all of them (`mixed` when several were, undefined for none). */
  link(group: LinkGroup): Promise<LinkMethod | 'mixed' | undefined>
  /** Files placed by each method so far. */
  readonly counts: Readonly<Record<LinkMethod, number>>
}

const ORDER: readonly LinkMethod[] = ['reflink', 'hardlink', 'copy']
const UNSUPPORTED: Readonly<Record<LinkMethod, ReadonlySet<string>>> = {
  reflink: new Set(['ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EINVAL', 'ENOSYS', 'ENOTTY', 'EPERM', 'EBADF']),
  hardlink: new Set(['EXDEV', 'EPERM', 'EMLINK', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EACCES']),
  copy: new Set(),
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path)
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel))
}

function tempName(dest: string): string {
  return join(dirname(dest), `.${basename(dest).slice(0, 80)}.${randomBytes(6).toString('hex')}.pipette-tmp`)
}

export interface LinkerOptions {
  /** File operations in flight at once (default 8). */
  readonly concurrency?: number | undefined
  /** Force a method (tests); default: the best that works. */
  readonly method?: LinkMethod | undefined
}

export function createLinker(options: LinkerOptions = {}): Linker {
  const limit = Math.max(1, options.concurrency ?? 8)
  const counts: Record<LinkMethod, number> = { reflink: 0, hardlink: 0, copy: 0 }
  const methods = new Map<string, LinkMethod>() // `${fromDev}:${toDev}` -> method
  const devices = new Map<string, Promise<number>>()
  const dirs = new Map<string, Promise<void>>()
  const realRoots = new Map<string, Promise<string>>()
  let active = 0
  const waiting: Array<() => void> = []

  const slot = async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve))
    active++
    try {
      return await task()
    } finally {
      active--
      waiting.shift()?.()
    }
  }
  const device = (path: string) => {
    let dev = devices.get(path)
    if (dev === undefined) {
      dev = stat(path).then((s) => s.dev)
      devices.set(path, dev)
    }
    return dev
  }
  const realRoot = (root: string) => {
    let real = realRoots.get(root)
    if (real === undefined) {
      real = mkdir(root, { recursive: true }).then(() => realpath(root))
      realRoots.set(root, real)
    }
    return real
  }
  const ensureDir = (root: string, dir: string) => {
    let done = dirs.get(dir)
    if (done === undefined) {
      done = (async () => {
        const realRootPath = await realRoot(root)
        await slot(() => mkdir(dir, { recursive: true }))
        const real = await realpath(dir)
        if (!isInside(realRootPath, real)) {
          throw new WheelError('ERR_WHEEL_SYMLINK', `Refusing to write into ${dir}: it is a link to ${real}, outside ${root}`, {
            hint: 'a symbolic link inside the environment leads out of it; remove the link, or install into another target',
          })
        }
      })()
      dirs.set(dir, done)
    }
    return done
  }

  async function place(method: LinkMethod, source: string, target: string, replace: boolean): Promise<void> {
    if (method === 'hardlink' && !replace) {
      await link(source, target)
      return
    }
    const temp = tempName(target)
    try {
      if (method === 'hardlink') await link(source, temp)
      else await copyFile(source, temp, constants.COPYFILE_EXCL | (method === 'reflink' ? constants.COPYFILE_FICLONE_FORCE : 0))
      if (!replace) {
        // Never replace unless asked: a hard link fails on EEXIST by itself; a rename would not.
        const exists = await stat(target).then(
          () => true,
          () => false,
        )
        if (exists) throw Object.assign(new Error(`EEXIST: file already exists, '${target}'`), { code: 'EEXIST' })
      }
      await rename(temp, target)
    } catch (error) {
      await unlink(temp).catch(() => undefined)
      throw error
    }
  }

  async function one(pair: string, source: string, target: string): Promise<LinkMethod> {
    let replace = false
    for (;;) {
      const method = options.method ?? methods.get(pair) ?? 'reflink'
      try {
        await slot(() => place(method, source, target, replace))
        counts[method]++
        return method
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? ''
        if (code === 'EEXIST' && !replace) {
          replace = true
          continue
        }
        if (options.method !== undefined || !UNSUPPORTED[method].has(code)) throw error
        const next = ORDER[ORDER.indexOf(method) + 1]
        if (next === undefined) throw error
        const current = methods.get(pair) ?? 'reflink'
        if (ORDER.indexOf(current) <= ORDER.indexOf(method)) methods.set(pair, next)
      }
    }
  }

  return {
    counts,
    async link(group) {
      if (group.files.length === 0) return undefined
      const root = group.root ?? group.to
      await ensureDir(root, group.to)
      const pair = `${await device(group.from)}:${await device(group.to)}`
      const parents = new Set<string>()
      for (const file of group.files) {
        const parent = dirname(file)
        if (parent !== '.') parents.add(parent)
      }
      await Promise.all([...parents].map((parent) => ensureDir(root, join(group.to, ...parent.split('/')))))
      const used = new Set(await Promise.all(group.files.map((file) => one(pair, join(group.from, ...file.split('/')), join(group.to, ...file.split('/'))))))
      return used.size === 1 ? [...used][0]! : 'mixed'
    },
  }
}
