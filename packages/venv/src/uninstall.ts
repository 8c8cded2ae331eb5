/**
 * Uninstalling a distribution the way pip does, with the same result on disk.
 *
 * Planning (`planUninstall`) collects what pip's `UninstallPathSet.from_dist`
 * collects: every RECORD entry (joined to the distribution's location), the
 * `.pyc`/`.pyo` beside each `.py` and its `__pycache__/<name>.<cache tag>.pyc`,
 * the console and gui scripts of its entry points and its distutils scripts
 * in the scripts directory; for a flat `.egg-info`, its `installed-files.txt`
 * (or `top_level.txt`). A path is kept only if it exists (following links, as
 * `os.path.exists`), with its parent directories resolved but not the file
 * itself (a symlink is removed, not its target). In a virtual environment a
 * path outside `sys.prefix` is refused: never removed, reported in `refused`.
 * A distribution outside the environment or in the standard library is not
 * touched at all (`skipped`).
 *
 * Removing (`uninstall`) first moves everything away, then deletes it:
 * directories whose every file is to be removed move whole (pip's
 * `compress_for_rename`) into a stash beside them, single files into a stash
 * in the temporary directory; after each move, directories left empty are
 * pruned upwards (`os.removedirs`). Only when every move succeeded are the
 * stashes deleted; if one fails, everything moved so far is put back and the
 * error is raised. Paths that are already gone are not an error.
 */
import { cp, lstat, mkdir, mkdtemp, readdir, realpath, rename, rm, rmdir, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import type { InstalledDistribution } from './distributions.js'
import { readDistText } from './distributions.js'
import { parseEntryPoints } from './entry-points.js'
import { VenvError } from './errors.js'
import type { InterpreterInfo } from './interpreter-info.js'
import { parseRecord, normalizePosixPath, pySplitLines } from './record.js'

export interface UninstallPlan {
  readonly distribution: InstalledDistribution
  /** Existing paths to remove, sorted. Empty when there is nothing to do. */
  readonly paths: readonly string[]
  /** Existing paths that would be removed but lie outside the environment, sorted: never removed. */
  readonly refused: readonly string[]
  /** Why the distribution is left alone (pip's messages), or null. */
  readonly skipped: string | null
}

/**
 * Works out what uninstalling `dist` removes.
 *
 * @example
 * const scan = await scanEnvironment(info)
 * const plan = await planUninstall(findDistribution(scan, 'wheel')!, info)
 * await uninstall(plan)
 */
export async function planUninstall(dist: InstalledDistribution, info: InterpreterInfo): Promise<UninstallPlan> {
  const set = new PathSet(info)
  const done = (skipped: string | null) =>
    Object.freeze({ distribution: dist, paths: Object.freeze(pySorted(set.paths)), refused: Object.freeze(pySorted(set.refused)), skipped })
  const location = await set.normalize(dist.location)
  if (!dist.local) {
    return done(`Not uninstalling ${dist.canonicalName} at ${location}, outside environment ${info.prefix}`)
  }
  if ([info.paths['stdlib'], info.paths['platstdlib']].includes(location)) {
    return done(`Not uninstalling ${dist.canonicalName} at ${location}, as it is in the standard library.`)
  }
  if (dist.installedLocation !== (await set.normalize(dist.location))) {
    throw new VenvError('ERR_UNINSTALL_UNSUPPORTED', `Cannot uninstall ${dist.name} ${dist.version}: it is a legacy editable install (.egg-link)`, {
      hint: `Remove it with pip: python -m pip uninstall ${dist.name}`,
    })
  }
  const filename = `${dist.name.replaceAll('-', '_')}.egg-info`
  if (dist.format === 'egg-info' && !dist.infoPath.endsWith(filename)) {
    await set.add(dist.infoPath)
    const installed = await readDistText(dist, 'installed-files.txt')
    if (installed !== null) {
      for (const entry of legacyEntries(dist, installed)) await set.add(pyJoin(dist.location, entry))
    } else {
      const topLevel = await readDistText(dist, 'top_level.txt')
      if (topLevel !== null) {
        const namespaces = pySplitLines((await readDistText(dist, 'namespace_packages.txt')) ?? '')
        for (const name of pySplitLines(topLevel).filter((p) => p !== '' && !namespaces.includes(p))) {
          const path = pyJoin(dist.location, name)
          for (const candidate of [path, `${path}.py`, `${path}.pyc`, `${path}.pyo`]) await set.add(candidate)
        }
      }
    }
  } else if (dist.format === 'egg-info-file') {
    throw new VenvError(
      'ERR_UNINSTALL_UNSUPPORTED',
      `Cannot uninstall '${dist.name}'. It is a distutils installed project and thus we cannot accurately determine which files belong to it which would lead to only a partial uninstall.`,
      { hint: 'Remove its files by hand, or reinstall it with pipette install --force-reinstall first' },
    )
  } else if (dist.format === 'dist-info' && dist.infoPath.endsWith('.dist-info')) {
    const record = await readDistText(dist, 'RECORD')
    if (record === null) {
      let message = `Cannot uninstall ${dist.name} ${dist.version}, RECORD file not found.`
      if (dist.installer === '' || dist.installer === 'pip' || dist.installer === 'pipette') {
        message += ` You might be able to recover from this via: 'pip install --force-reinstall --no-deps ${dist.name}==${dist.directoryVersion ?? dist.version}'.`
      } else message += ` Hint: The package was installed by ${dist.installer}.`
      throw new VenvError('ERR_UNINSTALL_NO_RECORD', message, { hint: `Reinstall it first: pipette install --force-reinstall --no-deps ${dist.name}` })
    }
    for (const row of parseRecord(record)) {
      const path = pyJoin(dist.location, normalizePosixPath(row.path))
      await set.add(path)
      if (path.endsWith('.py')) {
        const base = path.slice(0, -3)
        await set.add(`${base}.pyc`)
        await set.add(`${base}.pyo`)
      }
    }
  }
  const binDir = dist.inUserSite ? (info.schemes.user?.scripts ?? info.paths['scripts']!) : info.paths['scripts']!
  try {
    for (const script of await readdir(join(dist.infoPath, 'scripts'))) await set.add(join(binDir, script))
  } catch {
    // no distutils scripts
  }
  for (const entry of parseEntryPoints((await readDistText(dist, 'entry_points.txt')) ?? '')) {
    if (entry.group === 'console_scripts' || entry.group === 'gui_scripts') await set.add(join(binDir, entry.name))
  }
  return done(null)
}

/** Python's `os.path.join` of two parts: an absolute second part wins; nothing is normalised. */
function pyJoin(a: string, b: string): string {
  if (isAbsolute(b)) return b
  return a.endsWith(sep) ? a + b : `${a}${sep}${b}`
}

function legacyEntries(dist: InstalledDistribution, text: string): string[] {
  const paths = pySplitLines(text).filter((p) => p !== '')
  const info = relative(dist.location, dist.infoPath)
  if (info === '' || info.startsWith('..')) return paths
  const infoParts = info.split(sep)
  return paths.map((p) => {
    let entry = normalizePosixPath(p).split('/')
    let parts = [...infoParts]
    while (entry.length > 0 && entry[0] === '..') {
      if (parts.length === 0 || parts.at(-1) === '..') parts.push('..')
      else parts = parts.slice(0, -1)
      entry = entry.slice(1)
    }
    return normalizePosixPath([...parts, ...entry].join('/'))
  })
}

class PathSet {
  readonly paths = new Set<string>()
  readonly refused = new Set<string>()
  private readonly cache = new Map<string, Promise<string>>()
  private readonly prefix: Promise<string>

  constructor(private readonly info: InterpreterInfo) {
    this.prefix = this.normalize(info.prefix)
  }

  /** pip's `normalize_path`: symlinks resolved component by component (so `..` after a link follows the link). */
  normalize(path: string): Promise<string> {
    let pending = this.cache.get(path)
    if (pending === undefined) {
      const absolute = isAbsolute(path) ? path : resolve(path)
      pending = realpath(absolute).catch(() => resolve(absolute))
      this.cache.set(path, pending)
    }
    return pending
  }

  async add(path: string): Promise<void> {
    const full = pyJoin(await this.normalize(dirname(path)), basename(path))
    const exists = await stat(full).then(
      () => true,
      () => false,
    )
    if (!exists) return
    if (!this.info.isVirtualEnv || full.startsWith(await this.prefix)) this.paths.add(full)
    else this.refused.add(full)
    const tag = this.info.implementation.cacheTag
    if (extname(full) === '.py' && tag !== null) await this.add(join(dirname(full), '__pycache__', `${basename(full, '.py')}.${tag}.pyc`))
  }
}

/** Python's `sorted()` of strings: by code point. */
export function pySorted(values: Iterable<string>): string[] {
  return [...values].sort((a, b) => {
    const x = [...a]
    const y = [...b]
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!
      if (d !== 0) return d
    }
    return x.length - y.length
  })
}

/** pip's `compact`: drops every path that lies inside another path of the set. */
export function compactPaths(paths: Iterable<string>): string[] {
  const short: string[] = []
  for (const path of [...paths].sort((a, b) => a.length - b.length)) {
    const inside = short.some((s) => {
      const base = s.replace(/\*+$/, '')
      const trimmed = base.endsWith(sep) ? base.slice(0, -1) : base
      return path.startsWith(base) && path[trimmed.length] === sep
    })
    if (!inside) short.push(path)
  }
  return short
}

async function walkFiles(root: string): Promise<{ files: string[] }> {
  const files: string[] = []
  const visit = async (dir: string) => {
    let entries
    try {
      entries = await readdir(dir, { withFileTypes: true })
    } catch {
      return
    }
    for (const entry of entries) {
      const path = join(dir, entry.name)
      let isDir = entry.isDirectory()
      if (entry.isSymbolicLink()) isDir = await stat(path).then((s) => s.isDirectory(), () => false)
      if (isDir) {
        // os.walk lists a symlink to a directory as a directory but does not enter it.
        if (!entry.isSymbolicLink()) await visit(path)
      } else files.push(path)
    }
  }
  await visit(root)
  return { files }
}

/** pip's `compress_for_rename`: whole directories where every file in them is to be removed, else the files. */
export async function compressForRename(paths: Iterable<string>): Promise<string[]> {
  const remaining = new Set(paths)
  const roots = [...new Set([...remaining].map((p) => dirname(p)))].sort((a, b) => a.length - b.length)
  const wildcards: string[] = []
  for (const root of roots) {
    if (wildcards.some((w) => root.startsWith(w))) continue
    const { files } = await walkFiles(root)
    if (files.every((file) => remaining.has(file))) {
      for (const file of files) remaining.delete(file)
      wildcards.push(root + sep)
    }
  }
  return [...remaining, ...wildcards]
}

/**
 * pip's `compress_for_output_listing`: what the confirmation prompt shows. A
 * package directory (one with an `__init__.py`, or a `.dist-info`) shows as
 * `dir/*`; files in such directories that are not to be removed show as
 * skipped ("might be manually added").
 */
export async function compressForOutputListing(paths: readonly string[]): Promise<{ remove: string[]; skip: string[] }> {
  const folders = new Set<string>()
  const files = new Set<string>()
  for (const path of paths) {
    if (path.endsWith('.pyc')) continue
    if (path.endsWith('__init__.py') || path.includes('.dist-info')) folders.add(dirname(path))
    files.add(path)
  }
  const compacted = compactPaths(folders)
  const skip = new Set<string>()
  for (const folder of compacted) {
    const { files: found } = await walkFiles(folder)
    for (const file of found) {
      if (file.endsWith('.pyc')) continue
      const isFile = await stat(file).then((s) => s.isFile(), () => false)
      if (isFile && !files.has(file)) skip.add(file)
    }
  }
  const remove = new Set([...files, ...compacted.map((folder) => join(folder, '*'))])
  return { remove: pySorted(compactPaths(remove)), skip: pySorted(compactPaths(skip)) }
}

export interface UninstallResult {
  /** What was removed (after compression: whole directories end with `/`). */
  readonly removed: readonly string[]
}

/**
 * Removes what a plan lists, atomically: everything is moved aside first and
 * deleted only when all moves succeeded; on failure everything is put back.
 */
export interface UninstallOptions {
  /** The rename used to move files aside and back (tests pass one that fails). Default: `fs.rename`. */
  readonly rename?: ((from: string, to: string) => Promise<void>) | undefined
}

export async function uninstall(plan: UninstallPlan, options: UninstallOptions = {}): Promise<UninstallResult> {
  if (plan.paths.length === 0) return Object.freeze({ removed: Object.freeze([]) })
  const forRename = pySorted(compactPaths(await compressForRename(plan.paths)))
  const stash = new Stash(options.rename ?? rename)
  try {
    for (const path of forRename) await stash.move(path.endsWith(sep) ? path.slice(0, -1) : path)
  } catch (cause) {
    const restoreError = await stash.rollback().then(
      () => null,
      (error: unknown) => error,
    )
    throw new VenvError(
      'ERR_UNINSTALL_FAILED',
      `Could not uninstall ${plan.distribution.name} ${plan.distribution.version}: ${(cause as Error).message}${restoreError === null ? '; nothing was removed' : ''}`,
      { hint: 'Check the permissions of the environment, then run the command again', cause },
    )
  }
  await stash.commit()
  return Object.freeze({ removed: Object.freeze(forRename) })
}

class Stash {
  constructor(private readonly rename: (from: string, to: string) => Promise<void>) {}

  private readonly moves: Array<[from: string, to: string]> = []
  private readonly stashDirs = new Map<string, string>()
  private readonly created: string[] = []

  async move(path: string): Promise<void> {
    const s = await lstat(path).catch(() => null)
    if (s === null) return // already gone
    const isDir = s.isDirectory()
    let target: string
    if (isDir) {
      // Beside the directory, so the move is a rename on the same file system.
      const dir = await mkdtemp(join(dirname(path), `.~${basename(path).slice(0, 40)}-`))
      this.created.push(dir)
      this.stashDirs.set(path, dir)
      await rmdir(dir)
      target = dir
    } else {
      let head = dirname(path)
      let found: string | undefined
      for (let previous = ''; head !== previous; previous = head, head = dirname(head)) {
        found = this.stashDirs.get(head)
        if (found !== undefined) break
      }
      if (found === undefined) {
        head = dirname(path)
        found = await mkdtemp(join(tmpdir(), 'pipette-uninstall-'))
        this.created.push(found)
        this.stashDirs.set(head, found)
      }
      target = join(found, relative(head, path))
    }
    await moveAcross(path, target, this.rename)
    this.moves.push([path, target])
    await removeEmptyParents(dirname(path))
  }

  async rollback(): Promise<void> {
    for (const [from, to] of this.moves.reverse()) {
      await mkdir(dirname(from), { recursive: true })
      await moveAcross(to, from, rename)
    }
    await this.commit()
  }

  async commit(): Promise<void> {
    for (const dir of this.created) await rm(dir, { recursive: true, force: true })
  }
}

async function moveAcross(from: string, to: string, move: (from: string, to: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(to), { recursive: true })
  try {
    await move(from, to)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error
    await cp(from, to, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true })
    await rm(from, { recursive: true, force: true })
  }
}

/** `os.removedirs`: removes the directory, then its parents, until one is not empty. */
async function removeEmptyParents(dir: string): Promise<void> {
  for (let current = dir; ; ) {
    try {
      await rmdir(current)
    } catch {
      return
    }
    const parent = dirname(current)
    if (parent === current) return
    current = parent
  }
}
