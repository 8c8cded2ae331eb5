/**
 * What a command needs to know about the environment it works on: the
 * interpreter `--python` (or the defaults) points to, and what it says about
 * itself. Shared by every command that takes `--python`.
 */
import { PipetteError } from '@pipette/errors'
import type { EnvironmentScan, FoundInterpreter, InterpreterInfo } from '@pipette/venv'

export interface Target {
  readonly found: FoundInterpreter
  readonly info: InterpreterInfo
}

export interface ResolveTargetOptions {
  /**
   * Where interpreter answers are cached (`<dir>/interpreter-v1/`); null: no disk cache.
   * Default: @pipette/venv's `defaultCacheDir()`. Commands with `--cache-dir` pass their setting.
   */
  readonly cacheDir?: string | null | undefined
}

/** Finds and queries the interpreter of `--python` (default: VIRTUAL_ENV, ./.venv, python3). */
export async function resolveTarget(flags: { readonly python?: string | undefined }, options: ResolveTargetOptions = {}): Promise<Target> {
  const { findInterpreter, queryInterpreter } = await import('@pipette/venv')
  const found = await findInterpreter({ python: flags.python })
  return { found, info: await queryInterpreter(found.executable, { cacheDir: options.cacheDir }) }
}

export interface EnvironmentSelection {
  readonly python?: string | undefined
  /** `--path`: scan these directories instead of the interpreter's sys.path. */
  readonly path?: string[] | undefined
  readonly user: boolean
  readonly local: boolean
}

/**
 * The target and its installed distributions, for list/freeze/inspect:
 * `--path` cannot be combined with `--user` or `--local` (pip's message).
 */
export async function scanSelectedEnvironment(flags: EnvironmentSelection): Promise<Target & { readonly scan: EnvironmentScan }> {
  if (flags.path !== undefined && (flags.user || flags.local)) {
    throw new PipetteError('ERR_OPTION_CONFLICT', "Cannot combine '--path' with '--user' or '--local'")
  }
  const target = await resolveTarget(flags)
  const { scanEnvironment } = await import('@pipette/venv')
  return { ...target, scan: await scanEnvironment(target.info, { paths: flags.path }) }
}
