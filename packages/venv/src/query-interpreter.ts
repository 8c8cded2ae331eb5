/**
 * Asking an interpreter about itself, once.
 *
 * Running Python costs 20-80 ms (more through a pyenv shim), and every command
 * needs the answer, so it is cached twice: in memory for the life of the
 * process, and on disk as one JSON file per key. The key is everything that
 * can change the answer without a new query being obviously needed: the
 * executable's absolute path (a venv's `bin/python` and its base interpreter
 * answer differently, so the path is not resolved), the device, inode,
 * modification time and size of the file it points to, the same for the
 * `pyvenv.cfg` Python would read next to it (a re-created or re-configured
 * environment), the `PYTHON*` variables that move `sys.path` or the user
 * site, and the version of the query script itself. A cache file is written
 * to a temporary name and renamed, so readers never see half a file; a file
 * that does not parse or whose key differs is ignored and replaced.
 *
 * A shim (a script such as pyenv's `python3`, not a binary) is run once to
 * learn the interpreter it stands for; the query and its cache then use that
 * interpreter's path.
 *
 * Fresh virtual environments are answered without running Python (see
 * venv-template.ts): every real answer for a plain venv is also kept as a
 * template for its base interpreter and layout, and a new venv made the same
 * way gets that answer with the template's directory replaced by its own.
 * Anything unusual (another base binary, another pyvenv.cfg, system site
 * packages, `.pth` files or a sitecustomize in its site-packages) means a
 * real query.
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { open, readFile, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { writeAtomic } from './atomic-write.js'
import { readElf, muslVersion } from './elf.js'
import { VenvError } from './errors.js'
import type { InterpreterInfo } from './interpreter-info.js'
import { QUERY_MARKER, QUERY_SCRIPT } from './query-script.js'
import { deriveFromTemplate, recordTemplate } from './venv-template.js'

export interface QueryInterpreterOptions {
  /**
   * The cache directory (answers go to `<cacheDir>/interpreter-v1/`); `null`
   * turns the disk cache off. Default: `defaultCacheDir()`.
   */
  readonly cacheDir?: string | null | undefined
  /** The environment the interpreter runs with. Default: `process.env`. */
  readonly env?: NodeJS.ProcessEnv | undefined
}

const ENV_KEYS = ['PYTHONPATH', 'PYTHONHOME', 'PYTHONNOUSERSITE', 'PYTHONUSERBASE', 'PYTHONSAFEPATH', 'PYTHONPLATLIBDIR'] as const
const SCRIPT_HASH = createHash('sha256').update(QUERY_SCRIPT).digest('hex').slice(0, 16)
const CACHE_SUBDIR = 'interpreter-v1'
const memory = new Map<string, Promise<InterpreterInfo>>()

/**
 * pipette's cache directory: `PIPETTE_CACHE_DIR`, else the platform's user
 * cache directory (`$XDG_CACHE_HOME/pipette` or `~/.cache/pipette` on Linux,
 * `~/Library/Caches/pipette` on macOS, `%LOCALAPPDATA%\pipette\Cache` on Windows).
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env['PIPETTE_CACHE_DIR']
  if (explicit) return resolve(explicit)
  if (process.platform === 'win32') return join(env['LOCALAPPDATA'] ?? join(homedir(), 'AppData', 'Local'), 'pipette', 'Cache')
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'pipette')
  const xdg = env['XDG_CACHE_HOME']
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'pipette')
}

/**
 * Runs one small script in the interpreter at `executable` (a path) and
 * returns what it learned, from the cache when nothing that matters changed.
 *
 * @example
 * const info = await queryInterpreter('/usr/bin/python3')
 * info.version                       // '3.11.2'
 * info.schemes.default.purelib       // '/usr/local/lib/python3.11/dist-packages'
 * info.markerEnvironment.sys_platform // 'linux'
 */
export async function queryInterpreter(executable: string, options: QueryInterpreterOptions = {}): Promise<InterpreterInfo> {
  const env = options.env ?? process.env
  let path = resolve(executable)
  if (await isScript(path)) path = await resolveShim(path, env)
  const key = await cacheKey(path, env)
  const cacheDir = options.cacheDir === undefined ? defaultCacheDir(env) : options.cacheDir
  const memoKey = `${cacheDir ?? ''}\0${key}`
  let pending = memory.get(memoKey)
  if (pending === undefined) {
    pending = lookup(path, key, cacheDir, env)
    memory.set(memoKey, pending)
    pending.catch(() => memory.delete(memoKey))
  }
  return pending
}

/** Forgets the answers kept in memory (the disk cache stays); for tests. */
export function forgetInterpreters(): void {
  memory.clear()
}

async function lookup(path: string, key: string, cacheDir: string | null, env: NodeJS.ProcessEnv): Promise<InterpreterInfo> {
  const file = cacheDir === null ? null : join(cacheDir, CACHE_SUBDIR, `${createHash('sha256').update(key).digest('hex').slice(0, 40)}.json`)
  if (file !== null) {
    try {
      const stored = JSON.parse(await readFile(file, 'utf8')) as { key?: unknown; info?: InterpreterInfo }
      if (stored.key === key && stored.info !== undefined) return deepFreeze(stored.info)
    } catch {
      // absent or unreadable: query again and rewrite it
    }
  }
  if (cacheDir !== null) {
    const derived = await deriveFromTemplate(path, { cacheDir, salt: envSalt(env) }).catch(() => null)
    if (derived !== null) return deepFreeze(derived)
  }
  const info = await runQuery(path, env)
  if (file !== null) await writeAtomic(file, JSON.stringify({ key, info })).catch(() => undefined)
  if (cacheDir !== null) await recordTemplate(path, info, { cacheDir, salt: envSalt(env) }).catch(() => undefined)
  return deepFreeze(info)
}

async function runQuery(path: string, env: NodeJS.ProcessEnv): Promise<InterpreterInfo> {
  const stdout = await run(path, ['-c', QUERY_SCRIPT], env)
  const at = stdout.lastIndexOf(`\n${QUERY_MARKER}\n`)
  let raw: Record<string, unknown>
  try {
    if (at === -1) throw new Error('no answer marker in its output')
    raw = JSON.parse(stdout.slice(at + QUERY_MARKER.length + 2)) as Record<string, unknown>
  } catch (cause) {
    throw new VenvError('ERR_PYTHON_QUERY_FAILED', `${path} did not answer pipette's interpreter query as a Python interpreter`, {
      hint: 'Pass a CPython or PyPy 3 interpreter, e.g. --python /usr/bin/python3',
      cause,
    })
  }
  if (raw['error'] === 'unsupported') {
    throw new VenvError('ERR_PYTHON_UNSUPPORTED', `${path} is Python ${String(raw['version'])}; pipette needs Python 3`, {
      hint: 'Pass a Python 3 interpreter, e.g. --python python3',
    })
  }
  const info = raw as unknown as Omit<InterpreterInfo, 'elf' | 'muslVersion'>
  const elf = info.sysPlatform.startsWith('linux') ? await readElf(info.realExecutable) : null
  return { ...info, elf, muslVersion: await muslVersion(elf) }
}

function run(file: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(file, args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code
        reject(
          code === 'ENOENT' || code === 'EACCES'
            ? new VenvError('ERR_PYTHON_NOT_FOUND', `Could not run the Python interpreter ${file} (${code})`, {
                hint: 'Pass an executable Python, e.g. --python /usr/bin/python3',
                cause: error,
              })
            : new VenvError('ERR_PYTHON_QUERY_FAILED', `Running ${file} failed: ${firstLines(stderr || error.message)}`, {
                hint: 'Check that the interpreter starts: run it with -c pass',
                cause: error,
              }),
        )
      } else resolvePromise(stdout)
    })
  })
}

function firstLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ')
}

async function isScript(path: string): Promise<boolean> {
  let handle
  try {
    handle = await open(path, 'r')
    const head = Buffer.alloc(2)
    await handle.read(head, 0, 2, 0)
    return head[0] === 0x23 && head[1] === 0x21
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new VenvError('ERR_PYTHON_NOT_FOUND', `No Python interpreter at ${path}`, {
        hint: 'Pass a path to a Python executable or a virtual environment, e.g. --python .venv',
        cause,
      })
    }
    if (code === 'EISDIR') {
      throw new VenvError('ERR_PYTHON_NOT_FOUND', `${path} is a directory, not a Python executable`, {
        hint: 'Use findInterpreter({ python: dir }) for a virtual environment directory',
        cause,
      })
    }
    return false
  } finally {
    await handle?.close()
  }
}

async function resolveShim(path: string, env: NodeJS.ProcessEnv): Promise<string> {
  const out = (await run(path, ['-c', 'import sys; sys.stdout.write("\\n" + sys.executable)'], env)).split('\n').at(-1) ?? ''
  if (out === '' || !isAbsolute(out)) {
    throw new VenvError('ERR_PYTHON_QUERY_FAILED', `${path} did not say which interpreter it runs`, {
      hint: 'Pass the interpreter itself, e.g. --python /usr/bin/python3',
    })
  }
  return out
}

async function statKey(path: string): Promise<string | null> {
  try {
    const s = await stat(path, { bigint: true })
    return `${s.dev}:${s.ino}:${s.mtimeNs}:${s.size}`
  } catch {
    return null
  }
}

/** What besides the files can change an answer: the query script and the PYTHON* variables. */
function envSalt(env: NodeJS.ProcessEnv): string {
  return JSON.stringify([SCRIPT_HASH, ...ENV_KEYS.map((name) => `${name}=${env[name] ?? ''}`)])
}

async function cacheKey(path: string, env: NodeJS.ProcessEnv): Promise<string> {
  const [exe, cfgHere, cfgUp] = await Promise.all([
    statKey(path),
    statKey(join(dirname(path), 'pyvenv.cfg')),
    statKey(join(dirname(dirname(path)), 'pyvenv.cfg')),
  ])
  if (exe === null) {
    throw new VenvError('ERR_PYTHON_NOT_FOUND', `No Python interpreter at ${path}`, {
      hint: 'Pass a path to a Python executable or a virtual environment, e.g. --python .venv',
    })
  }
  const vars = ENV_KEYS.map((name) => `${name}=${env[name] ?? ''}`)
  return JSON.stringify([SCRIPT_HASH, path, exe, cfgHere, cfgUp, ...vars])
}

export { writeAtomic }

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child)
    Object.freeze(value)
  }
  return value
}
