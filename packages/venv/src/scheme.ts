import { resolve, sep } from 'node:path'
import { VenvError } from './errors.js'
import type { InterpreterInfo, SchemePaths } from './interpreter-info.js'

export interface InstallSchemeOptions {
  /** pip's `--prefix DIR`. */
  readonly prefix?: string | undefined
  /** pip's `--home DIR` (and the temporary directory pip's `--target` installs into). */
  readonly home?: string | undefined
  /** pip's `--user`. */
  readonly user?: boolean | undefined
}

/**
 * The scheme pip 23-26 installs into for this interpreter (pip's
 * `locations.get_scheme` on Python >= 3.10, where pip uses sysconfig): the
 * default one, or the one for `--prefix`, `--home` or `--user`. A
 * distribution's headers go to `join(scheme.include, distName)`.
 *
 * @example
 * installScheme(info).purelib                          // '/work/.venv/lib/python3.11/site-packages'
 * installScheme(info, { prefix: '/opt/x' }).scripts    // '/opt/x/bin'
 */
export function installScheme(info: InterpreterInfo, options: InstallSchemeOptions = {}): SchemePaths {
  if (options.user && options.prefix !== undefined) throw combination('--user', '--prefix')
  if (options.home !== undefined && options.prefix !== undefined) throw combination('--home', '--prefix')
  if (options.home !== undefined) return fromTemplate(info, info.schemes.home, options.home)
  if (options.user) {
    if (info.schemes.user === null) {
      throw new VenvError('ERR_USER_SCHEME_MISSING', `${info.executable} has no user install scheme`, {
        hint: 'Install without --user, e.g. into a virtual environment',
      })
    }
    return info.schemes.user
  }
  if (options.prefix !== undefined) return fromTemplate(info, info.schemes.prefix, options.prefix)
  return info.schemes.default
}

/** The layout `python -m venv DIR` gives an environment made from this interpreter. */
export function venvScheme(info: InterpreterInfo, dir: string): SchemePaths {
  return fromTemplate(info, info.schemes.venv, dir)
}

function fromTemplate(info: InterpreterInfo, template: SchemePaths, base: string): SchemePaths {
  const resolved = resolve(base)
  const root = resolved.endsWith(sep) ? resolved.slice(0, -1) : resolved
  const at = (path: string): string => {
    if (path === info.placeholder) return resolved
    if (path.startsWith(info.placeholder + sep)) return root + path.slice(info.placeholder.length)
    return path
  }
  return Object.freeze({
    name: template.name,
    purelib: at(template.purelib),
    platlib: at(template.platlib),
    scripts: at(template.scripts),
    data: at(template.data),
    include: at(template.include),
  })
}

function combination(a: string, b: string): VenvError {
  return new VenvError('ERR_SCHEME_COMBINATION', `Cannot set ${a} and ${b} together`, { hint: `Use only one of ${a} and ${b}` })
}
