/**
 * The cache's options: pip's `--cache-dir` / `--no-cache-dir` (General
 * Options; `PIP_CACHE_DIR`, `PIP_NO_CACHE_DIR` and pipette's own
 * `PIPETTE_CACHE_DIR` are read by `resolveCacheDir`, with pip's precedence),
 * uv's `--refresh` / `--refresh-package`, and the options of `pipette cache
 * list` and `pipette hash`.
 */
import { Flags } from '@oclif/core'

/** Where the cache is: every command that reads or writes the cache takes these. */
export const cacheDirOptions = {
  'cache-dir': Flags.string({
    description: 'Store the cache data in <dir>. (environment: PIPETTE_CACHE_DIR, PIP_CACHE_DIR)',
    helpValue: '<dir>',
    helpGroup: 'GENERAL',
  }),
  'no-cache-dir': Flags.boolean({
    description: 'Disable the cache. (environment: PIP_NO_CACHE_DIR)',
    helpGroup: 'GENERAL',
  }),
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
    env: 'PIP_FORMAT',
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

/** Which of `--cache-dir` / `--no-cache-dir` came last on the command line (pip: the later wins). */
function lastOf(argv: readonly string[]): 'cache-dir' | 'no-cache-dir' | undefined {
  let last: 'cache-dir' | 'no-cache-dir' | undefined
  for (const arg of argv) {
    if (arg === '--') break
    if (arg === '--no-cache-dir') last = 'no-cache-dir'
    else if (arg === '--cache-dir' || arg.startsWith('--cache-dir=')) last = 'cache-dir'
  }
  return last
}

/** Turns the parsed flags (and the raw argv, for their order) into the cache's settings. */
export async function cacheSettings(flags: CacheFlags, argv: readonly string[]): Promise<CacheSettings> {
  const { resolveCacheDir } = await import('@pipette/cache')
  const dir = resolveCacheDir({ cacheDir: flags['cache-dir'], noCacheDir: flags['no-cache-dir'], last: lastOf(argv) })
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
