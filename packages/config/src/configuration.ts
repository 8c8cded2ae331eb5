/**
 * pip's configuration: which files it reads, in which order, and what the
 * merged result is (pip's `Configuration` class, whose file handling this
 * follows step by step).
 *
 * Files, by variant, on Linux and other POSIX systems (pip 26):
 * - `env`: the file named by `PIP_CONFIG_FILE`, if that variable is set. When
 *   it is `/dev/null` (`os.devnull`) no file at all is read.
 * - `global`: `pip/pip.conf` under every directory of `XDG_CONFIG_DIRS`
 *   (default `/etc/xdg`), then `/etc/pip.conf`.
 * - `user`: `~/.pip/pip.conf` (legacy), then `pip/pip.conf` under
 *   `XDG_CONFIG_HOME` (default `~/.config`). Skipped with `--isolated`, and
 *   when the `PIP_CONFIG_FILE` file exists.
 * - `site`: `pip.conf` in `sys.prefix` of the environment pip works on.
 * - `env-var`: the `PIP_<NAME>` environment variables (not with `--isolated`),
 *   as `:env:.<name>` keys.
 * A missing or unreadable file counts as empty. Keys are `section.name`, the
 * name lower-cased with `_` turned into `-` (`[install] No_Deps` is
 * `install.no-deps`, `PIP_NO_DEPS` is `:env:.no-deps`). Within a variant a
 * later file overrides an earlier one; across variants the order is global,
 * user, site, env (PIP_CONFIG_FILE), env-var, so the file named by
 * `PIP_CONFIG_FILE` beats the others despite being listed first. A key keeps
 * the position where it first appeared (a Python dict), which is the order
 * configDefaults applies items in.
 *
 * `pipette config set/unset` change one variant's last file (pip's "file to
 * modify"): see configSet/configUnset.
 */
import { readFileSync, statSync } from 'node:fs'
import { ConfigCommandError, OptionError } from './errors.js'
import { EMPTY_INI, iniItems, parseIni, removeIniOption, setIniOption } from './ini.js'
import type { IniFile } from './ini.js'
import { pyStrip } from './python-text.js'

/** Where a configuration value comes from, in pip's words. */
export type Variant = 'global' | 'user' | 'site' | 'env' | 'env-var'

/** The variants `pipette config --global/--user/--site` work on. */
export type FileVariant = 'global' | 'user' | 'site'

/** pip's override order: a later variant wins. */
export const OVERRIDE_ORDER: readonly Variant[] = Object.freeze(['global', 'user', 'site', 'env', 'env-var'])

export const CONFIG_BASENAME = 'pip.conf'
const DEVNULL = '/dev/null'
const ENV_NAMES_IGNORED = new Set(['version', 'help'])

export type Environment = Readonly<Record<string, string | undefined>>

/** Where configuration files are looked for. */
export interface ConfigLocationsInput {
  readonly env: Environment
  /** The home directory (`~`). */
  readonly home: string
  /** `sys.prefix` of the target environment, or null when it is not known (then no site file). */
  readonly sitePrefix: string | null
}

/** Python's `os.path.join` on POSIX: no normalisation, an absolute part restarts the path. */
function pyJoin(...parts: string[]): string {
  let out = ''
  for (const part of parts) {
    if (part.startsWith('/')) out = part
    else if (out === '' || out.endsWith('/')) out += part
    else out += `/${part}`
  }
  return out
}

/** pip's `get_configuration_files()`: the candidate files of each file variant, in loading order. */
export function configurationFiles(input: ConfigLocationsInput): Readonly<Record<FileVariant, readonly string[]>> {
  const dirs = input.env['XDG_CONFIG_DIRS'] ?? ''
  const globalDirs = (pyStrip(dirs) === '' ? '/etc/xdg' : dirs).split(':').map((dir) => pyJoin(dir, 'pip'))
  const xdgHome = input.env['XDG_CONFIG_HOME'] ?? ''
  const userDir = pyJoin(pyStrip(xdgHome) === '' ? pyJoin(input.home, '.config') : xdgHome, 'pip')
  return Object.freeze({
    global: Object.freeze([...globalDirs, '/etc'].map((dir) => pyJoin(dir, CONFIG_BASENAME))),
    user: Object.freeze([pyJoin(input.home, '.pip', CONFIG_BASENAME), pyJoin(userDir, CONFIG_BASENAME)]),
    site: Object.freeze(input.sitePrefix === null ? [] : [pyJoin(input.sitePrefix, CONFIG_BASENAME)]),
  })
}

/** One file pip considered, and what it holds (empty when missing or unreadable). */
export interface LoadedFile {
  readonly variant: Variant
  readonly path: string
  readonly ini: IniFile
}

/** The loaded configuration (pip's `Configuration` after `load()`). */
export interface Configuration {
  readonly isolated: boolean
  /** The only file variant loaded, or null for all. */
  readonly loadOnly: FileVariant | null
  /** pip's `iter_config_files()`: the files of each variant in display order (env, global, user, site). */
  readonly fileLists: ReadonlyArray<readonly [Variant, readonly string[]]>
  /** The files loaded, in loading order (none when PIP_CONFIG_FILE is /dev/null). */
  readonly files: readonly LoadedFile[]
  /** The values of each variant: `section.name` -> value. */
  readonly byVariant: ReadonlyMap<Variant, ReadonlyMap<string, string>>
  /** Every `PIP_*` variable (name without `PIP_`, lower-cased; value), in environment order, read even when isolated. */
  readonly environ: ReadonlyArray<readonly [string, string]>
}

/** `loadConfiguration` input. */
export interface LoadConfigurationInput extends ConfigLocationsInput {
  /** `--isolated`: no user files, no `PIP_*` variables. */
  readonly isolated: boolean
  /** Load only this variant's files (`pipette config --user ...`). */
  readonly loadOnly?: FileVariant | null | undefined
  /** Reads a file: its text, or null when it does not exist or cannot be read. Default: the file system. */
  readonly readFile?: ((path: string) => string | null) | undefined
  /** Whether a path exists. Default: the file system. */
  readonly exists?: ((path: string) => boolean) | undefined
}

/** A path exists (pip's `os.path.exists`). */
export function pathExists(path: string): boolean {
  try {
    statSync(path)
    return true
  } catch {
    return false
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true })

/** Reads a configuration file as UTF-8: null when missing or unreadable (configparser skips those); a decoding error is pip's error. */
export function readConfigFile(path: string): string | null {
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch {
    return null
  }
  try {
    return decoder.decode(bytes)
  } catch (cause) {
    throw new OptionError('file', `Configuration file contains invalid UTF-8 characters in ${path}.`, `Save ${path} as UTF-8 text`, { cause })
  }
}

/** pip's `_normalize_name`: lower-case, `_` to `-`, no leading `--`. */
export function normalizeName(name: string): string {
  const lower = name.toLowerCase().replaceAll('_', '-')
  return lower.startsWith('--') ? lower.slice(2) : lower
}

/** Every `PIP_*` environment variable as (name, value): name without `PIP_`, lower-cased; `PIP_VERSION` and `PIP_HELP` are not options. */
export function environVars(env: Environment): Array<readonly [string, string]> {
  const out: Array<readonly [string, string]> = []
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || !key.startsWith('PIP_')) continue
    const name = key.slice(4).toLowerCase()
    if (!ENV_NAMES_IGNORED.has(name)) out.push([name, value])
  }
  return out
}

/** pip's `iter_config_files()`, the files of each variant in pip's display order. */
function iterConfigFiles(input: LoadConfigurationInput, exists: (path: string) => boolean): Array<readonly [Variant, readonly string[]]> {
  const configFile = input.env['PIP_CONFIG_FILE']
  const files = configurationFiles(input)
  const lists: Array<readonly [Variant, readonly string[]]> = [['env', configFile === undefined ? [] : [configFile]], ['global', files.global]]
  const loadUser = !input.isolated && !(configFile !== undefined && configFile !== '' && exists(configFile))
  if (loadUser) lists.push(['user', files.user])
  lists.push(['site', files.site])
  return lists
}

/**
 * Loads the configuration as pip does (see the essay above). Throws
 * `OptionError` (`file`) for a file configparser cannot read, with pip's message.
 *
 * @example
 * const conf = loadConfiguration({ env: process.env, home: homedir(), sitePrefix: '/work/.venv', isolated: false })
 * configurationItems(conf)   // [['global.timeout', '60'], [':env:.no-deps', 'yes'], ...]
 */
export function loadConfiguration(input: LoadConfigurationInput): Configuration {
  const exists = input.exists ?? pathExists
  const read = input.readFile ?? readConfigFile
  const loadOnly = input.loadOnly ?? null
  const fileLists = iterConfigFiles(input, exists)
  const byVariant = new Map<Variant, Map<string, string>>(OVERRIDE_ORDER.map((variant) => [variant, new Map()]))
  const files: LoadedFile[] = []
  const envFile = fileLists[0]?.[1][0]
  if (envFile !== DEVNULL) {
    for (const [variant, paths] of fileLists) {
      if (loadOnly !== null && variant !== loadOnly) continue
      for (const path of paths) {
        const text = exists(path) ? read(path) : null
        let ini = EMPTY_INI
        if (text !== null) {
          try {
            ini = parseIni(text, path)
          } catch (error) {
            throw new OptionError('file', `Configuration file could not be loaded.\n${(error as Error).message}\n`, `Fix ${path}: [section] headers and "name = value" lines, e.g. [global] then timeout = 60`, { cause: error })
          }
        }
        const values = byVariant.get(variant) as Map<string, string>
        for (const section of ini.sections.keys()) {
          for (const [name, value] of iniItems(ini, section)) values.set(`${section}.${normalizeName(name)}`, value)
        }
        files.push(Object.freeze({ variant, path, ini }))
      }
    }
  }
  const environ = environVars(input.env)
  if (!input.isolated) {
    const values = byVariant.get('env-var') as Map<string, string>
    for (const [name, value] of environ) values.set(`:env:.${normalizeName(name)}`, value)
  }
  return Object.freeze({ isolated: input.isolated, loadOnly, fileLists: Object.freeze(fileLists), files: Object.freeze(files), byVariant, environ: Object.freeze(environ) })
}

/** The merged configuration (pip's `Configuration.items()`): `section.name` -> value, later variants winning, first positions kept. */
export function configurationItems(configuration: Configuration): Map<string, string> {
  const merged = new Map<string, string>()
  for (const variant of OVERRIDE_ORDER) for (const [key, value] of configuration.byVariant.get(variant) ?? []) merged.set(key, value)
  return merged
}

/**
 * Where the value of a configuration item comes from, for error messages:
 * `the PIP_TIMEOUT environment variable` or `[global] timeout in /etc/pip.conf`
 * (the file whose value won: the last variant in override order, the last
 * file within it). Undefined when no loaded file or variable holds it.
 *
 * @example
 * configSource(conf, ':env:.no-deps')    // 'the PIP_NO_DEPS environment variable'
 * configSource(conf, 'install.timeout')  // '[install] timeout in /home/u/.config/pip/pip.conf'
 */
export function configSource(configuration: Configuration, key: string): string | undefined {
  const dot = key.indexOf('.')
  if (dot === -1) return undefined
  const section = key.slice(0, dot)
  const name = key.slice(dot + 1)
  if (section === ':env:') {
    const found = configuration.environ.findLast(([variable]) => normalizeName(variable) === name)
    return found === undefined ? undefined : `the PIP_${found[0].toUpperCase()} environment variable`
  }
  for (const variant of [...OVERRIDE_ORDER].reverse()) {
    const files = configuration.files.filter((file) => file.variant === variant).reverse()
    for (const file of files) {
      if (!file.ini.sections.has(section)) continue
      const option = iniItems(file.ini, section).find(([written]) => normalizeName(written) === name)
      if (option !== undefined) return `[${section}] ${option[0]} in ${file.path}`
    }
  }
  return undefined
}

function disassembleKey(key: string): [string, string] {
  const dot = key.indexOf('.')
  if (dot === -1) {
    throw new ConfigCommandError(`Key does not contain dot separated section and key. Perhaps you wanted to use 'global.${key}' instead?`, `Name a section and an option, e.g. global.${key}`)
  }
  return [key.slice(0, dot), key.slice(dot + 1)]
}

/** `pip config get`: the value of `section.name` in the loaded configuration. */
export function configGet(configuration: Configuration, key: string): string {
  const normalized = normalizeName(key)
  const value = configurationItems(configuration).get(normalized)
  if (value !== undefined) return value
  disassembleKey(normalized)
  throw new ConfigCommandError(`No such key - ${key}`, 'See what is set with: pipette config list')
}

/** A file to write: its path and its new content. */
export interface ConfigChange {
  readonly configuration: Configuration
  /** The file to write (the variant's last file) and its new content. */
  readonly path: string
  readonly ini: IniFile
}

function fileToModify(configuration: Configuration): LoadedFile {
  if (configuration.loadOnly === null) throw new ConfigCommandError('Needed a specific file to be modifying.', 'Pick one: --user, --global or --site')
  const files = configuration.files.filter((file) => file.variant === configuration.loadOnly)
  const last = files[files.length - 1]
  if (last === undefined) throw new ConfigCommandError('Fatal Internal error [id=2]. Please report as a bug.', 'No file of this kind is read (--isolated, or PIP_CONFIG_FILE is set): unset PIP_CONFIG_FILE, or drop --isolated')
  return last
}

function replaceFile(configuration: Configuration, target: LoadedFile, ini: IniFile, key: string, value: string | undefined): Configuration {
  const byVariant = new Map(configuration.byVariant)
  const values = new Map(byVariant.get(target.variant))
  if (value === undefined) values.delete(key)
  else values.set(key, value)
  byVariant.set(target.variant, values)
  const files = configuration.files.map((file) => (file === target ? Object.freeze({ ...file, ini }) : file))
  return Object.freeze({ ...configuration, files: Object.freeze(files), byVariant })
}

/** The file `pipette config edit` opens: the last file of the chosen variant. */
export function fileToEdit(configuration: Configuration): string {
  return fileToModify(configuration).path
}

/** `pip config set section.name value`: the changed configuration and the file to write. */
export function configSet(configuration: Configuration, key: string, value: string): ConfigChange {
  const normalized = normalizeName(key)
  const target = fileToModify(configuration)
  const [section, name] = disassembleKey(normalized)
  if (section === 'DEFAULT' || section === '') throw new ConfigCommandError(`Invalid section name: ${section}`, 'Use global or a command name, e.g. global.timeout')
  const ini = setIniOption(target.ini, section, name, value)
  return { configuration: replaceFile(configuration, target, ini, normalized, value), path: target.path, ini }
}

/** `pip config unset section.name`: the changed configuration and the file to write. */
export function configUnset(configuration: Configuration, key: string): ConfigChange {
  const normalized = normalizeName(key)
  if (configuration.loadOnly === null) throw new ConfigCommandError('Needed a specific file to be modifying.', 'Pick one: --user, --global or --site')
  if (!(configuration.byVariant.get(configuration.loadOnly)?.has(normalized) ?? false)) {
    throw new ConfigCommandError(`No such key - ${key}`, `See what the ${configuration.loadOnly} files set with: pipette config --${configuration.loadOnly} list`)
  }
  const target = fileToModify(configuration)
  const [section, name] = disassembleKey(normalized)
  const ini = removeIniOption(target.ini, section, name)
  if (ini === null) throw new ConfigCommandError('Fatal Internal error [id=1]. Please report as a bug.', `The key is set in another ${configuration.loadOnly} file than ${target.path}: edit that file`)
  return { configuration: replaceFile(configuration, target, ini, normalized, undefined), path: target.path, ini }
}

/** `configFileVariant` input: pip config's `--user`, `--global`, `--site`. */
export interface FileVariantInput {
  readonly user: boolean
  readonly global: boolean
  readonly site: boolean
  /** get, set, unset and edit work on one file variant; list and debug on all. */
  readonly needValue: boolean
  /** The site files (`configurationFiles(...).site`). */
  readonly siteFiles: readonly string[]
  readonly exists?: ((path: string) => boolean) | undefined
}

/**
 * pip config's `_determine_file`: the one variant named by `--user`,
 * `--global` or `--site`; without one, all variants for list and debug, and
 * for the others the site file if it exists, else the user files.
 */
export function configFileVariant(input: FileVariantInput): FileVariant | null {
  const chosen = (['user', 'global', 'site'] as const).filter((variant) => input[variant])
  if (chosen.length === 1) return chosen[0] as FileVariant
  if (chosen.length > 1) throw new ConfigCommandError('Need exactly one file to operate upon (--user, --site, --global) to perform.', 'Give one of them, e.g. pipette config --user set global.timeout 60')
  if (!input.needValue) return null
  const exists = input.exists ?? pathExists
  return input.siteFiles.some((path) => exists(path)) ? 'site' : 'user'
}
