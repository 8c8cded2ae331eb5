/**
 * The configuration layer of the CLI: turns a command's declared flags, its
 * command line, the `PIP_*` variables and pip's configuration files into the
 * flag values the command reads, with pip's semantics, in place of oclif's
 * own parser (`PipetteCommand.parse` calls `parseCommand`).
 *
 * 1. Specs: pip's general options (general.ts, every command takes them) and
 *    the command's flags, converted by specs.ts.
 * 2. The command line alone is parsed first (its errors come first, and
 *    `--python` is needed to find the target environment).
 * 3. The target's `sys.prefix` (for the site file) is found without running
 *    Python (`findTargetPrefix`), from `--python`, else `PIP_PYTHON` or a
 *    configured `python`, else VIRTUAL_ENV, ./.venv or python3 on PATH.
 * 4. The configuration is loaded (`--isolated` if the word is anywhere on the
 *    command line, as pip checks), its items become the defaults
 *    (`configDefaults`, section `[<pip command name>]`), then the command line
 *    is parsed over them (`parseCommandLine`).
 * 5. The values become oclif's output shape: flags by name, the declared
 *    arguments, and `argv` (all positional arguments). `-v`/`-q` become
 *    booleans of the net verbosity (`verbosity` keeps the number); a
 *    `disable` flag (`--no-cache-dir`) is true when it won. Where each value
 *    came from and the order of `--no-binary`/`--only-binary` values are kept
 *    on the flags object (`optionSource`, `orderedOptions`).
 * Cost: a few stat calls and the reads of the files that exist.
 */
import { homedir } from 'node:os'
import type { Configuration, OptionSpec, OptionValue, OrderedValue, TargetPrefix } from '@pipette/config'
import { PipetteError } from '@pipette/errors'
import { GENERAL_OPTIONS } from './general.js'
import { specsFromFlags } from './specs.js'
import type { FlagDeclaration } from './specs.js'

const SOURCES = Symbol('pipette.optionSources')
const ORDERED = Symbol('pipette.orderedOptions')

/** An argument declaration, as oclif's `Args.*` make them. */
export interface ArgDeclaration {
  readonly required?: boolean
  readonly default?: unknown
}

/** `parseCommand` input. */
export interface ParseCommandInput {
  readonly flags: Readonly<Record<string, FlagDeclaration>>
  readonly args: Readonly<Record<string, ArgDeclaration>>
  /** oclif's `strict`: more positional arguments than declared ones is an error. */
  readonly strict: boolean
  readonly argv: readonly string[]
  /** pip's command name, which names the configuration section: `install`, `cache` (for `cache dir`). */
  readonly section: string
  readonly env?: NodeJS.ProcessEnv | undefined
  readonly cwd?: string | undefined
  readonly home?: string | undefined
}

/** `parseCommand` output: oclif's parse output, and pip's extras. */
export interface ParsedCommand {
  readonly flags: Record<string, unknown>
  readonly args: Record<string, unknown>
  readonly argv: string[]
  /** `-v` count minus `-q` count. */
  readonly verbosity: number
  /** The values of pip's general options (declared by the command or not). */
  readonly general: Readonly<Record<string, OptionValue>>
  readonly target: TargetPrefix
}

/** Where an option's value came from: the command line, the configuration (files and `PIP_*`), or nowhere (its default). */
export function optionSource(flags: object, name: string): 'cli' | 'config' | undefined {
  return (flags as { [SOURCES]?: Record<string, 'cli' | 'config'> })[SOURCES]?.[name]
}

/** Every value of the order-sensitive options (`--only-binary`, `--no-binary`): configuration first, then the command line. */
export function orderedOptions(flags: object): readonly OrderedValue[] {
  return (flags as { [ORDERED]?: readonly OrderedValue[] })[ORDERED] ?? []
}

/** An error of the command line that is not optparse's (a missing or unexpected argument, exclusive options). */
function argumentError(message: string, hint: string): PipetteError {
  return new PipetteError('ERR_ARGUMENTS', message, { hint })
}

/** Parses a command's options and arguments from every source, as pip does (see the essay above). */
export async function parseCommand(input: ParseCommandInput): Promise<ParsedCommand> {
  const { configDefaults: defaultsOf, configurationItems, configSource, findTargetPrefix, loadConfiguration, OptionError, parseCommandLine, readConfigFile, pathExists } = await import('@pipette/config')
  // A bad configured value names the file or variable it was read from.
  const configDefaults = (options: Parameters<typeof defaultsOf>[0] & { configuration: Configuration }) => {
    try {
      return defaultsOf(options)
    } catch (error) {
      if (!(error instanceof OptionError) || error.configKey === undefined) throw error
      const origin = configSource(options.configuration, error.configKey)
      throw new OptionError(error.kind, error.message, error.hint ?? '', { cause: error.cause, configKey: error.configKey, origin })
    }
  }
  const env = input.env ?? process.env
  const cwd = input.cwd ?? process.cwd()
  const home = input.home ?? homedir()
  const declared = { ...GENERAL_OPTIONS, ...input.flags } as Readonly<Record<string, FlagDeclaration>>
  const specs: OptionSpec[] = specsFromFlags(declared)
  const cliOnly = parseCommandLine({ specs, argv: input.argv, home })
  const isolated = input.argv.includes('--isolated')
  // Files are read once, though the configuration is loaded twice (without, then with, the site file).
  const texts = new Map<string, string | null>()
  const stats = new Map<string, boolean>()
  const readFile = (path: string) => {
    if (!texts.has(path)) texts.set(path, readConfigFile(path))
    return texts.get(path) as string | null
  }
  const exists = (path: string) => {
    if (!stats.has(path)) stats.set(path, pathExists(path))
    return stats.get(path) as boolean
  }
  const load = (sitePrefix: string | null) => loadConfiguration({ env, home, sitePrefix, isolated, readFile, exists })
  let python = cliOnly.sources['python'] === 'cli' ? (cliOnly.values['python'] as string | undefined) : undefined
  if (python === undefined) {
    const pythonSpecs = specs.filter((spec) => spec.dest === 'python')
    const early = load(null)
    python = configDefaults({ specs: pythonSpecs, items: configurationItems(early), command: input.section, home, configuration: early }).values['python'] as string | undefined
  }
  const target = findTargetPrefix({ python, env, cwd })
  const configuration = load(target.prefix)
  const defaults = configDefaults({ specs, items: configurationItems(configuration), command: input.section, home, configuration })
  const parsed = parseCommandLine({ specs, argv: input.argv, defaults, home })

  const flags: Record<string, unknown> = {}
  const sources: Record<string, 'cli' | 'config'> = {}
  for (const [name, flag] of Object.entries(input.flags)) {
    const dest = flag.pip?.dest ?? name
    const value = parsed.values[dest]
    const source = parsed.sources[dest]
    if (flag.pip?.action === 'disable') {
      flags[name] = value === false ? true : undefined
    } else if (flag.pip?.action === 'count') {
      flags[name] = undefined
    } else if (value === false && declaredDisable(declared, name)) {
      flags[name] = undefined
    } else {
      flags[name] = Array.isArray(value) && value.length === 0 && flag.default === undefined ? undefined : value
    }
    if (source !== undefined) sources[name] = source
  }
  const verbosity = (Number(parsed.values['verbose'] ?? 0) || 0) - (Number(parsed.values['quiet'] ?? 0) || 0)
  if ('verbose' in input.flags) flags['verbose'] = verbosity > 0
  if ('quiet' in input.flags) flags['quiet'] = verbosity < 0
  Object.defineProperty(flags, SOURCES, { value: sources, enumerable: false })
  Object.defineProperty(flags, ORDERED, { value: parsed.ordered, enumerable: false })

  for (const [name, flag] of Object.entries(input.flags) as Array<[string, FlagDeclaration & { exclusive?: readonly string[] }]>) {
    for (const other of flag.exclusive ?? []) {
      if (flags[name] !== undefined && flags[name] !== false && flags[other] !== undefined && flags[other] !== false) {
        throw argumentError(`Can not combine '--${name}' and '--${other}'`, `Give one of them, e.g. --${name} ${String(flags[name])}`)
      }
    }
  }

  const positional = [...parsed.args]
  const argNames = Object.keys(input.args)
  if (input.strict && positional.length > argNames.length) {
    throw argumentError(`Unexpected argument${positional.length - argNames.length > 1 ? 's' : ''}: ${positional.slice(argNames.length).join(', ')}`, 'See the usage of the command with: pipette help <command>')
  }
  const args: Record<string, unknown> = {}
  argNames.forEach((name, index) => {
    const declaration = input.args[name] as ArgDeclaration
    const value = positional[index]
    if (value === undefined && declaration.required === true) throw argumentError(`Missing required argument: ${name}`, `Give it, e.g. pipette <command> <${name}>`)
    args[name] = value ?? declaration.default
  })
  return { flags, args, argv: positional, verbosity, general: parsed.values, target }
}

/** True when a `disable` flag of the command sets this flag's destination (`no-cache-dir` for `cache-dir`). */
function declaredDisable(flags: Readonly<Record<string, FlagDeclaration>>, name: string): boolean {
  return Object.values(flags).some((flag) => flag.pip?.action === 'disable' && flag.pip.dest === name)
}
