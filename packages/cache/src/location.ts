import { existsSync, realpathSync } from 'node:fs'
import { homedir as osHomedir } from 'node:os'
import { posix, win32 } from 'node:path'
import { invalidError } from './errors.js'

/** The application name under the user cache directory: `~/.cache/pipette`. */
export const APP_NAME = 'pipette'

export interface PlatformInfo {
  readonly env?: Readonly<Record<string, string | undefined>>
  readonly platform?: NodeJS.Platform
  readonly homedir?: string
  readonly cwd?: string
}

/**
 * The default cache directory, where pip's platformdirs would put a cache for
 * an application named `pipette` (pip's own is the same with `pip`):
 * - Linux and other Unix: `$XDG_CACHE_HOME/pipette` when `XDG_CACHE_HOME` is set
 *   and not blank, else `~/.cache/pipette`;
 * - macOS: `~/Library/Caches/pipette`;
 * - Windows: `%LOCALAPPDATA%\pipette\Cache`.
 */
export function defaultCacheDir(info: PlatformInfo = {}): string {
  const env = info.env ?? process.env
  const platform = info.platform ?? process.platform
  const home = info.homedir ?? osHomedir()
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA?.trim() ? env.LOCALAPPDATA : win32.join(home, 'AppData', 'Local')
    return win32.join(local, APP_NAME, 'Cache')
  }
  if (platform === 'darwin') return posix.join(home, 'Library', 'Caches', APP_NAME)
  const xdg = env.XDG_CACHE_HOME
  const base = xdg !== undefined && xdg.trim() !== '' ? xdg : posix.join(home, '.cache')
  return posix.join(base, APP_NAME)
}

export interface CacheDirOptions extends PlatformInfo {
  /** `--cache-dir DIR` from the command line. */
  readonly cacheDir?: string | undefined
  /** `--no-cache-dir` from the command line. */
  readonly noCacheDir?: boolean | undefined
  /**
   * When both flags are on one command line the later one wins, as in pip
   * (they share one destination). Default: `--no-cache-dir` wins.
   */
  readonly last?: 'cache-dir' | 'no-cache-dir' | undefined
}

const TRUTH_VALUES = new Set(['y', 'yes', 't', 'true', 'on', '1', 'n', 'no', 'f', 'false', 'off', '0'])

/**
 * Where the cache is, or `null` when it is disabled, with pip's precedence:
 * 1. the command line: `--cache-dir DIR` / `--no-cache-dir` (the later wins);
 * 2. `PIP_NO_CACHE_DIR` (any truth value disables the cache, even `0`, as in
 *    pip; anything else is an error, as in pip);
 * 3. `PIPETTE_CACHE_DIR` (pipette's own: lets pipette keep its cache apart
 *    from the one `PIP_CACHE_DIR` gives pip);
 * 4. `PIP_CACHE_DIR`;
 * 5. the platform default (`defaultCacheDir`).
 * The result is normalised as pip's `normalize_path`: `~` expanded, made
 * absolute against the working directory, symbolic links resolved.
 */
export function resolveCacheDir(options: CacheDirOptions = {}): string | null {
  const env = options.env ?? process.env
  const cli = options.noCacheDir === true && (options.last !== 'cache-dir' || options.cacheDir === undefined) ? null : options.cacheDir
  if (cli === null) return null
  if (cli !== undefined && cli !== '') return normalizePath(cli, options)
  const noCache = env.PIP_NO_CACHE_DIR
  if (noCache !== undefined && noCache !== '') {
    if (!TRUTH_VALUES.has(noCache.toLowerCase())) {
      throw invalidError(`--no-cache-dir error: invalid truth value '${noCache}' (from PIP_NO_CACHE_DIR)`, 'Set PIP_NO_CACHE_DIR=1 to disable the cache, or unset it')
    }
    return null
  }
  for (const name of ['PIPETTE_CACHE_DIR', 'PIP_CACHE_DIR']) {
    const value = env[name]
    if (value !== undefined && value !== '') return normalizePath(value, options)
  }
  return normalizePath(defaultCacheDir(options), options)
}

/** pip's `normalize_path`: expand `~`, make absolute, resolve symbolic links of the parts that exist. */
export function normalizePath(path: string, info: PlatformInfo = {}): string {
  const platform = info.platform ?? process.platform
  const lib = platform === 'win32' ? win32 : posix
  const home = info.homedir ?? osHomedir()
  let expanded = path
  if (path === '~') expanded = home
  else if (path.startsWith('~/') || (platform === 'win32' && path.startsWith('~\\'))) expanded = lib.join(home, path.slice(2))
  const absolute = lib.resolve(info.cwd ?? process.cwd(), expanded)
  if (platform !== process.platform) return absolute
  return realpathLoose(absolute, lib)
}

function realpathLoose(absolute: string, lib: typeof posix): string {
  const rest: string[] = []
  let head = absolute
  for (;;) {
    if (existsSync(head)) {
      try {
        return lib.join(realpathSync.native(head), ...rest)
      } catch {
        return absolute
      }
    }
    const parent = lib.dirname(head)
    if (parent === head) return absolute
    rest.unshift(lib.basename(head))
    head = parent
  }
}
