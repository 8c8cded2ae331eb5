/**
 * Where the site configuration file of the target environment is, without
 * running Python: pip reads `pip.conf` in `sys.prefix` of the interpreter it
 * works on, which `--python` (or `PIP_PYTHON`) picks, else the active
 * `VIRTUAL_ENV`, else `./.venv`, else `python3` on PATH (the same order as
 * @pipette/venv's `findInterpreter`, repeated here with a few synchronous
 * stat calls so that reading the configuration costs no interpreter query).
 *
 * - A virtual environment (a directory with `pyvenv.cfg`, or an interpreter
 *   whose `pyvenv.cfg` is next to it or one level up) is its own `sys.prefix`.
 * - Any other interpreter binary: the directory above the one holding its
 *   real file (`/usr/bin/python3.11` -> `/usr`), when it has a `lib`
 *   directory, which is where CPython finds its prefix.
 * - A script standing for an interpreter (a pyenv shim) or anything else
 *   cannot be answered without running it: the prefix is unknown (null) and
 *   there is no site file.
 */
import { closeSync, openSync, readSync, realpathSync, statSync } from 'node:fs'
import { delimiter, dirname, join, resolve } from 'node:path'

/** `findTargetPrefix` input. */
export interface TargetPrefixInput {
  /** `--python` (a path, a venv directory, or a name on PATH), if given. */
  readonly python?: string | undefined
  readonly env: Readonly<Record<string, string | undefined>>
  readonly cwd: string
}

/** The target environment's `sys.prefix` when it is known without running Python, and whether it is a virtual environment. */
export interface TargetPrefix {
  readonly prefix: string | null
  readonly isVirtualEnv: boolean
}

function kind(path: string): 'file' | 'dir' | null {
  try {
    const s = statSync(path)
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : null
  } catch {
    return null
  }
}

function environmentExecutable(dir: string): string | null {
  for (const candidate of ['bin/python', 'Scripts/python.exe', 'bin/python3']) {
    if (kind(join(dir, candidate)) === 'file') return join(dir, candidate)
  }
  return null
}

function fromDirectory(dir: string): TargetPrefix {
  return { prefix: dir, isVirtualEnv: kind(join(dir, 'pyvenv.cfg')) === 'file' }
}

function isScript(path: string): boolean {
  try {
    const fd = openSync(path, 'r')
    try {
      const head = Buffer.alloc(2)
      return readSync(fd, head, 0, 2, 0) === 2 && head.toString('latin1') === '#!'
    } finally {
      closeSync(fd)
    }
  } catch {
    return true
  }
}

function fromExecutable(executable: string): TargetPrefix {
  for (const dir of [dirname(executable), dirname(dirname(executable))]) {
    if (kind(join(dir, 'pyvenv.cfg')) === 'file') return { prefix: dir, isVirtualEnv: true }
  }
  let real: string
  try {
    real = realpathSync(executable)
  } catch {
    return { prefix: null, isVirtualEnv: false }
  }
  if (isScript(real)) return { prefix: null, isVirtualEnv: false }
  const prefix = dirname(dirname(real))
  return { prefix: kind(join(prefix, 'lib')) === 'dir' ? prefix : null, isVirtualEnv: false }
}

function searchPath(name: string, env: TargetPrefixInput['env']): string | null {
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue
    const path = resolve(dir, name)
    try {
      const s = statSync(path)
      if (s.isFile() && (s.mode & 0o111) !== 0) return path
    } catch {
      // not here
    }
  }
  return null
}

/**
 * The target environment's `sys.prefix`, as far as it can be known without running Python.
 *
 * @example
 * findTargetPrefix({ python: '.venv', env: process.env, cwd: '/work' })   // { prefix: '/work/.venv', isVirtualEnv: true }
 */
export function findTargetPrefix(input: TargetPrefixInput): TargetPrefix {
  const python = input.python
  if (python !== undefined && python !== '') {
    const path = resolve(input.cwd, python)
    const found = kind(path)
    if (found === 'dir') return environmentExecutable(path) === null ? { prefix: null, isVirtualEnv: false } : fromDirectory(path)
    if (found === 'file') return fromExecutable(path)
    if (!python.includes('/')) {
      const onPath = searchPath(python, input.env)
      if (onPath !== null) return fromExecutable(onPath)
    }
    return { prefix: null, isVirtualEnv: false }
  }
  const active = input.env['VIRTUAL_ENV']
  if (active !== undefined && active !== '') return fromDirectory(resolve(input.cwd, active))
  const local = join(input.cwd, '.venv')
  if (environmentExecutable(local) !== null) return fromDirectory(local)
  for (const name of ['python3', 'python']) {
    const onPath = searchPath(name, input.env)
    if (onPath !== null) return fromExecutable(onPath)
  }
  return { prefix: null, isVirtualEnv: false }
}
