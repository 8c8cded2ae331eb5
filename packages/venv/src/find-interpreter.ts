import { stat } from 'node:fs/promises'
import { delimiter, isAbsolute, join, resolve } from 'node:path'
import { VenvError } from './errors.js'

export interface FindInterpreterOptions {
  /** pip's `--python`: a path to an interpreter, a virtual environment directory, or a name on PATH (`python3.12`). */
  readonly python?: string | undefined
  /** Where `VIRTUAL_ENV` and `PATH` are read. Default: `process.env`. */
  readonly env?: NodeJS.ProcessEnv | undefined
  /** Where `./.venv` and relative paths are looked up. Default: `process.cwd()`. */
  readonly cwd?: string | undefined
}

export interface FoundInterpreter {
  /** The absolute path to run (not resolved through symlinks: a venv's `bin/python` must stay itself). */
  readonly executable: string
  /** Why this one: `--python`, the active `VIRTUAL_ENV`, `./.venv`, or `PATH`. */
  readonly source: 'python-option' | 'VIRTUAL_ENV' | '.venv' | 'PATH'
  /** The environment directory, when the interpreter was found through one. */
  readonly environment: string | null
}

const isWindows = process.platform === 'win32'

/**
 * Finds the interpreter a command works on, without running it:
 * `--python` (a file, a virtual environment directory, or a name looked up on
 * PATH), else the active `VIRTUAL_ENV`, else `./.venv`, else `python3` (then
 * `python`) on PATH.
 *
 * @example
 * await findInterpreter({ python: '.venv' })   // { executable: '/work/.venv/bin/python', source: 'python-option', environment: '/work/.venv' }
 * await findInterpreter({ python: 'python3.12' })
 */
export async function findInterpreter(options: FindInterpreterOptions = {}): Promise<FoundInterpreter> {
  const env = options.env ?? process.env
  const cwd = options.cwd ?? process.cwd()
  const python = options.python
  if (python !== undefined && python !== '') {
    const path = resolve(cwd, python)
    const kind = await fileKind(path)
    if (kind === 'dir') {
      const executable = await environmentExecutable(path)
      if (executable !== null) return found(executable, 'python-option', path)
      throw new VenvError('ERR_PYTHON_NOT_FOUND', `${path} is a directory without a Python interpreter (no ${venvBin('python')})`, {
        hint: 'Pass a virtual environment directory (e.g. --python .venv) or an interpreter (e.g. --python /usr/bin/python3)',
      })
    }
    if (kind === 'file') return found(path, 'python-option', null)
    if (!python.includes('/') && !python.includes('\\') && !isAbsolute(python)) {
      const onPath = await searchPath(python, env)
      if (onPath !== null) return found(onPath, 'python-option', null)
    }
    throw new VenvError('ERR_PYTHON_NOT_FOUND', `Could not locate Python interpreter ${python}`, {
      hint: 'Pass a path (--python /usr/bin/python3), a name on PATH (--python python3.12) or a virtual environment (--python .venv)',
    })
  }
  const active = env['VIRTUAL_ENV']
  if (active !== undefined && active !== '') {
    const dir = resolve(cwd, active)
    const executable = await environmentExecutable(dir)
    if (executable !== null) return found(executable, 'VIRTUAL_ENV', dir)
    throw new VenvError('ERR_PYTHON_NOT_FOUND', `VIRTUAL_ENV is ${active}, but there is no Python interpreter in it`, {
      hint: 'Run `deactivate`, or re-create the environment: pipette venv ' + active,
    })
  }
  const local = join(cwd, '.venv')
  const localExecutable = await environmentExecutable(local)
  if (localExecutable !== null) return found(localExecutable, '.venv', local)
  for (const name of ['python3', 'python']) {
    const onPath = await searchPath(name, env)
    if (onPath !== null) return found(onPath, 'PATH', null)
  }
  throw new VenvError('ERR_PYTHON_NOT_FOUND', 'No Python interpreter found: no --python, no active VIRTUAL_ENV, no ./.venv and no python3 on PATH', {
    hint: 'Pass one, e.g. --python /usr/bin/python3, or create an environment: pipette venv --python python3 .venv',
  })
}

/** The interpreter of a virtual environment directory (`bin/python`, or `Scripts/python.exe`), or null. */
export async function environmentExecutable(dir: string): Promise<string | null> {
  for (const candidate of isWindows ? ['Scripts/python.exe', 'bin/python'] : ['bin/python', 'Scripts/python.exe', 'bin/python3']) {
    const path = join(dir, candidate)
    if ((await fileKind(path)) === 'file') return path
  }
  return null
}

function venvBin(name: string): string {
  return isWindows ? `Scripts\\${name}.exe` : `bin/${name}`
}

function found(executable: string, source: FoundInterpreter['source'], environment: string | null): FoundInterpreter {
  return Object.freeze({ executable, source, environment })
}

async function fileKind(path: string): Promise<'file' | 'dir' | null> {
  try {
    const s = await stat(path)
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : null
  } catch {
    return null
  }
}

async function searchPath(name: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  const dirs = (env['PATH'] ?? env['Path'] ?? '').split(delimiter).filter((dir) => dir !== '')
  const extensions = isWindows ? ['', ...(env['PATHEXT'] ?? '.EXE;.BAT;.CMD').split(';')] : ['']
  for (const dir of dirs) {
    for (const extension of extensions) {
      const path = resolve(dir, name + extension)
      try {
        const s = await stat(path)
        if (s.isFile() && (isWindows || (s.mode & 0o111) !== 0)) return path
      } catch {
        // not here
      }
    }
  }
  return null
}
