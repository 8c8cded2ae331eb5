/**
 * Making the files of unpacked wheels appear in an environment.
 *
 * The method is @pipette/cache's `linkTree` order: a reflink (copy-on-write
 * clone) where the file system has them, else a hard link, else a copy (the
 * cache on another file system). The first file of a pair of devices finds
 * out which works ("not supported here" moves on to the next method) and the
 * answer is kept for the rest of the run.
 *
 * What differs from `linkTree` is the cost per file. A warm install is
 * thousands of links, and a link is a few microseconds in the kernel, while
 * an asynchronous file-system call in Node costs a thread-pool round trip
 * several times that. So the linker makes its system calls synchronously, a
 * whole group (one scheme directory of one wheel) at a time, with one
 * system call per new directory and one per file. A directory is created
 * once, parent first, with a plain `mkdir`: one this linker created is a real
 * directory inside a checked parent, so only one that was there already is
 * looked at (`lstat`), and if it is a symbolic link its real path must stay
 * inside the scheme directory (a link out of the environment is refused).
 * Files are linked without a per-file `lstat` (the archive store's trees hold
 * regular files only, as the wheel reader guarantees), their paths made by
 * concatenation when the names need no normalizing (the usual case: path
 * functions were a tenth of the linking time). Each file appears atomically:
 * a hard link in one step; a clone or a copy under a temporary name, then
 * renamed. A file that exists already (left by another distribution) is
 * replaced, as pip replaces it. Between groups the event loop runs, so
 * downloads in flight are not held up for long.
 */
import { randomBytes } from 'node:crypto'
import { constants, copyFileSync, linkSync, lstatSync, mkdirSync, realpathSync, renameSync, statSync, unlinkSync } from 'node:fs'
import { basename, dirname, isAbsolute, join, normalize, relative, sep } from 'node:path'
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
  /**
   * Places files whose names differ at both ends (bytecode to and from the
   * cache). Each target's directory is created and checked against its root.
   * With `replace`, an existing target is replaced. Resolves to whether each
   * one was placed (a pair that fails is skipped, never thrown: it is an
   * optimization).
   */
  linkPairs(pairs: ReadonlyArray<{ readonly source: string; readonly target: string; readonly root: string }>, options?: { readonly replace?: boolean }): Promise<boolean[]>
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

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path)
  } catch {
    // not there
  }
}

/** A relative `/`-separated path with nothing to normalize: no empty, `.` or `..` segment. */
export function isPlain(path: string): boolean {
  return path !== '' && !path.startsWith('/') && !path.endsWith('/') && !path.includes('//') && !/(?:^|\/)\.\.?(?:\/|$)/.test(path)
}

function trimSep(path: string): string {
  return path.length > 1 && path.endsWith(sep) ? path.slice(0, -1) : path
}

function tempName(dest: string): string {
  return join(dirname(dest), `.${basename(dest).slice(0, 80)}.${randomBytes(6).toString('hex')}.pipette-tmp`)
}

export interface LinkerOptions {
  /** Force a method (tests); default: the best that works. */
  readonly method?: LinkMethod | undefined
}

export function createLinker(options: LinkerOptions = {}): Linker {
  const counts: Record<LinkMethod, number> = { reflink: 0, hardlink: 0, copy: 0 }
  const methods = new Map<string, LinkMethod>() // `${fromDev}:${toDev}` -> method
  const devices = new Map<string, number>()
  const dirs = new Set<string>()
  const realRoots = new Map<string, string>()

  const device = (path: string): number => {
    let dev = devices.get(path)
    if (dev === undefined) {
      dev = statSync(path).dev
      devices.set(path, dev)
    }
    return dev
  }
  const outside = (dir: string, real: string, root: string): WheelError =>
    new WheelError('ERR_WHEEL_SYMLINK', `Refusing to write into ${dir}: it is a link to ${real}, outside ${root}`, {
      hint: 'a symbolic link inside the environment leads out of it; remove the link, or install into another target',
    })
  const ensureRoot = (root: string): string => {
    let realRoot = realRoots.get(root)
    if (realRoot === undefined) {
      mkdirSync(root, { recursive: true })
      realRoot = realpathSync(root)
      realRoots.set(root, realRoot)
    }
    return realRoot
  }
  // A directory this linker created is a real directory inside its parent: only one that was
  // already there (possibly a symbolic link) needs its real path checked.
  const ensureDir = (root: string, dir: string): void => {
    if (dirs.has(dir)) return
    const realRoot = ensureRoot(root)
    const rel = relative(root, dir)
    if (rel === '') {
      dirs.add(dir)
      return
    }
    if (rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
      // Not under the root by name: the general check.
      mkdirSync(dir, { recursive: true })
      const real = realpathSync(dir)
      if (!isInside(realRoot, real)) throw outside(dir, real, root)
      dirs.add(dir)
      return
    }
    ensureDir(root, dirname(dir))
    try {
      mkdirSync(dir)
      dirs.add(dir)
      return
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const info = lstatSync(dir)
      if (info.isSymbolicLink()) {
        const real = realpathSync(dir)
        if (!isInside(realRoot, real)) throw outside(dir, real, root)
        if (!statSync(dir).isDirectory()) throw error
      } else if (!info.isDirectory()) throw error
    }
    dirs.add(dir)
  }

  const place = (method: LinkMethod, source: string, target: string, replace: boolean): void => {
    if (method === 'hardlink' && !replace) {
      linkSync(source, target)
      return
    }
    const temp = tempName(target)
    try {
      if (method === 'hardlink') linkSync(source, temp)
      else copyFileSync(source, temp, constants.COPYFILE_EXCL | (method === 'reflink' ? constants.COPYFILE_FICLONE_FORCE : 0))
      if (!replace) {
        // Never replace unless asked: a hard link fails on EEXIST by itself; a rename would not.
        let exists = true
        try {
          statSync(target)
        } catch {
          exists = false
        }
        if (exists) throw Object.assign(new Error(`EEXIST: file already exists, '${target}'`), { code: 'EEXIST' })
      }
      renameSync(temp, target)
      // A rename between two links to one file does nothing: the temporary link would stay.
      if (method === 'hardlink') unlinkQuietly(temp)
    } catch (error) {
      unlinkQuietly(temp)
      throw error
    }
  }

  const one = (pair: string, source: string, target: string, replaceFirst = false): LinkMethod => {
    let replace = replaceFirst
    for (;;) {
      const method = options.method ?? methods.get(pair) ?? 'reflink'
      try {
        place(method, source, target, replace)
        counts[method]++
        if (options.method === undefined && !methods.has(pair)) methods.set(pair, method)
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
        methods.set(pair, next)
      }
    }
  }

  return {
    counts,
    async linkPairs(pairs, linkOptions = {}) {
      if (pairs.length === 0) return []
      await new Promise<void>((resolve) => setImmediate(resolve))
      return pairs.map(({ source, target, root }) => {
        try {
          const dir = dirname(target)
          ensureDir(root, dir)
          one(`${device(dirname(source))}:${device(dir)}`, source, target, linkOptions.replace === true)
          return true
        } catch {
          return false
        }
      })
    },
    async link(group) {
      if (group.files.length === 0) return undefined
      // Let other work (downloads, other groups' reads) run between groups.
      await new Promise<void>((resolve) => setImmediate(resolve))
      const root = group.root ?? group.to
      const from = trimSep(normalize(group.from))
      const to = trimSep(normalize(group.to))
      ensureDir(root, to)
      const pair = `${device(from)}:${device(to)}`
      let used: LinkMethod | 'mixed' | undefined
      for (const file of group.files) {
        let source: string
        let target: string
        if (sep === '/' && isPlain(file)) {
          // The common case, without splitting and re-joining: the names are normalized already.
          source = `${from}/${file}`
          target = `${to}/${file}`
          const slash = file.lastIndexOf('/')
          if (slash > 0) ensureDir(root, `${to}/${file.slice(0, slash)}`)
        } else {
          const parts = file.split('/')
          if (parts.length > 1) ensureDir(root, join(to, ...parts.slice(0, -1)))
          source = join(from, ...parts)
          target = join(to, ...parts)
        }
        const method = one(pair, source, target)
        used = used === undefined || used === method ? method : 'mixed'
      }
      return used
    },
  }
}
