/**
 * Creating a virtual environment (PEP 405) without running Python.
 *
 * The result is what `python -m venv --without-pip DIR` makes with the same
 * interpreter, file for file: `pyvenv.cfg` with CPython's fields in CPython's
 * order (`home`, `include-system-site-packages`, `version`, `prompt` when one
 * is given, and from 3.11 on `executable` and `command`), `bin/<exe>` linked
 * to the base interpreter and `python`, `python3`, `python3.X` linked to it,
 * the directories of the interpreter's `venv` install scheme (so
 * `lib/python3.X/site-packages` and `include/python3.X` on 3.11+), the
 * `lib64 -> lib` link CPython makes on 64-bit POSIX other than macOS, and the
 * activation scripts. Two additions: `bin/activate.nu` for nushell and a
 * `.gitignore` (as CPython 3.13 writes it).
 *
 * The activation scripts come from the interpreter's own standard library
 * (`<stdlib>/venv/scripts/common` and `/posix`), with the placeholders
 * `__VENV_DIR__`, `__VENV_NAME__`, `__VENV_PROMPT__`, `__VENV_BIN_NAME__` and
 * `__VENV_PYTHON__` replaced the way that version of `venv` replaces them:
 * its source tells whether the prompt is wrapped as `(name) ` (up to 3.12)
 * and whether values are shell-quoted (the CVE-2024-9287 fix, also
 * backported by distributions), so the scripts match byte for byte. The
 * templates are read, not shipped, so they always fit the interpreter.
 *
 * Atomicity: a new environment is built in a temporary sibling directory and
 * renamed into place; `clear` builds the new one, moves the old one aside,
 * renames the new one in and only then deletes the old one. Updating an
 * existing environment in place (no `clear`, as CPython does) replaces each
 * file and link through a temporary name and keeps what is installed.
 */
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { chmod, lstat, mkdir, readdir, readFile, realpath, rename, rm, stat, symlink } from 'node:fs/promises'
import { basename, delimiter, dirname, join, relative, resolve } from 'node:path'
import { VenvError } from './errors.js'
import type { InterpreterInfo, SchemePaths } from './interpreter-info.js'
import { writeAtomic } from './query-interpreter.js'
import { powershellQuote, pythonRepr, shlexQuote } from './quote.js'
import { venvScheme } from './scheme.js'
import { NUSHELL_ACTIVATE } from './activate-nu.js'

export interface CreateVenvOptions {
  /** The interpreter to base the environment on (a venv's interpreter means its base interpreter, as in CPython). */
  readonly interpreter: InterpreterInfo
  /** `--prompt`: the name shown by the activation scripts; `.` means the current directory's name. */
  readonly prompt?: string | undefined
  /** `--system-site-packages`. */
  readonly systemSitePackages?: boolean | undefined
  /** `--clear`: delete the environment's contents first. */
  readonly clear?: boolean | undefined
  /** Resolves a relative `dir` and `prompt: '.'`. Default: `process.cwd()`. */
  readonly cwd?: string | undefined
}

export interface CreatedVenv {
  /** The environment's absolute path. */
  readonly directory: string
  /** Its interpreter, `<dir>/bin/python`. */
  readonly executable: string
  /** Its install scheme (site-packages, scripts...). */
  readonly scheme: SchemePaths
  /** The prompt its activation scripts show. */
  readonly prompt: string
  /** The text written to `pyvenv.cfg`. */
  readonly pyvenvCfg: string
  /** What happened to the directory: created, cleared and re-created, or updated in place. */
  readonly action: 'created' | 'cleared' | 'updated'
}

const GITIGNORE = '# Created by venv; see https://docs.python.org/3/library/venv.html\n*\n'

interface Entry {
  readonly path: string
  readonly kind: 'dir' | 'file' | 'link'
  /** File contents, or the link target. */
  readonly data?: string
  readonly mode?: number
}

/**
 * Creates (or updates, or with `clear` re-creates) a virtual environment at
 * `dir` for `options.interpreter`.
 *
 * @example
 * const info = await queryInterpreter('/usr/bin/python3')
 * const venv = await createVenv('.venv', { interpreter: info, prompt: 'demo' })
 * venv.executable // '/work/.venv/bin/python'
 */
export async function createVenv(dir: string, options: CreateVenvOptions): Promise<CreatedVenv> {
  const info = options.interpreter
  const cwd = options.cwd ?? process.cwd()
  if (info.osName !== 'posix') {
    throw new VenvError('ERR_VENV_UNSUPPORTED', `Creating environments for ${info.sysPlatform} interpreters is not supported yet`, {
      hint: 'Use python -m venv on Windows for now',
    })
  }
  const directory = resolve(cwd, dir)
  if (directory.includes(delimiter)) {
    throw new VenvError('ERR_VENV_INVALID', `Refusing to create a venv in ${directory} because it contains the PATH separator ${delimiter}`, {
      hint: 'Choose a directory name without it, e.g. .venv',
    })
  }
  const state = await directoryState(directory)
  if (state === 'file') {
    throw new VenvError('ERR_VENV_EXISTS', `${directory} exists and is not a directory`, { hint: 'Choose another path, e.g. .venv' })
  }
  if (state === 'other') {
    throw new VenvError('ERR_VENV_EXISTS', `${directory} exists, is not empty and is not a virtual environment`, {
      hint: 'Choose a new or empty directory, e.g. pipette venv .venv',
    })
  }
  // A symlinked environment directory is worked on where it really is.
  const target = state === 'missing' ? directory : await realpath(directory)

  const prompt = options.prompt === '.' ? basename(cwd) : options.prompt
  const plan = await planVenv(directory, { ...options, prompt, originalPrompt: options.prompt, info })
  const finalPrompt = plan.prompt

  if (state === 'venv' && !options.clear) {
    await updateInPlace(target, plan.entries)
  } else {
    const temp = join(dirname(target), `.${basename(target)}.pipette-${process.pid}-${Math.random().toString(36).slice(2)}`)
    await mkdir(dirname(target), { recursive: true })
    try {
      materialize(temp, plan.entries)
      if (state === 'venv' || state === 'empty') {
        const trash = `${temp}.old`
        await rename(target, trash)
        try {
          await rename(temp, target)
        } catch (error) {
          await rename(trash, target)
          throw error
        }
        await rm(trash, { recursive: true, force: true })
      } else {
        await rename(temp, target)
      }
    } catch (error) {
      await rm(temp, { recursive: true, force: true })
      throw error
    }
  }
  return Object.freeze({
    directory,
    executable: join(plan.scheme.scripts, 'python'),
    scheme: plan.scheme,
    prompt: finalPrompt,
    pyvenvCfg: plan.pyvenvCfg,
    action: state === 'venv' ? (options.clear ? 'cleared' : 'updated') : 'created',
  })
}

async function directoryState(path: string): Promise<'missing' | 'empty' | 'venv' | 'other' | 'file'> {
  let s
  try {
    s = await stat(path)
  } catch {
    return 'missing'
  }
  if (!s.isDirectory()) return 'file'
  const names = await readdir(path)
  if (names.length === 0) return 'empty'
  return names.includes('pyvenv.cfg') ? 'venv' : 'other'
}

interface Plan {
  readonly entries: readonly Entry[]
  readonly scheme: SchemePaths
  readonly pyvenvCfg: string
  readonly prompt: string
}

async function planVenv(
  directory: string,
  options: {
    info: InterpreterInfo
    prompt: string | undefined
    originalPrompt: string | undefined
    systemSitePackages?: boolean | undefined; clear?: boolean | undefined
  },
): Promise<Plan> {
  const { info } = options
  const scheme = venvScheme(info, directory)
  const base = resolve(info.baseExecutable ?? info.executable)
  const exeName = basename(base)
  const minor = info.versionInfo[1]
  const rel = (path: string) => relative(directory, path)
  const entries: Entry[] = [
    { path: rel(scheme.include), kind: 'dir' },
    { path: rel(scheme.purelib), kind: 'dir' },
  ]
  if (info.maxsizeBits > 32 && info.sysPlatform !== 'darwin') entries.push({ path: 'lib64', kind: 'link', data: 'lib' })
  const bin = rel(scheme.scripts)
  entries.push({ path: bin, kind: 'dir' }, { path: join(bin, exeName), kind: 'link', data: base })
  for (const name of ['python', 'python3', `python3.${minor}`]) {
    if (name !== exeName) entries.push({ path: join(bin, name), kind: 'link', data: exeName })
  }

  const envName = basename(directory)
  const { templates, venvSource } = await stdlibVenvFiles(info)
  const wrapsPrompt = venvSource.includes("'(%s) ' % prompt")
  const quotes = venvSource.includes('shlex.quote')
  const shownPrompt = options.prompt ?? envName
  const values: Record<string, string> = {
    __VENV_DIR__: directory,
    __VENV_NAME__: envName,
    __VENV_PROMPT__: wrapsPrompt ? `(${shownPrompt}) ` : shownPrompt,
    __VENV_BIN_NAME__: bin,
    __VENV_PYTHON__: join(scheme.scripts, exeName),
  }
  for (const script of templates) {
    const quote = !quotes ? (s: string) => s : script.name.endsWith('.ps1') ? powershellQuote : script.name.endsWith('.bat') ? (s: string) => s : shlexQuote
    let text = script.text
    for (const [key, value] of Object.entries(values)) text = text.replaceAll(key, quote(value))
    entries.push({ path: join(bin, script.name), kind: 'file', data: text, mode: script.mode })
  }
  let nu = NUSHELL_ACTIVATE
  const nuValues: Record<string, string> = { ...values, __VENV_PROMPT__: shownPrompt }
  for (const [key, value] of Object.entries(nuValues)) nu = nu.replaceAll(key, nushellQuote(value))
  entries.push({ path: join(bin, 'activate.nu'), kind: 'file', data: nu })
  entries.push({ path: '.gitignore', kind: 'file', data: GITIGNORE })

  const lines = [
    `home = ${dirname(base)}`,
    `include-system-site-packages = ${options.systemSitePackages ? 'true' : 'false'}`,
    `version = ${info.versionInfo.slice(0, 3).join('.')}`,
  ]
  if (options.prompt !== undefined) lines.push(`prompt = ${pythonRepr(options.prompt)}`)
  if (info.versionInfo[0] > 3 || minor >= 11) {
    lines.push(`executable = ${info.realExecutable}`)
    const args = ['--without-pip']
    if (options.systemSitePackages) args.push('--system-site-packages')
    if (options.clear) args.push('--clear')
    if (options.prompt !== undefined) args.push(`--prompt="${options.originalPrompt}"`)
    lines.push(`command = ${info.executable} -m venv ${[...args, directory].join(' ')}`)
  }
  const pyvenvCfg = lines.map((line) => `${line}\n`).join('')
  entries.push({ path: 'pyvenv.cfg', kind: 'file', data: pyvenvCfg })
  return { entries, scheme, pyvenvCfg, prompt: shownPrompt }
}

/** nushell single-quoted strings cannot hold a quote: use a raw string then. */
function nushellQuote(text: string): string {
  if (!text.includes("'")) return `'${text}'`
  let hashes = '#'
  while (text.includes(`'${hashes}`)) hashes += '#'
  return `r${hashes}'${text}'${hashes}`
}

interface Template {
  readonly name: string
  readonly text: string
  readonly mode: number
}

const templateCache = new Map<string, Promise<{ templates: readonly Template[]; venvSource: string }>>()

/** The activation templates and `venv/__init__.py` of a standard library, read once per process. */
function stdlibVenvFiles(info: InterpreterInfo): Promise<{ templates: readonly Template[]; venvSource: string }> {
  const stdlib = info.paths['stdlib'] ?? ''
  let pending = templateCache.get(stdlib)
  if (pending === undefined) {
    pending = Promise.all([activationTemplates(info), readFile(join(stdlib, 'venv', '__init__.py'), 'utf8').catch(() => '')]).then(([templates, venvSource]) => ({
      templates,
      venvSource,
    }))
    templateCache.set(stdlib, pending)
    pending.catch(() => templateCache.delete(stdlib))
  }
  return pending
}

async function activationTemplates(info: InterpreterInfo): Promise<readonly Template[]> {
  const root = join(info.paths['stdlib'] ?? '', 'venv', 'scripts')
  const templates: Template[] = []
  for (const sub of ['common', info.osName]) {
    let names: string[]
    try {
      names = (await readdir(join(root, sub))).sort()
    } catch {
      continue
    }
    for (const name of names) {
      const path = join(root, sub, name)
      const s = await stat(path)
      if (!s.isFile() || name.endsWith('.exe') || name.endsWith('.pdb')) continue
      templates.push({ name, text: await readFile(path, 'utf8'), mode: s.mode & 0o7777 })
    }
  }
  if (templates.length === 0) {
    throw new VenvError('ERR_VENV_TEMPLATES_MISSING', `${info.executable} has no venv activation scripts under ${root}`, {
      hint: 'Install the interpreter\'s venv module (on Debian: apt-get install python3-venv)',
    })
  }
  return templates
}

/**
 * Writes the new tree. Synchronous on purpose: a venv is a few dozen tiny
 * operations, and the thread-pool round trip of each asynchronous call costs
 * more than the operation itself (this halves the time of `createVenv`).
 */
function materialize(root: string, entries: readonly Entry[]): void {
  mkdirSync(root)
  const made = new Set<string>([root])
  const ensure = (dir: string) => {
    if (made.has(dir)) return
    mkdirSync(dir, { recursive: true })
    made.add(dir)
  }
  for (const entry of entries) {
    const path = join(root, entry.path)
    if (entry.kind === 'dir') {
      mkdirSync(path, { recursive: true })
      made.add(path)
    } else if (entry.kind === 'link') {
      ensure(dirname(path))
      symlinkSync(entry.data!, path)
    } else {
      ensure(dirname(path))
      writeFileSync(path, entry.data!, entry.mode === undefined ? undefined : { mode: entry.mode })
      if (entry.mode !== undefined) chmodSync(path, entry.mode)
    }
  }
}

async function updateInPlace(root: string, entries: readonly Entry[]): Promise<void> {
  for (const entry of entries) {
    const path = join(root, entry.path)
    if (entry.kind === 'dir') await mkdir(path, { recursive: true })
    else if (entry.kind === 'link') {
      // As CPython: an existing link is left alone.
      const existing = await lstat(path).catch(() => null)
      if (existing !== null) continue
      await mkdir(dirname(path), { recursive: true })
      await symlink(entry.data!, path)
    } else {
      await writeAtomic(path, entry.data!, entry.mode)
      if (entry.mode !== undefined) await chmod(path, entry.mode)
    }
  }
}
