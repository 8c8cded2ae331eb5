/**
 * `pip install path/to/x.whl ...`: the decisions around installing wheel
 * files into an environment, as pip makes them.
 *
 * Every wheel is opened and checked before anything is written (pip prepares
 * all requirements before installing any): its file name, its structure and
 * RECORD (reader.ts), and its tags against the interpreter's supported tags.
 * Two different versions of one project are a conflict. Then, per wheel:
 *   - nothing installed under its name: install it;
 *   - the same version installed: skip it with pip's message, unless
 *     `--force-reinstall`;
 *   - another version installed (or `--force-reinstall`): uninstall that one
 *     first. The uninstall runs after the new files are staged and verified,
 *     just before they are moved into place, so a wheel that turns out to be
 *     bad leaves the old version installed.
 * `--prefix DIR` installs into pip's prefix scheme (what is installed in the
 * interpreter's own environment still counts, as in pip). `--target DIR`
 * installs into a home scheme in a temporary directory next to DIR, ignoring
 * what is installed, then moves each top-level entry into DIR; an entry that
 * already exists there is kept, with pip's warning, unless `--upgrade`.
 *
 * Bytecode compilation uses one pool of workers for the whole run, so workers
 * start once and compile the first wheel while the next is being extracted.
 * The function returns data and reports progress as events; printing them is
 * the CLI's business.
 */
import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { lstat, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { eq, tryParseVersion } from '@pipette/pep440'
import { canonicalizeName } from '@pipette/requirements/names'
import { installScheme } from '@pipette/venv'
import type { InterpreterInfo } from '@pipette/venv'
import { createCompilePool } from './compile.js'
import { displayPath } from './display-path.js'
import { createExtractor } from './extract-pool.js'
import type { Compiler } from './compile.js'
import { pathToFileUrl } from './direct-url.js'
import { WheelError } from './errors.js'
import { installWheel } from './install.js'
import type { InstalledDistribution, Scheme } from './install.js'
import { installationOrder } from './install-order.js'
import { interpreterTags } from './interpreter.js'
import { openWheel } from './reader.js'
import type { WheelArchive } from './reader.js'
import { tagToString } from './tags.js'

/** A distribution already installed in the environment (what uninstalling needs). */
export interface ExistingDistribution {
  readonly name: string
  readonly version: string
}

/**
 * How the installer sees what is already installed in the interpreter's
 * environment: `@pipette/venv` provides one over site-packages.
 */
export interface EnvironmentAccess {
  /** The distribution installed under this canonical name, if any. */
  find(canonicalName: string): Promise<ExistingDistribution | undefined>
  /**
   * After an install: pip's `check` lines (`a 1.0 requires b, which is not
   * installed.`, `... has requirement ...`) about these canonical names.
   */
  dependencyProblems?(names: readonly string[]): Promise<readonly string[]>
  /** Uninstalls it (pip's `uninstall` by RECORD): whether anything was removed, and pip's notes. */
  uninstall(distribution: ExistingDistribution): Promise<{ readonly removed: boolean; readonly messages: readonly string[] }>
}

export type InstallEvent =
  /** `Processing ./x.whl` */
  | { readonly kind: 'processing'; readonly path: string; readonly display: string }
  /** `x is already installed with the same version as the provided wheel...` */
  | { readonly kind: 'already-installed'; readonly name: string }
  /** `Installing collected packages: a, b` */
  | { readonly kind: 'collected'; readonly names: readonly string[] }
  /** `Attempting uninstall: a`, `Found existing installation: a 1.0` (versions as pip prints them). */
  | { readonly kind: 'uninstalling'; readonly name: string; readonly existing: ExistingDistribution }
  /** A note of the uninstall (`Not uninstalling a at ..., outside environment ...`). */
  | { readonly kind: 'uninstall-message'; readonly name: string; readonly message: string }
  /** `Uninstalling a-1.0:`, `Successfully uninstalled a-1.0`. */
  | { readonly kind: 'uninstalled'; readonly name: string; readonly existing: ExistingDistribution }
  | { readonly kind: 'installed'; readonly name: string; readonly distribution: InstalledDistribution }
  /** A warning pip would print (`WARNING: ...`). */
  | { readonly kind: 'warning'; readonly message: string }
  /**
   * Without `--no-deps`, dependencies of what was installed that are missing
   * or conflict (pip prints them as an `ERROR:` after installing).
   */
  | { readonly kind: 'dependency-conflicts'; readonly lines: readonly string[] }

export interface InstallWheelFilesOptions {
  readonly interpreter: InterpreterInfo
  /** Paths of wheel files, as the user gave them. */
  readonly wheels: readonly string[]
  /** `--no-deps`: dependencies do not order the installation. */
  readonly noDeps?: boolean | undefined
  /** Compile bytecode (pip's default); `--no-compile` turns it off. */
  readonly compile?: boolean | undefined
  readonly forceReinstall?: boolean | undefined
  /** `--target DIR`. */
  readonly target?: string | undefined
  /** `--upgrade`: with `--target`, replace existing entries. */
  readonly upgrade?: boolean | undefined
  /** `--prefix DIR`. */
  readonly prefix?: string | undefined
  /** What is installed; without it nothing counts as installed. */
  readonly environment?: EnvironmentAccess | undefined
  /** Where relative paths are resolved and shown from; default `process.cwd()`. */
  readonly cwd?: string | undefined
  /** Variables pip reads (`ENSUREPIP_OPTIONS`, `PATH`); default `process.env`. */
  readonly env?: NodeJS.ProcessEnv | undefined
  /** Warn when console scripts land outside PATH (pip's default; never with --target or --prefix). */
  readonly warnScriptLocation?: boolean | undefined
  /** Compile workers (default: CPUs, at most 4). */
  readonly compileWorkers?: number | undefined
  /** Extraction threads besides the main thread (default: none on one or two CPUs, else CPUs - 1, at most 3; 0: the main thread alone). */
  readonly extractWorkers?: number | undefined
  readonly onEvent?: ((event: InstallEvent) => void) | undefined
}

export interface InstallWheelFilesResult {
  /** What was installed, sorted by name as pip lists it: `Successfully installed a-1.0 b-2.0`. */
  readonly installed: ReadonlyArray<{ readonly name: string; readonly version: string }>
  /** Names skipped because the same version was installed. */
  readonly skipped: readonly string[]
}

/** The name pip gives a wheel file requirement: the file name's, `_` read as `-`. */
export function wheelRequirementName(archive: WheelArchive): string {
  return archive.filename.name.replace(/_/g, '-')
}

/** The names a wheel's Requires-Dist lines name, except those only needed for extras. */
function dependencyNames(archive: WheelArchive): string[] {
  const names: string[] = []
  for (const line of archive.metadata.getAll('Requires-Dist')) {
    const marker = line.includes(';') ? line.slice(line.indexOf(';') + 1) : ''
    if (/\bextra\s*==/.test(marker)) continue
    const match = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/.exec(line)
    if (match !== null) names.push(canonicalizeName(match[1]!))
  }
  return names
}

/** Versions compare as PEP 440 versions when both parse (pip's `Version` equality), else as text. */
function sameVersion(a: string, b: string): boolean {
  const [x, y] = [tryParseVersion(a), tryParseVersion(b)]
  return x !== null && y !== null ? eq(x, y) : a === b
}

/** `str(Version)`: how pip prints a version. */
function shownVersion(text: string): string {
  return tryParseVersion(text)?.toString() ?? text
}

function schemeWithHeaders(paths: { purelib: string; platlib: string; scripts: string; data: string; include: string }, name: string): Scheme {
  return { purelib: paths.purelib, platlib: paths.platlib, scripts: paths.scripts, data: paths.data, headers: join(paths.include, name) }
}

/** pip's warning when console scripts land in a directory that is not on PATH. */
export function scriptsNotOnPathMessage(scripts: readonly string[], options: { readonly path: string | undefined; readonly executable: string }): string | undefined {
  if (scripts.length === 0) return undefined
  const grouped = new Map<string, Set<string>>()
  for (const script of scripts) {
    const dir = dirname(script)
    const set = grouped.get(dir) ?? new Set<string>()
    set.add(basename(script))
    grouped.set(dir, set)
  }
  const norm = (p: string) => resolve(p).replace(/\/+$/, '')
  const onPath = (options.path ?? '').split(':').map((p) => (p === '' ? norm('.') : norm(p)))
  onPath.push(norm(dirname(options.executable)))
  const lines: string[] = []
  for (const [dir, names] of grouped) {
    if (onPath.includes(norm(dir))) continue
    const sorted = [...names].sort()
    const start = sorted.length === 1 ? `script ${sorted[0]} is` : `scripts ${sorted.slice(0, -1).join(', ')} and ${sorted.at(-1)} are`
    lines.push(`The ${start} installed in '${dir}' which is not on PATH.`)
  }
  if (lines.length === 0) return undefined
  lines.push(`Consider adding ${lines.length === 1 ? 'this directory' : 'these directories'} to PATH or, if you prefer to suppress this warning, use --no-warn-script-location.`)
  if ((options.path ?? '').split(':').some((p) => p.startsWith('~'))) {
    lines.push('NOTE: The current PATH contains path(s) starting with `~`, which may not be expanded by all applications.')
  }
  return lines.join('\n')
}

/**
 * Installs wheel files into the interpreter's environment (or `--prefix` /
 * `--target`) with pip's decisions and output events; see the essay above.
 */
export async function installWheelFiles(options: InstallWheelFilesOptions): Promise<InstallWheelFilesResult> {
  const cwd = options.cwd ?? process.cwd()
  const env = options.env ?? process.env
  const emit = options.onEvent ?? (() => undefined)
  const info = options.interpreter
  const supported = new Set(interpreterTags(info).map(tagToString))

  // 1. Open and check every wheel before installing any.
  const archives: Array<{ path: string; archive: WheelArchive; name: string }> = []
  try {
    for (const given of options.wheels) {
      const path = resolve(cwd, given)
      emit({ kind: 'processing', path, display: displayPath(path, cwd) })
      if (!existsSync(path)) {
        throw new WheelError('ERR_WHEEL_NOT_FOUND', `Could not install packages due to an OSError: [Errno 2] No such file or directory: '${path}'`, {
          hint: 'give the path of an existing wheel file, e.g. ./dist/demo-1.0-py3-none-any.whl',
        })
      }
      const archive = await openWheel(path)
      archives.push({ path, archive, name: wheelRequirementName(archive) })
      for (const warning of archive.warnings) emit({ kind: 'warning', message: warning })
      if (!archive.filename.tags.some((tag) => supported.has(tagToString(tag)))) {
        throw new WheelError('ERR_WHEEL_UNSUPPORTED', `${archive.filename.filename} is not a supported wheel on this platform.`, {
          hint: `this interpreter (${info.executable}, Python ${info.version}) accepts tags such as ${[...supported].slice(0, 2).join(', ')}; find a wheel built for it`,
        })
      }
    }
    const byName = new Map<string, (typeof archives)[number]>()
    const unique: typeof archives = []
    for (const item of archives) {
      const key = item.archive.filename.canonicalName
      const seen = byName.get(key)
      if (seen === undefined) {
        byName.set(key, item)
        unique.push(item)
        continue
      }
      if (!sameVersion(seen.archive.version, item.archive.version)) {
        throw new WheelError(
          'ERR_WHEEL_CONFLICT',
          `Cannot install ${seen.name} ${shownVersion(seen.archive.version)} (from ${seen.path}) and ${item.name} ${shownVersion(item.archive.version)} (from ${item.path}) because these package versions have conflicting dependencies.`,
          { hint: 'give one wheel per project' },
        )
      }
    }

    // 2. Decide what to install and what to replace.
    const ignoreInstalled = options.target !== undefined
    const plan: Array<{ item: (typeof archives)[number]; replaces: ExistingDistribution | undefined }> = []
    const skipped: string[] = []
    for (const item of unique) {
      const existing = ignoreInstalled ? undefined : await options.environment?.find(item.archive.filename.canonicalName)
      if (existing !== undefined && !options.forceReinstall && sameVersion(existing.version, item.archive.version)) {
        emit({ kind: 'already-installed', name: item.name })
        skipped.push(item.name)
        continue
      }
      plan.push({ item, replaces: existing })
    }
    if (plan.length === 0) return { installed: [], skipped }
    const ordered = installationOrder(
      plan.map((entry) => ({
        ...entry,
        name: entry.item.archive.filename.canonicalName,
        requiresPython: (entry.item.archive.metadata.get('Requires-Python') ?? '').trim() !== '',
        dependencies: options.noDeps ? [] : dependencyNames(entry.item.archive),
      })),
    )
    emit({ kind: 'collected', names: ordered.map((p) => p.item.name) })

    // 3. Install.
    let targetTemp: string | undefined
    let schemePaths
    if (options.target !== undefined) {
      const target = resolve(cwd, options.target)
      await mkdir(dirname(target), { recursive: true })
      targetTemp = await mkdtemp(join(dirname(target), `.pipette-target-`))
      schemePaths = installScheme(info, { home: targetTemp })
    } else {
      schemePaths = installScheme(info, options.prefix === undefined ? {} : { prefix: resolve(cwd, options.prefix) })
    }
    const extractor = createExtractor({ workers: options.extractWorkers ?? localExtractWorkers() })
    // Compile workers boot while the first wheels are extracted: all of them when there is much to compile.
    const sources = ordered.reduce((n, { item }) => n + item.archive.members.filter((m) => m.name.endsWith('.py')).length, 0)
    const compiler: Compiler | undefined =
      options.compile === false || sources === 0
        ? undefined
        : createCompilePool({ python: info.executable, workers: options.compileWorkers, env, start: sources >= 64 ? Number.POSITIVE_INFINITY : 1 })
    const results: Array<{ name: string; version: string }> = []
    const consoleScripts: string[] = []
    // Wheels are staged two at a time (the next one is extracted while the previous one compiles)
    // but commit strictly in installation order, and stop at the first failure, as pip's one-by-one
    // install would; their events are printed in that order too.
    const ordering = orderedRun(ordered.length, emit)
    try {
      await ordering.run(PIPELINE, async (index, emitHere, commit) => {
        const { item, replaces } = ordered[index]!
        const { archive, name, path } = item
        const distribution = await installWheel({
          archive,
          scheme: schemeWithHeaders(schemePaths, name),
          executable: info.executable,
          pythonVersion: [info.versionInfo[0], info.versionInfo[1]],
          compiler,
          extractor,
          requested: true,
          directUrl: { url: pathToFileUrl(path), archiveHash: `sha256=${await archive.sha256()}` },
          ensurepipOptions: env['ENSUREPIP_OPTIONS'],
          commit,
          beforeCommit:
            replaces === undefined || options.environment === undefined
              ? undefined
              : async () => {
                  const shown = { name: replaces.name, version: shownVersion(replaces.version) }
                  emitHere({ kind: 'uninstalling', name, existing: shown })
                  const { removed, messages } = await options.environment!.uninstall(replaces)
                  for (const message of messages) emitHere({ kind: 'uninstall-message', name, message })
                  if (removed) emitHere({ kind: 'uninstalled', name, existing: shown })
                },
        })
        for (const warning of distribution.warnings.filter((w) => !archive.warnings.includes(w))) emitHere({ kind: 'warning', message: warning })
        consoleScripts.push(...distribution.consoleScripts)
        emitHere({ kind: 'installed', name, distribution })
        results.push({ name, version: shownVersion(distribution.version) })
      })
    } finally {
      await Promise.all([compiler?.close(), extractor.close()])
    }
    if (options.warnScriptLocation !== false && options.target === undefined && options.prefix === undefined) {
      const message = scriptsNotOnPathMessage(consoleScripts, { path: env['PATH'], executable: info.executable })
      if (message !== undefined) emit({ kind: 'warning', message })
    }
    if (targetTemp !== undefined) {
      try {
        await moveIntoTarget(targetTemp, resolve(cwd, options.target!), { ...schemePaths }, options.upgrade === true, emit)
      } finally {
        await rm(targetTemp, { recursive: true, force: true })
      }
    }
    if (!options.noDeps && options.target === undefined && options.environment?.dependencyProblems !== undefined) {
      const lines = await options.environment.dependencyProblems(ordered.map((entry) => entry.name))
      if (lines.length > 0) emit({ kind: 'dependency-conflicts', lines })
    }
    results.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    return { installed: results, skipped }
  } finally {
    await Promise.all(archives.map(({ archive }) => archive.close()))
  }
}

/**
 * Helper threads for installing wheel files: none on one or two CPUs, else the extractor's
 * default. On two CPUs a helper (a new V8 isolate loading the extraction modules: 30-50 ms of CPU)
 * costs more than it saves: the main thread writes the ≈850 files of pip + setuptools + wheel in
 * ≈100 ms, creating files in one tree does not get faster with a second thread, and the second CPU
 * is better left to the compile workers (perf-bench install-local, 2026-11-27: main thread alone
 * 144 ms median on tmpfs vs 263 ms with one helper, equal on disk, load 7-9).
 */
function localExtractWorkers(): number | undefined {
  return availableParallelism() <= 2 ? 0 : undefined
}

/** How many wheels are in flight at once. */
const PIPELINE = 2

type Step = () => Promise<void>

/**
 * Runs `count` tasks at most `limit` at a time, starting them in order. Each
 * task gets an event sink (events of task i are held back until tasks before
 * it have finished, so they come out in task order) and a `commit` wrapper
 * that runs its step only after the previous task's commit succeeded; after a
 * failure no new task starts, later commits are refused, and the earliest
 * failure is thrown.
 */
function orderedRun(count: number, emit: (event: InstallEvent) => void) {
  const held: InstallEvent[][] = Array.from({ length: count }, () => [])
  const finished = new Array<boolean>(count).fill(false)
  let current = 0
  const emitter = (index: number) => (event: InstallEvent) => {
    if (index === current) emit(event)
    else held[index]!.push(event)
  }
  const finish = (index: number) => {
    finished[index] = true
    while (current < count && finished[current]) {
      current++
      if (current < count) for (const event of held[current]!.splice(0)) emit(event)
    }
  }
  const turns = Array.from({ length: count }, () => {
    let release!: () => void
    let refuse!: (error: unknown) => void
    const done = new Promise<void>((resolve, reject) => {
      release = resolve
      refuse = reject
    })
    done.catch(() => undefined)
    return { done, release, refuse }
  })
  const after = (index: number): Promise<void> => (index === 0 ? Promise.resolve() : turns[index - 1]!.done)
  return {
    async run(limit: number, task: (index: number, emit: (event: InstallEvent) => void, commit: (step: Step) => Promise<void>) => Promise<void>): Promise<void> {
      let next = 0
      const failures: Array<{ index: number; error: unknown }> = []
      const worker = async () => {
        while (failures.length === 0 && next < count) {
          const index = next++
          const commit = async (step: Step) => {
            await after(index)
            await step()
            turns[index]!.release()
          }
          try {
            await task(index, emitter(index), commit)
            turns[index]!.release()
          } catch (error) {
            turns[index]!.refuse(error)
            failures.push({ index, error })
          }
          finish(index)
        }
      }
      await Promise.all(Array.from({ length: Math.min(limit, count) }, worker))
      for (let i = 0; i < count; i++) if (!finished[i]) finish(i)
      if (failures.length > 0) throw failures.sort((a, b) => a.index - b.index)[0]!.error
    },
  }
}

/** pip's `_handle_target_dir`: move each top-level entry of the home scheme into the target. */
async function moveIntoTarget(
  temp: string,
  target: string,
  scheme: { purelib: string; platlib: string; data: string },
  upgrade: boolean,
  emit: (event: InstallEvent) => void,
): Promise<void> {
  await mkdir(target, { recursive: true })
  const libDirs: string[] = []
  if (existsSync(scheme.purelib)) libDirs.push(scheme.purelib)
  if (existsSync(scheme.platlib) && scheme.platlib !== scheme.purelib) libDirs.push(scheme.platlib)
  if (existsSync(scheme.data)) libDirs.push(scheme.data)
  for (const libDir of libDirs) {
    for (const item of (await readdir(libDir)).sort()) {
      if (libDir === scheme.data) {
        const dataItem = join(scheme.data, item)
        if (libDirs.slice(0, -1).some((dir) => dir.startsWith(dataItem))) continue
      }
      const dest = join(target, item)
      const existing = await lstat(dest).catch(() => undefined)
      if (existing !== undefined) {
        if (!upgrade) {
          emit({ kind: 'warning', message: `Target directory ${dest} already exists. Specify --upgrade to force replacement.` })
          continue
        }
        if (existing.isSymbolicLink()) {
          emit({
            kind: 'warning',
            message: `Target directory ${dest} already exists and is a link. pipette will not automatically replace links, please remove if replacement is desired.`,
          })
          continue
        }
        await rm(dest, { recursive: true, force: true })
      }
      await rename(join(libDir, item), dest)
    }
  }
}
