/**
 * Step 2: the target. Everything the pipeline needs to know about where it
 * installs, computed once from the queried interpreter: the Python version
 * Requires-Python is checked against, the marker environment, the supported
 * wheel tags (most preferred first) and the install scheme (the
 * environment's, pip's `--prefix` scheme, or a `--target` directory).
 *
 * `pythonVersion` overrides the interpreter's version for resolution (like
 * pip's `--python-version`, and uv's, it also moves `python_version` and
 * `python_full_version` in markers and the tags): resolving for another Python
 * than the one at hand (dry runs, tests of packse scenarios).
 */
import { join } from 'node:path'
import type { Version } from '@pipette/pep440'
import { parseVersion } from '@pipette/pep440'
import type { InterpreterInfo, MarkerEnvironment, SchemePaths } from '@pipette/venv'
import { installScheme } from '@pipette/venv'
import type { Scheme } from '@pipette/wheel'
import { supportedTags, tagEnvironment, tagToString } from '@pipette/wheel'
import { InstallerError } from './errors.js'

export interface TargetOptions {
  /** `--python-version`: resolve for this version (`3.12`, `3.12.1`). */
  readonly pythonVersion?: string | undefined
  /** `--target DIR` (absolute). */
  readonly target?: string | undefined
  /** `--prefix DIR` (absolute). */
  readonly prefix?: string | undefined
}

export interface InstallTarget {
  readonly interpreter: InterpreterInfo
  /** The version used for Requires-Python (and markers). */
  readonly pythonVersion: Version
  /** `major.minor.micro` text of it. */
  readonly pythonFullVersion: string
  readonly markerEnvironment: MarkerEnvironment
  /** Supported tags, most preferred first (`cp311-cp311-manylinux_2_36_x86_64`, ..., `py3-none-any`). */
  readonly supportedTags: readonly string[]
  /**
   * Where files go. With `--target`, this is a home scheme in a staging
   * directory (`staging`) whose top-level entries are moved into `targetDir`
   * afterwards, as pip does.
   */
  readonly scheme: SchemePaths
  readonly targetDir: string | undefined
  readonly staging: string | undefined
  readonly prefix: string | undefined
  /** Whether the installed distributions of the interpreter's environment count (not with `--target`). */
  readonly considerInstalled: boolean
}

function parseOverride(text: string): { major: number; minor: number; micro: number | undefined } {
  const match = /^(\d)\.?(\d+)(?:\.(\d+))?$/.exec(text.trim())
  if (match === null) {
    throw new InstallerError('ERR_INVALID_OPTION', `invalid --python-version value: '${text}'`, { hint: 'give major.minor[.micro], example: --python-version 3.12' })
  }
  return { major: Number(match[1]), minor: Number(match[2]), micro: match[3] === undefined ? undefined : Number(match[3]) }
}

/** Describes the target of an install (see the essay above). */
export function describeTarget(interpreter: InterpreterInfo, options: TargetOptions = {}): InstallTarget {
  let fullVersion = `${interpreter.versionInfo[0]}.${interpreter.versionInfo[1]}.${interpreter.versionInfo[2]}`
  let markerEnvironment: MarkerEnvironment = interpreter.markerEnvironment
  let tagEnv = tagEnvironment(interpreter)
  if (options.pythonVersion !== undefined) {
    const { major, minor, micro } = parseOverride(options.pythonVersion)
    fullVersion = `${major}.${minor}.${micro ?? 0}`
    markerEnvironment = Object.freeze({
      ...markerEnvironment,
      python_version: `${major}.${minor}`,
      python_full_version: micro === undefined ? `${major}.${minor}.0` : fullVersion,
    })
    if (major !== interpreter.versionInfo[0] || minor !== interpreter.versionInfo[1]) {
      tagEnv = Object.freeze({ ...tagEnv, pythonVersion: [major, minor] as const, pyVersionNodot: `${major}${minor}`, extSuffix: null, extensionSuffixes: [] })
    }
  }
  const tags = supportedTags(tagEnv).map(tagToString)
  let scheme: SchemePaths
  let staging: string | undefined
  if (options.target !== undefined) {
    staging = join(options.target, `.pipette-target-${process.pid}`)
    scheme = installScheme(interpreter, { home: staging })
  } else if (options.prefix !== undefined) {
    scheme = installScheme(interpreter, { prefix: options.prefix })
  } else {
    scheme = interpreter.schemes.default
  }
  return Object.freeze({
    interpreter,
    pythonVersion: parseVersion(fullVersion),
    pythonFullVersion: fullVersion,
    markerEnvironment,
    supportedTags: Object.freeze(tags),
    scheme,
    targetDir: options.target,
    staging,
    prefix: options.prefix,
    considerInstalled: options.target === undefined,
  })
}

/** The scheme one distribution installs into: headers go to `<include>/<name>`, as pip does. */
export function schemeFor(target: InstallTarget, distributionName: string): Scheme {
  const s = target.scheme
  return { purelib: s.purelib, platlib: s.platlib, scripts: s.scripts, data: s.data, headers: join(s.include, distributionName) }
}
