/**
 * Answering the interpreter query of a fresh virtual environment without
 * running Python.
 *
 * A venv's answer depends on its base interpreter, on its `pyvenv.cfg`, on
 * how its `bin/python` leads to the base binary, on the `PYTHON*` variables,
 * on what its site-packages holds at start-up (`.pth` files, a
 * sitecustomize) and, for everything else, only on its directory: `sys.prefix`,
 * `sys.executable`, the venv scheme, `sys.path`'s site-packages entry and
 * `site.getsitepackages()` are paths inside it. So the answer of one venv,
 * with its directory replaced by another's, is the answer of any other venv
 * made the same way from the same base. That is more faithful than computing
 * a venv's answer from its base interpreter's, which would have to repeat
 * CPython's `getpath` and `site` logic and each distribution's patches to them
 * (Debian's venvs list four site directories, `sys._base_executable` follows
 * links on some versions and not others, pip's prefix scheme becomes `venv`).
 *
 * After every real query of a plain venv, its answer is kept as the
 * template of its *shape* (`<cacheDir>/interpreter-venv-v1/`): the query
 * script and `PYTHON*` variables, the interpreter's path inside the venv
 * (`bin/python`), the `pyvenv.cfg` lines other than `command` and `prompt`,
 * the chain of link targets from `bin/python` to the base binary, that
 * binary's real path and its device, inode, modification time and size. A
 * venv of the same shape gets the template's answer with the template's
 * directory replaced by its own.
 *
 * Anything unusual gives no shape and so a real query: not POSIX, an
 * interpreter outside `<venv>/bin`, a `pyvenv.cfg` in `bin/`, no `home`,
 * `include-system-site-packages` other than `false`, a venv directory whose
 * path goes through a link, an interpreter copied into the venv rather than
 * linked, link targets inside the venv, a `pyvenv.cfg` value naming the venv.
 * A template is only taken from an answer that is a venv's own and clean
 * (its prefix is the directory, no base path lies inside it, no `.pth` file
 * or sitecustomize in its site directories), and only used for a venv whose
 * site directories are clean too.
 */
import { createHash } from 'node:crypto'
import { lstat, readdir, readFile, readlink, realpath, stat } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { writeAtomic } from './atomic-write.js'
import type { InterpreterInfo } from './interpreter-info.js'

const TEMPLATE_SUBDIR = 'interpreter-venv-v1'

export interface TemplateOptions {
  /** The cache directory (templates go to `<cacheDir>/interpreter-venv-v1/`). */
  readonly cacheDir: string
  /** What else keys an answer: the query script's hash and the PYTHON* variables. */
  readonly salt: string
}

interface Shape {
  readonly key: string
  readonly prefix: string
}

interface StoredTemplate {
  readonly key: string
  readonly prefix: string
  readonly info: InterpreterInfo
}

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(`${root}/`)
}

/** The venv's shape, or null when it is not a plain POSIX venv made by linking to its base. */
async function venvShape(path: string, salt: string): Promise<Shape | null> {
  if (process.platform === 'win32' || !isAbsolute(path)) return null
  const bin = dirname(path)
  const prefix = dirname(bin)
  if (basename(bin) !== 'bin' || prefix === '/' || prefix === bin) return null
  const [cfgText, binCfg, realPrefix, chain, real, file] = await Promise.all([
    readFile(join(prefix, 'pyvenv.cfg'), 'utf8').catch(() => null),
    lstat(join(bin, 'pyvenv.cfg')).then(
      () => true,
      () => false,
    ),
    realpath(prefix).catch(() => null),
    linkChain(path),
    realpath(path).catch(() => null),
    stat(path, { bigint: true }).catch(() => null),
  ])
  if (cfgText === null || binCfg || realPrefix !== prefix || chain === null || real === null || file === null) return null
  if (chain.length === 0 || isInside(prefix, real)) return null
  const cfg = venvConfigLines(cfgText, prefix)
  if (cfg === null) return null
  const key = JSON.stringify([salt, relative(prefix, path), cfg, chain, real, `${file.dev}:${file.ino}:${file.mtimeNs}:${file.size}`])
  return { key, prefix }
}

/** The pyvenv.cfg lines that matter (all but `command` and `prompt`), or null when unusual. */
function venvConfigLines(text: string, prefix: string): string[] | null {
  const lines: string[] = []
  let home = false
  for (const raw of text.split(/\r?\n/)) {
    const at = raw.indexOf('=')
    if (at === -1) {
      if (raw.trim() !== '') return null
      continue
    }
    const key = raw.slice(0, at).trim().toLowerCase()
    const value = raw.slice(at + 1).trim()
    if (key === 'command' || key === 'prompt') continue
    if (key === 'home') home = true
    if (key === 'include-system-site-packages' && value.toLowerCase() !== 'false') return null
    if (namesPath(value, prefix)) return null
    lines.push(`${key}=${value}`)
  }
  return home ? lines : null
}

/** Whether `text` mentions `path` (followed by the end, a `/` or a space). */
function namesPath(text: string, path: string): boolean {
  for (let at = text.indexOf(path); at !== -1; at = text.indexOf(path, at + 1)) {
    const next = text[at + path.length]
    if (next === undefined || next === '/' || /\s/.test(next)) return true
  }
  return false
}

/** The targets of the links from `path` to a file (empty when `path` is no link), or null when odd. */
async function linkChain(path: string): Promise<string[] | null> {
  const chain: string[] = []
  let at = path
  for (let i = 0; i < 16; i++) {
    let target: string
    try {
      target = await readlink(at)
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EINVAL' ? chain : null
    }
    chain.push(target)
    at = resolve(dirname(at), target)
  }
  return null
}

/** Whether the venv's site directories hold nothing that runs or adds paths at start-up. */
async function sitesAreClean(info: InterpreterInfo, prefix: string): Promise<boolean> {
  const dirs = new Set(
    [...info.site.sitePackages, ...info.sysPath, info.schemes.default.purelib, info.schemes.default.platlib].filter((dir) => isInside(prefix, dir)),
  )
  const answers = await Promise.all(
    [...dirs].map(async (dir) => {
      let names: string[]
      try {
        names = await readdir(dir)
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'ENOENT'
      }
      return !names.some((name) => name.endsWith('.pth') || /^(?:site|user)customize(?:\.|$)/.test(name))
    }),
  )
  return answers.every(Boolean)
}

/** Every string of `value` that is `from` or lies under it, moved under `to`. */
export function relocate<T>(value: T, from: string, to: string): T {
  if (typeof value === 'string') {
    return (isInside(from, value) ? to + value.slice(from.length) : value) as T
  }
  if (Array.isArray(value)) return value.map((item: unknown) => relocate(item, from, to)) as T
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, relocate(v, from, to)])) as T
  }
  return value
}

function allStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value)
  else if (Array.isArray(value)) for (const item of value) allStrings(item, out)
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) allStrings(item, out)
  return out
}

function templateFile(cacheDir: string, key: string): string {
  return join(cacheDir, TEMPLATE_SUBDIR, `${createHash('sha256').update(key).digest('hex').slice(0, 40)}.json`)
}

/**
 * Keeps a real answer for the venv interpreter at `path` as the template of
 * its shape, when it is a plain venv's own, clean answer.
 */
export async function recordTemplate(path: string, info: InterpreterInfo, options: TemplateOptions): Promise<boolean> {
  const shape = await venvShape(path, options.salt)
  if (shape === null) return false
  const { prefix } = shape
  if (!info.isVirtualEnv || info.realPrefix !== null || info.executable !== path || info.prefix !== prefix || info.execPrefix !== prefix) return false
  // Only the venv's own paths may lie inside it (a user base or a base prefix inside it would be moved too).
  const own = new Set<string>([info.executable, info.prefix, info.execPrefix, ...Object.values(info.paths), ...Object.values(info.schemes.default), ...info.sysPath, ...info.site.sitePackages])
  if (allStrings(info).some((s) => isInside(prefix, s) && !own.has(s))) return false
  if (!(await sitesAreClean(info, prefix))) return false
  const stored: StoredTemplate = { key: shape.key, prefix, info }
  await writeAtomic(templateFile(options.cacheDir, shape.key), JSON.stringify(stored))
  return true
}

/**
 * The answer for the venv interpreter at `path` from the template of its
 * shape, or null when there is none or anything does not fit.
 */
export async function deriveFromTemplate(path: string, options: TemplateOptions): Promise<InterpreterInfo | null> {
  const shape = await venvShape(path, options.salt)
  if (shape === null) return null
  let stored: StoredTemplate
  try {
    stored = JSON.parse(await readFile(templateFile(options.cacheDir, shape.key), 'utf8')) as StoredTemplate
  } catch {
    return null
  }
  if (stored.key !== shape.key || typeof stored.prefix !== 'string' || stored.info === undefined) return null
  const info = relocate(stored.info, stored.prefix, shape.prefix)
  if (info.executable !== path || info.prefix !== shape.prefix) return null
  return (await sitesAreClean(info, shape.prefix)) ? info : null
}
