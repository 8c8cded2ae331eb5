/**
 * Installing one wheel into a scheme, with the result pip produces.
 *
 * pip's algorithm (`pip/_internal/operations/install/wheel.py`) decides what
 * goes where; pipette follows it file for file:
 *   - the archive root goes to purelib when WHEEL says `Root-Is-Purelib:
 *     true`, else to platlib; `<name>.data/<key>/...` goes to the scheme path
 *     `key` (purelib, platlib, headers, scripts, data);
 *   - files in `.data/scripts` that are setuptools' own wrappers for an entry
 *     point (`name`, `name.exe`, `name-script.py`, `name.pya`) are skipped;
 *     the others get a `#!python` first line rewritten to the interpreter;
 *   - a member with any execute bit in its Unix mode becomes
 *     `0o777 & ~umask | 0o111`, other files keep the umask default;
 *   - `.py` files are compiled (see compile.ts) and their `.pyc` recorded;
 *   - console and GUI entry points get launchers (see launcher.ts);
 *   - INSTALLER, direct_url.json (PEP 610) and REQUESTED are written, and a
 *     RECORD built from the wheel's: paths made relative to the library
 *     directory, rewritten scripts rehashed, generated files appended, all
 *     sorted as pip sorts them.
 *
 * What pipette adds is how it is written. The archive is checked first
 * (reader.ts). Members then stream out of the zip concurrently, each into a
 * temporary file next to its destination; hashes and sizes are checked as
 * the bytes flow. Only when every member is staged and verified is anything
 * renamed into place, so a bad wheel leaves the environment as it was (the
 * temporary files and the directories created for them are removed). Every
 * destination is checked twice against its scheme directory: lexically (no
 * `..` escapes) and physically (the real path of each directory written to,
 * symbolic links resolved, must lie inside the real path of the scheme
 * directory), so nothing is ever written outside the target.
 */
import { randomBytes } from 'node:crypto'
import { chmod, lstat, mkdir, mkdtemp, open, readdir, realpath, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, normalize, posix, relative, sep } from 'node:path'
import { WheelError } from './errors.js'
import type { DirectUrl } from './direct-url.js'
import type { Compiler } from './compile.js'
import type { ExtractJob } from './extract-core.js'
import { createExtractor } from './extract-pool.js'
import type { Extractor } from './extract-pool.js'
import { consoleScriptSpecs, fixScriptShebang, scriptEntry } from './launcher.js'
import { writeGeneratedFiles } from './generated-files.js'
import { compareCodePoints, formatSortedRecord, installedRecordRows, recordHash, sortRecordRows } from './record.js'
import type { RecordRow } from './record.js'
import type { WheelArchive, WheelMember } from './reader.js'

/** Where each kind of file goes (absolute directories), as sysconfig/pip name them. */
export interface Scheme {
  readonly purelib: string
  readonly platlib: string
  readonly headers: string
  readonly scripts: string
  readonly data: string
}

const SCHEME_KEYS = ['data', 'headers', 'platlib', 'purelib', 'scripts'] as const

export interface InstallWheelOptions {
  readonly archive: WheelArchive
  readonly scheme: Scheme
  /** The interpreter's `sys.executable`: shebangs of scripts and launchers name it. */
  readonly executable: string
  /** `sys.version_info[:2]`, for the versioned pip/easy_install scripts. */
  readonly pythonVersion: readonly [number, number]
  /** Compile `.py` files with this pool; no compilation when absent (`--no-compile`). */
  readonly compiler?: Compiler | undefined
  /** Written to INSTALLER (default `pipette`). */
  readonly installer?: string | undefined
  /** Written to direct_url.json when given (installs from a path or URL). */
  readonly directUrl?: DirectUrl | undefined
  /** Write REQUESTED (the user asked for this distribution by name or path). */
  readonly requested?: boolean | undefined
  /** `ENSUREPIP_OPTIONS`, which steers the pip/easy_install script names. */
  readonly ensurepipOptions?: string | undefined
  /** `process.platform` of the target (shebang length limit); default this process's. */
  readonly platform?: string | undefined
  /** File mode mask; default the process umask. */
  readonly umask?: number | undefined
  /** Extraction threads shared by several installs; default: this call extracts on the main thread. */
  readonly extractor?: Extractor | undefined
  /**
   * Runs after every file is staged and verified and before any is moved into
   * place: remove the version being replaced here, so that a wheel that fails
   * to stage leaves the old version installed.
   */
  readonly beforeCommit?: (() => Promise<void>) | undefined
  /**
   * Runs the commit step (checks, `beforeCommit`, renames) when the caller
   * says so: an installer of several wheels commits them in order while the
   * next one is already being staged. Default: at once.
   */
  readonly commit?: ((step: () => Promise<void>) => Promise<void>) | undefined
}

export interface InstalledDistribution {
  /** The name as METADATA spells it. */
  readonly name: string
  readonly version: string
  /** The `.dist-info` directory written. */
  readonly distInfoPath: string
  /** The library directory RECORD paths are relative to. */
  readonly libDir: string
  /** The rows of the RECORD written, sorted. */
  readonly record: readonly RecordRow[]
  /** Absolute paths of the console-script launchers written (pip warns when they are not on PATH). */
  readonly consoleScripts: readonly string[]
  /** Absolute paths of the GUI-script launchers written. */
  readonly guiScripts: readonly string[]
  /** How many `.pyc` files were written. */
  readonly compiled: number
  readonly warnings: readonly string[]
}

interface PlannedFile {
  readonly member: WheelMember
  /** The scheme directory the file must stay inside. */
  readonly root: string
  readonly dest: string
  readonly script: boolean
}

function currentUmask(): number {
  // process.umask() without an argument reads the mask without changing it.
  return process.umask()
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path)
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel))
}

/** Python's `os.path.join(a, b)` for POSIX: no normalization. */
function pyJoin(a: string, b: string): string {
  if (b.startsWith('/')) return b
  return a === '' || a.endsWith('/') ? a + b : `${a}/${b}`
}

/** An empty, `.` or `..` segment (also a leading, doubled or trailing `/`). */
const NOT_PLAIN = /(?:^|\/)\.{0,2}(?:\/|$)/

/** A POSIX absolute path already in `normalize`d form (joining to it needs no normalizing). */
function isNormalRoot(root: string): boolean {
  return sep === '/' && root.length > 1 && root.startsWith('/') && !root.endsWith('/') && normalize(root) === root
}

/**
 * `path` relative to `root` when `root` is a normal root and `path` a plain
 * path below it (the common case, without path.relative's work), else undefined.
 */
function plainBelow(root: string, path: string): string | undefined {
  if (path.length <= root.length + 1 || path.charCodeAt(root.length) !== 47 || !path.startsWith(root) || !isNormalRoot(root)) return undefined
  const rest = path.slice(root.length + 1)
  return NOT_PLAIN.test(rest) ? undefined : rest
}

function toRecordPath(path: string, libDir: string): string {
  return plainBelow(libDir, path) ?? relative(libDir, path).split(sep).join('/')
}

function tempName(dest: string): string {
  return join(dirname(dest), `.${basename(dest).slice(0, 80)}.${randomBytes(6).toString('hex')}.pipette-tmp`)
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  let failed: { error: unknown } | undefined
  const run = async () => {
    while (failed === undefined && next < items.length) {
      const index = next++
      try {
        results[index] = await fn(items[index]!)
      } catch (error) {
        failed ??= { error }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run))
  if (failed !== undefined) throw failed.error
  return results
}

function installError(what: string, cause: unknown): WheelError {
  const code = (cause as NodeJS.ErrnoException).code
  return new WheelError('ERR_WHEEL_INSTALL', `Could not install ${what}: ${code ?? (cause as Error).message}`, {
    hint: code === 'EACCES' || code === 'EPERM' ? 'you may not write there; use a virtual environment (pipette venv .venv) or --target DIR' : 'check the target directory and free disk space',
    cause,
  })
}

/**
 * Directories are created on demand, once each, and checked to resolve
 * inside their scheme directory. Remembers what it created for rollback.
 */
class DirectoryKeeper {
  private readonly ready = new Map<string, Promise<void>>()
  private readonly realRoots = new Map<string, Promise<string>>()
  readonly created: string[] = []

  ensure(root: string, dir: string): Promise<void> {
    const key = `${root}\0${dir}`
    let done = this.ready.get(key)
    if (done === undefined) {
      done = this.create(root, dir)
      this.ready.set(key, done)
    }
    return done
  }

  private realRoot(root: string): Promise<string> {
    let real = this.realRoots.get(root)
    if (real === undefined) {
      real = (async () => {
        await this.mkdirs(root)
        return await realpath(root)
      })()
      this.realRoots.set(root, real)
    }
    return real
  }

  private async mkdirs(dir: string): Promise<void> {
    const first = await mkdir(dir, { recursive: true })
    if (first === undefined) return
    for (let d = dir; ; d = dirname(d)) {
      this.created.push(d)
      if (d === first || dirname(d) === d) break
    }
  }

  private async create(root: string, dir: string): Promise<void> {
    const realRoot = await this.realRoot(root)
    await this.mkdirs(dir)
    const real = await realpath(dir)
    if (!isInside(realRoot, real)) {
      throw new WheelError('ERR_WHEEL_SYMLINK', `Refusing to write into ${dir}: it is a link to ${real}, outside ${root}`, {
        hint: 'a symbolic link inside the environment leads out of it; remove the link, or install into another target',
      })
    }
  }

  /** Removes the directories this keeper created, deepest first, when empty. */
  async rollback(): Promise<void> {
    const dirs = [...new Set(this.created)].sort((a, b) => b.length - a.length)
    for (const dir of dirs) await rmdir(dir).catch(() => undefined)
  }
}

/**
 * How to move a staged tree into its scheme directory: each staged entry
 * whose destination does not exist is renamed as a whole (a new package
 * directory moves in one rename); an existing directory is entered and merged
 * (it may be a link only when it resolves inside the scheme directory); an
 * existing file is replaced. Throws, before anything moves, when an entry
 * cannot go in.
 */
async function mergePlan(stage: string, root: string): Promise<Array<[string, string]>> {
  const renames: Array<[string, string]> = []
  const realRoot = await realpath(root)
  const walk = async (rel: string): Promise<void> => {
    for (const name of await readdir(join(stage, rel))) {
      const child = rel === '' ? name : join(rel, name)
      const from = join(stage, child)
      const to = join(root, child)
      const existing = await lstat(to).catch(() => undefined)
      if (existing === undefined) {
        renames.push([from, to])
        continue
      }
      const stagedIsDir = (await lstat(from)).isDirectory()
      let existingIsDir = existing.isDirectory()
      if (existing.isSymbolicLink()) {
        const real = await realpath(to).catch(() => undefined)
        if (stagedIsDir) {
          if (real === undefined || !isInside(realRoot, real)) {
            throw new WheelError('ERR_WHEEL_SYMLINK', `Refusing to write into ${to}: it is a link to ${real ?? 'nothing'}, outside ${root}`, {
              hint: 'a symbolic link inside the environment leads out of it; remove the link, or install into another target',
            })
          }
          existingIsDir = (await stat(to)).isDirectory()
        }
      }
      if (stagedIsDir && existingIsDir) {
        await walk(child)
      } else if (!stagedIsDir && !existingIsDir) {
        renames.push([from, to])
      } else {
        throw new WheelError('ERR_WHEEL_INSTALL', `Could not install ${to}: a ${existingIsDir ? 'directory' : 'file'} is in the way`, {
          hint: 'another distribution owns that path; uninstall it first or remove the path',
        })
      }
    }
  }
  await walk('')
  return renames
}

/** pip's plan: every member's destination, or why it is not installed. */
function planFiles(archive: WheelArchive, scheme: Scheme, libDir: string, launchers: ReadonlySet<string>): PlannedFile[] {
  const wheelName = basename(archive.path)
  const plans: PlannedFile[] = []
  const plainLib = isNormalRoot(libDir)
  const traversal = (root: string, dest: string) =>
    new WheelError('ERR_WHEEL_UNSAFE_PATH', `The wheel ${JSON.stringify(wheelName)} has a file ${JSON.stringify(dest)} trying to install outside the target directory ${JSON.stringify(root)}`, {
      hint: 'wheel members are relative paths that stay inside their scheme directory',
    })
  for (const member of archive.members) {
    if (member.isDirectory) continue
    const top = member.name.split('/', 1)[0]!
    if (!top.endsWith('.data')) {
      // A plain name below a normal root needs no normalizing and stays inside it.
      if (plainLib && !NOT_PLAIN.test(member.name)) {
        plans.push({ member, root: libDir, dest: `${libDir}/${member.name}`, script: false })
        continue
      }
      const dest = join(libDir, normalize(member.name))
      if (!isInside(libDir, dest)) throw traversal(libDir, dest)
      plans.push({ member, root: libDir, dest, script: false })
      continue
    }
    const parts = posix.normalize(member.name).split('/')
    if (parts.length < 3 || parts[2] === '') {
      throw new WheelError('ERR_WHEEL_INVALID', `Unexpected file in ${wheelName}: ${JSON.stringify(member.name)}. .data directory contents should be named like: '<scheme key>/<path>'.`, {
        hint: 'files under <name>.data/ go in a scheme directory: scripts/, headers/, data/, purelib/ or platlib/',
      })
    }
    const key = parts[1]!
    if (!(SCHEME_KEYS as readonly string[]).includes(key)) {
      throw new WheelError('ERR_WHEEL_INVALID', `Unknown scheme key used in ${wheelName}: ${key} (for file ${JSON.stringify(member.name)}). .data directory contents should be in subdirectories named with a valid scheme key (${SCHEME_KEYS.join(', ')})`, {
        hint: 'files under <name>.data/ go in a scheme directory: scripts/, headers/, data/, purelib/ or platlib/',
      })
    }
    const root = scheme[key as (typeof SCHEME_KEYS)[number]]
    const dest = join(root, parts.slice(2).join('/'))
    if (!isInside(root, dest)) throw traversal(root, dest)
    const isScript = member.name.split('/', 3).length > 2 && member.name.split('/', 2)[1] === 'scripts'
    if (isScript) {
      const name = basename(dest)
      const lower = name.toLowerCase()
      const match = lower.endsWith('.exe') ? name.slice(0, -4) : lower.endsWith('-script.py') ? name.slice(0, -10) : lower.endsWith('.pya') ? name.slice(0, -4) : name
      if (launchers.has(match)) continue
    }
    plans.push({ member, root, dest, script: isScript })
  }
  return plans
}

/**
 * Installs an opened, checked wheel into `scheme` (see the essay above) and
 * returns what was installed. The archive stays open (the caller closes it).
 */
export async function installWheel(options: InstallWheelOptions): Promise<InstalledDistribution> {
  const { archive, scheme, executable } = options
  const umask = options.umask ?? currentUmask()
  const fileMode = 0o666 & ~umask
  const execMode = (0o777 & ~umask) | 0o111
  const libDir = archive.wheelInfo.rootIsPurelib ? scheme.purelib : scheme.platlib
  const installer = options.installer ?? 'pipette'

  // Entry points: the last definition of a name wins, in first-seen order (a dict in pip).
  const consoleEntries = new Map<string, string>()
  const guiEntries = new Map<string, string>()
  for (const ep of archive.entryPoints) {
    if (ep.group === 'console_scripts') consoleEntries.set(ep.name, ep.value)
    else if (ep.group === 'gui_scripts') guiEntries.set(ep.name, ep.value)
  }
  const launcherNames = new Set([...consoleEntries.keys(), ...guiEntries.keys()])
  const consoleSpecs = consoleScriptSpecs(consoleEntries, { pythonVersion: options.pythonVersion, ensurepipOptions: options.ensurepipOptions })
  const guiSpecs = [...guiEntries].map(([name, value]) => `${name} = ${value}`)
  // Parse every launcher before writing anything: a bad entry point refuses the wheel.
  const consoleLaunchers = consoleSpecs.map(scriptEntry)
  const guiLaunchers = guiSpecs.map(scriptEntry)

  const plans = planFiles(archive, scheme, libDir, launcherNames)
  // When two members land on the same path, the later one wins (pip writes them in order).
  const lastWriter = new Map<string, PlannedFile>()
  for (const plan of plans) lastWriter.set(plan.dest, plan)

  const dirs = new DirectoryKeeper()
  const writers = plans.filter((plan) => lastWriter.get(plan.dest) === plan)
  const stages = new Map<string, string>() // scheme directory -> its staging directory
  const changedByDest = new Map<string, { hash: string; size: number }>()
  const removeStages = async () => {
    await Promise.all([...stages.values()].map((stage) => rm(stage, { recursive: true, force: true })))
  }

  try {
    // 1. Stage: every member is written under a fresh staging directory inside its scheme directory.
    for (const plan of writers) {
      if (!stages.has(plan.root)) {
        await dirs.ensure(plan.root, plan.root)
        stages.set(plan.root, await mkdtemp(join(plan.root, '.pipette-stage-')))
      }
    }
    const staged = (plan: PlannedFile) => {
      const stage = stages.get(plan.root)!
      const below = plainBelow(plan.root, plan.dest)
      return below === undefined ? join(stage, relative(plan.root, plan.dest)) : `${stage}/${below}`
    }
    const jobs: Array<{ plan: PlannedFile; job: ExtractJob }> = []
    const streamed: PlannedFile[] = []
    let shared: SharedArrayBuffer | undefined
    for (const plan of writers) {
      const raw = archive.raw(plan.member)
      if (raw === undefined) {
        streamed.push(plan)
        continue
      }
      shared = raw.bytes
      const mode = plan.member.executable ? execMode : fileMode
      jobs.push({
        plan,
        job: {
          wheel: basename(archive.path),
          name: plan.member.name,
          dataStart: raw.dataStart,
          compressedSize: raw.compressedSize,
          method: raw.method,
          size: plan.member.size,
          hash: plan.member.record?.hash ?? '',
          recordSize: plan.member.record?.size ?? '',
          dest: staged(plan),
          mode,
          chmod: plan.member.executable && (execMode & ~(0o777 & ~umask)) !== 0,
          fixShebang: plan.script ? executable : undefined,
        },
      })
    }
    if (jobs.length > 0) {
      const extractor = options.extractor ?? createExtractor({ workers: 0 })
      try {
        const outcomes = await extractor.run(shared!, jobs.map((j) => j.job))
        outcomes.forEach((outcome, i) => {
          if (outcome.hash !== undefined && outcome.size !== undefined) changedByDest.set(jobs[i]!.plan.dest, { hash: outcome.hash, size: outcome.size })
        })
      } finally {
        if (options.extractor === undefined) await extractor.close()
      }
    }
    await mapLimit(streamed, 4, async (plan) => {
      const dest = staged(plan)
      try {
        await mkdir(dirname(dest), { recursive: true })
        if (plan.script) {
          const content = await archive.read(plan.member)
          const fixed = fixScriptShebang(content, executable)
          if (fixed !== undefined) changedByDest.set(plan.dest, { hash: recordHash(fixed), size: fixed.length })
          await writeFile(dest, fixed ?? content, { flag: 'wx', mode: plan.member.executable ? execMode : fileMode })
        } else {
          const handle = await open(dest, 'wx', plan.member.executable ? execMode : fileMode)
          try {
            await archive.stream(plan.member, async (chunk) => {
              await handle.write(chunk)
            })
          } finally {
            await handle.close()
          }
        }
        if (plan.member.executable && (execMode & ~(0o777 & ~umask)) !== 0) await chmod(dest, execMode)
      } catch (error) {
        if (error instanceof WheelError) throw error
        throw installError(`${plan.member.name} to ${plan.dest}`, error)
      }
    })
  } catch (error) {
    await removeStages()
    await dirs.rollback()
    throw error
  }

  // 2. Check that the staged trees can be moved in (before anything is removed or replaced),
  // remove the version being replaced, 3. rename the staged files and directories into place
  // (a new package directory moves in one rename). `commit` lets a caller order the commits of
  // several wheels.
  let moved = false
  try {
    await (options.commit ?? ((step: () => Promise<void>) => step()))(async () => {
      for (const [root, stage] of stages) await mergePlan(stage, root)
      await options.beforeCommit?.()
      moved = true
      try {
        for (const [root, stage] of stages) {
          for (const [from, to] of await mergePlan(stage, root)) await rename(from, to)
        }
      } catch (error) {
        throw error instanceof WheelError ? error : installError(archive.filename.filename, error)
      }
    })
  } catch (error) {
    await removeStages()
    if (!moved) await dirs.rollback()
    throw error
  }
  await removeStages()

  const installed = new Map<string, string>() // archive RECORD path -> installed RECORD path
  const changed = new Map<string, { hash: string; size: number }>() // installed RECORD path -> new hash/size
  for (const plan of plans) installed.set(plan.member.name, toRecordPath(plan.dest, libDir))
  for (const [dest, change] of changedByDest) changed.set(toRecordPath(dest, libDir), change)

  // Bytecode, in pip's order (sorted installed paths), recorded without hashes.
  let compiled = 0
  if (options.compiler !== undefined) {
    const sources = [...new Set(installed.values())].sort(compareCodePoints).map((rel) => pyJoin(libDir, rel)).filter((path) => path.endsWith('.py'))
    const compiler = options.compiler
    // Every source is a file this install just wrote (pip checks `isfile`).
    const results = await Promise.all(sources.map((path) => compiler.compile(path)))
    for (const pyc of results) {
      if (pyc === null) continue
      installed.set(pyc, toRecordPath(pyc, libDir))
      compiled++
    }
  }

  // Launchers, then the metadata pip generates.
  const generated: Array<{ path: string; hash: string; size: number }> = []
  const writeGenerated = async (path: string, content: string | Buffer, mode: number): Promise<void> => {
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content
    const temp = tempName(path)
    try {
      await writeFile(temp, data, { flag: 'wx', mode })
      if ((mode & ~fileMode & 0o7777) !== 0) await chmod(temp, mode)
      await rename(temp, path)
    } catch (error) {
      await unlink(temp).catch(() => undefined)
      throw installError(path, error)
    }
    generated.push({ path, hash: recordHash(data), size: data.length })
  }
  const platform = options.platform ?? process.platform
  const distInfoPath = join(libDir, archive.distInfo)
  const { consoleScripts, guiScripts } = await writeGeneratedFiles({
    scriptsDir: scheme.scripts,
    distInfoPath,
    consoleLaunchers,
    guiLaunchers,
    executable,
    platform,
    fileMode,
    installer,
    directUrl: options.directUrl,
    requested: options.requested,
    ensureDir: (dir) => dirs.ensure(dir === scheme.scripts ? scheme.scripts : libDir, dir),
    write: writeGenerated,
  })

  // RECORD: the wheel's rows with installed paths, then generated files, then the rest.
  const recordMember = archive.members.find((m) => m.name === `${archive.distInfo}/RECORD`)!
  const recordText = (await archive.read(recordMember)).toString('utf8')
  const recorded = installedRecordRows({ recordText, installed, changed, generated: generated.map((file) => ({ ...file, path: toRecordPath(file.path, libDir) })) })
  const rows = recorded.rows
  const warnings = [...archive.warnings, ...recorded.warnings]
  const sortedRows = sortRecordRows(rows)
  const recordOut = formatSortedRecord(sortedRows)
  const recordPath = join(distInfoPath, 'RECORD')
  const temp = tempName(recordPath)
  try {
    await writeFile(temp, recordOut, { flag: 'wx', mode: fileMode })
    await rename(temp, recordPath)
  } catch (error) {
    await unlink(temp).catch(() => undefined)
    throw installError(recordPath, error)
  }

  return Object.freeze({
    name: archive.name,
    version: archive.version,
    distInfoPath,
    libDir,
    record: Object.freeze(sortedRows.map((row) => Object.freeze({ path: row.path, hash: row.hash, size: row.size }))),
    consoleScripts: Object.freeze(consoleScripts),
    guiScripts: Object.freeze(guiScripts),
    compiled,
    warnings: Object.freeze(warnings),
  })
}
