/**
 * The cache's options: pip's `--cache-dir` / `--no-cache-dir` (General
 * Options, fed by the configuration layer: the command line, then
 * `PIP_NO_CACHE_DIR`/`PIP_CACHE_DIR` and pip.conf; pipette's own
 * `PIPETTE_CACHE_DIR` comes after a `--cache-dir` or a disabled cache, before
 * a configured `cache-dir`), uv's `--refresh` / `--refresh-package`, and the
 * options of `pipette cache list` and `pipette hash`.
 */
import { Flags } from '@oclif/core'
import { generalOptions } from './general-flags.js'

/** Where the cache is (pip's general options): every command that reads or writes the cache takes these. */
export const cacheDirOptions = {
  'cache-dir': generalOptions['cache-dir'],
  'no-cache-dir': generalOptions['no-cache-dir'],
} as const

/** Revalidation of cached index data (uv's options; pip has none). */
export const refreshOptions = {
  refresh: Flags.boolean({
    description: 'Revalidate all cached index pages and metadata with the server (once per run).',
    helpGroup: 'GENERAL',
  }),
  'refresh-package': Flags.string({
    description: 'Revalidate the cached index pages and metadata of this project (repeatable).',
    helpValue: '<package>',
    multiple: true,
    helpGroup: 'GENERAL',
  }),
} as const

/** Every cache option, for commands that fetch (download, install, index). */
export const cacheOptions = { ...cacheDirOptions, ...refreshOptions } as const

/** `pipette cache list --format`. */
export const cacheListOptions = {
  format: Flags.string({
    description: 'Select the output format among: human (default) or abspath',
    options: ['human', 'abspath'],
    default: 'human',
    helpValue: '<list_format>',
  }),
} as const

/** `pipette hash -a`. Checked by the command, to answer a bad value as pip does. */
export const hashOptions = {
  algorithm: Flags.string({
    char: 'a',
    description: 'The hash algorithm to use: one of sha256, sha384, sha512',
    default: 'sha256',
    helpValue: '<algorithm>',
  }),
} as const

export interface CacheFlags {
  readonly 'cache-dir'?: string | undefined
  readonly 'no-cache-dir'?: boolean | undefined
  readonly refresh?: boolean | undefined
  readonly 'refresh-package'?: readonly string[] | undefined
}

export interface CacheSettings {
  /** The cache directory, or null when the cache is disabled. */
  readonly dir: string | null
  readonly refresh: { readonly all: boolean; readonly packages: readonly string[] }
}

/**
 * Turns the flags into the cache's settings. The layer has settled `--cache-dir`
 * against `--no-cache-dir` (the later wins; a configured no-cache-dir wins over
 * a configured cache-dir, as in pip); `PIPETTE_CACHE_DIR` stands between a
 * `--cache-dir` given on the command line and one from the configuration.
 * `_argv` is kept for callers; the layer has read it.
 */
export async function cacheSettings(flags: CacheFlags, _argv: readonly string[]): Promise<CacheSettings> {
  const { resolveCacheDir } = await import('@pipette/cache')
  const { optionSource } = await import('./layer.js')
  const fromCommandLine = optionSource(flags, 'cache-dir') === 'cli'
  const { PIP_CACHE_DIR: _cache, PIP_NO_CACHE_DIR: _noCache, ...env } = process.env
  const configured = fromCommandLine ? undefined : flags['cache-dir']
  const dir =
    flags['no-cache-dir'] === true
      ? null
      : resolveCacheDir({ cacheDir: fromCommandLine ? flags['cache-dir'] : undefined, env: configured === undefined ? env : { ...env, PIP_CACHE_DIR: configured } })
  return { dir, refresh: { all: flags.refresh === true, packages: [...(flags['refresh-package'] ?? [])] } }
}

/** The cache directory for `pipette cache ...`, which cannot work without one (as pip). */
export async function requireCacheDir(flags: CacheFlags, argv: readonly string[]): Promise<string> {
  const { dir } = await cacheSettings(flags, argv)
  if (dir === null) {
    const { PipetteError } = await import('@pipette/errors')
    throw new PipetteError('ERR_CACHE_DISABLED', 'pipette cache commands can not function since cache is disabled.', {
      hint: 'Drop --no-cache-dir (and unset PIP_NO_CACHE_DIR), or give a directory: --cache-dir ~/.cache/pipette',
    })
  }
  return dir
}

/** pip's "Too many arguments" for `pipette cache <action>` given extra words. */
export async function rejectExtraArguments(args: readonly string[], max: number, usage: string): Promise<void> {
  if (args.length > max) {
    const { PipetteError } = await import('@pipette/errors')
    throw new PipetteError('ERR_TOO_MANY_ARGUMENTS', 'Too many arguments', { hint: `Usage: ${usage}` })
  }
}
