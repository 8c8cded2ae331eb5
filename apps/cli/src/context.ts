/**
 * What a command needs to know about the environment it works on: the
 * interpreter `--python` (or the defaults) points to, and what it says about
 * itself. Shared by every command that takes `--python`.
 */
import type { FoundInterpreter, InterpreterInfo } from '@pipette/venv'

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
