/**
 * pip's option semantics, as one pure function of (option declarations,
 * configuration, command line).
 *
 * pip declares its options with optparse and subclasses the parser
 * (`ConfigOptionParser`) so that configuration becomes the options'
 * defaults before the command line is read:
 *
 * 1. Configuration items (`section.name = value`, see configuration.ts) are
 *    taken in three groups, in this order: the `[global]` section, the
 *    command's own section (`[install]`), then the environment variables
 *    (`PIP_<NAME>`). Within a group they come in the configuration's order
 *    (global, user, site files, then `PIP_CONFIG_FILE`'s file; the
 *    environment in its own order). Empty values are skipped. A later item
 *    overwrites an earlier one for the same destination, so `PIP_*` beats
 *    `[install]` which beats `[global]`, whatever file they are in.
 * 2. An item applies to the option whose long name is exactly the item's
 *    name (`no-deps`, or an alias such as `no-dependencies`); names that are
 *    not options of the command are ignored (a `[global]` value meant for
 *    another command).
 * 3. Its text is converted by the option's action: switches (store_true and
 *    store_false) take pip's strtobool value *as written*, so
 *    `PIP_NO_COMPILE=1` sets `compile` to true, as pip does; counts (`-v`)
 *    take a non-negative integer or a boolean; append options (`-f`) split
 *    the text on whitespace and replace what came before; others are
 *    converted by their type (int, float, path, choice). `--no-cache-dir`
 *    (pip's callback) accepts any valid boolean and always disables the
 *    cache, after every other item.
 * 4. Then the command line is parsed as optparse parses it: long options may
 *    be abbreviated to a unique prefix, `--name=value` or `--name value`,
 *    short options cluster (`-vv`, `-rfile`), `--` ends the options, a
 *    repeated option keeps its last value, counts add up and append options
 *    add to the configured list (`PIP_FIND_LINKS="a b" ... -f c` is a, b, c).
 *
 * Errors are pip's, with pip's exit codes (see errors.ts).
 */
import { OptionError } from './errors.js'
import { pyRepr, pySplit } from './python-text.js'
import { expandUser, optparseInt, pythonFloat, pythonInt, strtobool } from './values.js'

/**
 * What an option does with its argument, in optparse's words:
 * `store` (one value), `store_true` / `store_false` (switches), `count`
 * (`-v`), `append` (repeatable: a list), `disable` (pip's `--no-cache-dir`:
 * sets the destination to false) and `append_raw` (pip's `--no-binary` /
 * `--only-binary` callbacks: a list whose configuration values are kept
 * whole, and whose order with the other `append_raw` options is recorded).
 */
export type OptionAction = 'store' | 'store_true' | 'store_false' | 'count' | 'append' | 'disable' | 'append_raw'

/** How `store` and `append` options convert their text. `path` expands a leading `~`. */
export type OptionType = 'string' | 'int' | 'float' | 'path' | 'choice'

/** A value an option can end up with. */
export type OptionValue = string | number | boolean | readonly string[] | undefined

/** One option, as declared once: its names, its destination and how it reads values. */
export interface OptionSpec {
  /** Where the value goes; options may share one (`--compile` / `--no-compile`). */
  readonly dest: string
  /** Long names without the leading `--`; the first one is the option's name in messages. */
  readonly long: readonly string[]
  /** Short names: single characters without the `-`. */
  readonly short?: readonly string[] | undefined
  readonly action: OptionAction
  /** For `store` and `append` (default `string`; `choice` when `choices` are given). */
  readonly type?: OptionType | undefined
  readonly choices?: readonly string[] | undefined
  /** The value before any configuration. */
  readonly default?: OptionValue
}

/** One ordered occurrence of an `append_raw` option (`--no-binary`, `--only-binary`). */
export interface OrderedValue {
  readonly dest: string
  readonly value: string
}

/** The options' values, and where each value came from. */
export interface OptionValues {
  readonly values: Readonly<Record<string, OptionValue>>
  /** For each destination set by the configuration or the command line: `config` or `cli` (the last one). */
  readonly sources: Readonly<Record<string, 'config' | 'cli'>>
  /** Every `append_raw` value in the order pip applies them (configuration first). */
  readonly ordered: readonly OrderedValue[]
}

/** `configDefaults` input. */
export interface ConfigDefaultsInput {
  readonly specs: readonly OptionSpec[]
  /** The configuration's items (`section.name`, value), in the configuration's order. */
  readonly items: Iterable<readonly [string, string]>
  /** The command's section name: `install` reads `[install]` after `[global]`. */
  readonly command: string
  /** For `path` options (`~` expansion). */
  readonly home: string
}

/** `parseCommandLine` input. */
export interface ParseCommandLineInput {
  readonly specs: readonly OptionSpec[]
  readonly argv: readonly string[]
  /** Values to start from: `configDefaults(...)`, or nothing. */
  readonly defaults?: OptionValues | undefined
  /** false: stop at the first positional argument (pip's main parser, before the command name). Default true. */
  readonly interspersed?: boolean | undefined
  readonly home: string
}

/** `parseCommandLine` output: the values, and the positional arguments. */
export interface ParsedCommandLine extends OptionValues {
  readonly args: readonly string[]
}

function usage(message: string, hint: string): OptionError {
  return new OptionError('usage', message, hint)
}

/** Python's `textwrap.fill(text, 70)` for the simple messages pip wraps (no hyphen breaks). */
function fill(text: string): string {
  const lines: string[] = []
  let line = ''
  for (const word of pySplit(text)) {
    let rest = word
    while (rest.length > 0) {
      const room = line === '' ? 70 : 70 - line.length - 1
      if (rest.length <= room) {
        line = line === '' ? rest : `${line} ${rest}`
        rest = ''
      } else if (line !== '') {
        lines.push(line)
        line = ''
      } else {
        lines.push(rest.slice(0, 70))
        rest = rest.slice(70)
      }
    }
  }
  if (line !== '') lines.push(line)
  return lines.join('\n')
}

function typeOf(spec: OptionSpec): OptionType {
  return spec.type ?? (spec.choices !== undefined ? 'choice' : 'string')
}

function takesValue(spec: OptionSpec): boolean {
  return spec.action === 'store' || spec.action === 'append' || spec.action === 'append_raw'
}

/**
 * optparse's `check_value`: converts the text by the option's type, or throws
 * `OptionValueError`'s message (`option <name>: invalid integer value: 'x'`).
 */
function convert(spec: OptionSpec, name: string, value: string, home: string): { ok: true; value: string | number } | { ok: false; message: string } {
  switch (typeOf(spec)) {
    case 'int': {
      const n = optparseInt(value)
      return n === null ? { ok: false, message: `option ${name}: invalid integer value: ${pyRepr(value)}` } : { ok: true, value: n }
    }
    case 'float': {
      const n = pythonFloat(value)
      return n === null ? { ok: false, message: `option ${name}: invalid floating-point value: ${pyRepr(value)}` } : { ok: true, value: n }
    }
    case 'choice': {
      const choices = spec.choices ?? []
      if (choices.includes(value)) return { ok: true, value }
      return { ok: false, message: `option ${name}: invalid choice: ${pyRepr(value)} (choose from ${choices.map(pyRepr).join(', ')})` }
    }
    case 'path':
      return { ok: true, value: expandUser(value, home) }
    default:
      return { ok: true, value }
  }
}

function example(spec: OptionSpec): string {
  const name = spec.long[0] ?? spec.dest
  switch (typeOf(spec)) {
    case 'int':
      return `${name} = 5`
    case 'float':
      return `${name} = 15`
    case 'choice':
      return `${name} = ${spec.choices?.[0] ?? 'value'}`
    default:
      return spec.action === 'store_true' || spec.action === 'store_false' || spec.action === 'disable' ? `${name} = yes` : `${name} = value`
  }
}

function initialValues(specs: readonly OptionSpec[], home: string): Record<string, OptionValue> {
  const values: Record<string, OptionValue> = {}
  for (const spec of specs) {
    if (!(spec.dest in values) || values[spec.dest] === undefined) {
      const value = spec.default
      values[spec.dest] = typeof value === 'string' && typeOf(spec) === 'path' ? expandUser(value, home) : Array.isArray(value) ? [...value] : value
    }
  }
  return values
}

/**
 * pip's `ConfigOptionParser._update_defaults`: the options' values after the
 * configuration (`[global]`, then `[<command>]`, then `PIP_*`), before the
 * command line. Throws `OptionError` as pip fails.
 *
 * @example
 * configDefaults({ specs, items: [['global.timeout', '60'], [':env:.no-deps', 'yes']], command: 'install', home: '/root' }).values
 * // { timeout: 60, 'no-deps': true, ... }
 */
export function configDefaults(input: ConfigDefaultsInput): OptionValues {
  const byName = new Map<string, OptionSpec>()
  for (const spec of input.specs) for (const name of spec.long) byName.set(name, spec)
  const groups = new Map<string, Array<readonly [string, string]>>([
    ['global', []],
    [input.command, []],
    [':env:', []],
  ])
  for (const [key, value] of input.items) {
    if (value === '') continue
    const dot = key.indexOf('.')
    if (dot === -1) continue
    groups.get(key.slice(0, dot))?.push([key.slice(dot + 1), value])
  }
  const values = initialValues(input.specs, input.home)
  const sources: Record<string, 'config' | 'cli'> = {}
  const ordered: OrderedValue[] = []
  const late: string[] = []
  for (const [section, group] of groups) {
    for (const [name, text] of group) {
      const spec = byName.get(name)
      if (spec === undefined) continue
      const configKey = `${section}.${name}`
      const usage = (message: string, hint: string) => new OptionError('usage', message, hint, { configKey })
      const invalid = (message: string, hint: string) => new OptionError('configuration', message, hint, { configKey })
      const hint = `Fix or remove "${name}" in the configuration (PIP_${name.toUpperCase().replaceAll('-', '_')} or a pip.conf file), e.g. ${example(spec)}`
      sources[spec.dest] = 'config'
      switch (spec.action) {
        case 'store_true':
        case 'store_false': {
          const bool = strtobool(text)
          if (bool === null) throw usage(`${text} is not a valid value for ${name} option, please specify a boolean value like yes/no, true/false or 1/0 instead.`, hint)
          values[spec.dest] = bool === 1
          break
        }
        case 'count': {
          const bool = strtobool(text)
          const count = bool ?? pythonInt(text, 10)
          if (count === null || count < 0) {
            throw usage(
              `${count === null ? text : count} is not a valid value for ${name} option, please instead specify either a non-negative integer or a boolean value like yes/no or false/true which is equivalent to 1/0.`,
              hint,
            )
          }
          values[spec.dest] = count
          break
        }
        case 'append': {
          const list: string[] = []
          for (const word of pySplit(text)) {
            const converted = convert(spec, name, word, input.home)
            if (!converted.ok) throw invalid(converted.message, hint)
            list.push(String(converted.value))
          }
          values[spec.dest] = list
          break
        }
        case 'append_raw': {
          const current = values[spec.dest]
          values[spec.dest] = [...(Array.isArray(current) ? (current as string[]) : []), text]
          ordered.push({ dest: spec.dest, value: text })
          break
        }
        case 'disable': {
          if (strtobool(text) === null) throw usage(fill(`--${spec.long[0]} error: invalid truth value ${pyRepr(text)}`), hint)
          late.push(spec.dest)
          break
        }
        default: {
          const converted = convert(spec, name, text, input.home)
          if (!converted.ok) throw invalid(converted.message, hint)
          values[spec.dest] = converted.value
        }
      }
    }
  }
  for (const dest of late) values[dest] = false
  return { values, sources, ordered }
}

function matchLong(name: string, longs: ReadonlyMap<string, OptionSpec>): string {
  if (longs.has(name)) return name
  const possibilities = [...longs.keys()].filter((word) => word.startsWith(name))
  if (possibilities.length === 1) return possibilities[0] as string
  if (possibilities.length === 0) throw usage(`no such option: ${name}`, 'See the options of the command with: pipette help <command>')
  possibilities.sort()
  throw usage(`ambiguous option: ${name} (${possibilities.join(', ')}?)`, `Spell the option out, e.g. ${possibilities[0]}`)
}

/**
 * optparse's `parse_args` over the declared options: the values (starting
 * from `defaults`) and the positional arguments. Throws `OptionError`
 * (`usage`) as optparse does: `no such option: --x`, `ambiguous option: --n
 * (--no-deps, --no-index?)`, `--format option requires 1 argument`,
 * `--no-deps option does not take a value`, `option --format: invalid choice: ...`.
 *
 * @example
 * parseCommandLine({ specs, argv: ['-vv', '--no-d', 'x'], home: '/root' })
 * // { values: { verbose: 2, 'no-deps': true, ... }, args: ['x'], ... }
 */
export function parseCommandLine(input: ParseCommandLineInput): ParsedCommandLine {
  const longs = new Map<string, OptionSpec>()
  const shorts = new Map<string, OptionSpec>()
  for (const spec of input.specs) {
    for (const name of spec.long) longs.set(`--${name}`, spec)
    for (const name of spec.short ?? []) shorts.set(`-${name}`, spec)
  }
  const values: Record<string, OptionValue> = input.defaults === undefined ? initialValues(input.specs, input.home) : { ...input.defaults.values }
  for (const [dest, value] of Object.entries(values)) if (Array.isArray(value)) values[dest] = [...value]
  const sources: Record<string, 'config' | 'cli'> = { ...(input.defaults?.sources ?? {}) }
  const ordered: OrderedValue[] = [...(input.defaults?.ordered ?? [])]
  const interspersed = input.interspersed ?? true
  const rargs = [...input.argv]
  const largs: string[] = []

  const apply = (spec: OptionSpec, opt: string, value: string | undefined) => {
    sources[spec.dest] = 'cli'
    switch (spec.action) {
      case 'store_true':
        values[spec.dest] = true
        return
      case 'store_false':
        values[spec.dest] = false
        return
      case 'disable':
        values[spec.dest] = false
        return
      case 'count': {
        const current = values[spec.dest]
        values[spec.dest] = (typeof current === 'number' ? current : 0) + 1
        return
      }
      default: {
        const converted = convert(spec, opt, value as string, input.home)
        if (!converted.ok) throw usage(converted.message, `Give a valid value, e.g. --${spec.long[0] ?? spec.dest} ${example(spec).split(' = ')[1] ?? ''}`.trim())
        if (spec.action === 'store') {
          values[spec.dest] = converted.value
          return
        }
        const current = values[spec.dest]
        values[spec.dest] = [...(Array.isArray(current) ? (current as string[]) : []), String(converted.value)]
        if (spec.action === 'append_raw') ordered.push({ dest: spec.dest, value: String(converted.value) })
      }
    }
  }

  while (rargs.length > 0) {
    const arg = rargs[0] as string
    if (arg === '--') {
      rargs.shift()
      break
    }
    if (arg.startsWith('--')) {
      rargs.shift()
      const eq = arg.indexOf('=')
      let opt = arg
      let explicit = false
      if (eq !== -1) {
        opt = arg.slice(0, eq)
        rargs.unshift(arg.slice(eq + 1))
        explicit = true
      }
      opt = matchLong(opt, longs)
      const spec = longs.get(opt) as OptionSpec
      let value: string | undefined
      if (takesValue(spec)) {
        if (rargs.length === 0) throw usage(`${opt} option requires 1 argument`, `Give a value: ${opt}=<value>`)
        value = rargs.shift() as string
      } else if (explicit) {
        throw usage(`${opt} option does not take a value`, `Write ${opt} alone`)
      }
      apply(spec, opt, value)
    } else if (arg.startsWith('-') && arg !== '-') {
      rargs.shift()
      const chars = Array.from(arg)
      for (let i = 1; i < chars.length; i++) {
        const opt = `-${chars[i] as string}`
        const spec = shorts.get(opt)
        if (spec === undefined) throw usage(`no such option: ${opt}`, 'See the options of the command with: pipette help <command>')
        let value: string | undefined
        let stop = false
        if (takesValue(spec)) {
          if (i + 1 < chars.length) {
            rargs.unshift(chars.slice(i + 1).join(''))
            stop = true
          }
          if (rargs.length === 0) throw usage(`${opt} option requires 1 argument`, `Give a value: ${opt} <value>`)
          value = rargs.shift() as string
        }
        apply(spec, opt, value)
        if (stop) break
      }
    } else if (interspersed) {
      largs.push(rargs.shift() as string)
    } else {
      break
    }
  }
  return { values, sources, ordered, args: [...largs, ...rargs] }
}
