/**
 * The options a requirements-file line may carry, parsed as pip does: the
 * line is cut at the first space-separated token that starts with `-`; the
 * part before it is the requirement, the rest is split like a shell command
 * line (`shlex.split`) and read with optparse's rules: `--name=value` or
 * `--name value`, unambiguous prefixes of long names (`--extra-index` means
 * `--extra-index-url`), `-rFILE` or `-r FILE`, `--` ends the options, other
 * words are ignored (pip drops them too).
 *
 * Options are the subset pip 26 accepts in requirements files. Errors carry
 * optparse's wording ("no such option: --foo").
 */
import { shlexSplit } from './shlex.js'

export type OptionName =
  | 'index-url'
  | 'extra-index-url'
  | 'no-index'
  | 'constraint'
  | 'requirement'
  | 'editable'
  | 'find-links'
  | 'no-binary'
  | 'only-binary'
  | 'prefer-binary'
  | 'require-hashes'
  | 'pre'
  | 'trusted-host'
  | 'use-feature'
  | 'hash'
  | 'config-settings'

interface OptionSpec {
  readonly name: OptionName
  readonly long: readonly string[]
  readonly short?: string
  readonly takesValue: boolean
  readonly choices?: readonly string[]
}

/** pip 26's `--use-feature` choices (including the always-enabled ones, which pip accepts with a warning). */
export const USE_FEATURE_CHOICES: readonly string[] = [
  'fast-deps',
  'build-constraint',
  'inprocess-build-deps',
  'truststore',
  'no-binary-enable-wheel-cache',
]

/** The hash algorithms `--hash` accepts (pip's STRONG_HASHES). */
export const HASH_ALGORITHMS: readonly string[] = ['sha256', 'sha384', 'sha512']

const SPECS: readonly OptionSpec[] = [
  { name: 'index-url', long: ['--index-url', '--pypi-url'], short: '-i', takesValue: true },
  { name: 'extra-index-url', long: ['--extra-index-url'], takesValue: true },
  { name: 'no-index', long: ['--no-index'], takesValue: false },
  { name: 'constraint', long: ['--constraint'], short: '-c', takesValue: true },
  { name: 'requirement', long: ['--requirement'], short: '-r', takesValue: true },
  { name: 'editable', long: ['--editable'], short: '-e', takesValue: true },
  { name: 'find-links', long: ['--find-links'], short: '-f', takesValue: true },
  { name: 'no-binary', long: ['--no-binary'], takesValue: true },
  { name: 'only-binary', long: ['--only-binary'], takesValue: true },
  { name: 'prefer-binary', long: ['--prefer-binary'], takesValue: false },
  { name: 'require-hashes', long: ['--require-hashes'], takesValue: false },
  { name: 'pre', long: ['--pre'], takesValue: false },
  { name: 'trusted-host', long: ['--trusted-host'], takesValue: true },
  { name: 'use-feature', long: ['--use-feature'], takesValue: true, choices: USE_FEATURE_CHOICES },
  { name: 'hash', long: ['--hash'], takesValue: true },
  { name: 'config-settings', long: ['--config-settings'], short: '-C', takesValue: true },
]

const LONG = new Map<string, OptionSpec>()
const SHORT = new Map<string, OptionSpec>()
for (const spec of SPECS) {
  for (const long of spec.long) LONG.set(long, spec)
  if (spec.short !== undefined) SHORT.set(spec.short, spec)
}

export interface ParsedOption {
  readonly name: OptionName
  /** As written on the line (`--index-url`, `-i`, an abbreviation...). */
  readonly flag: string
  /** The value; `undefined` for flags. */
  readonly value: string | undefined
}

export interface SplitLine {
  /** The requirement part (may be empty). */
  readonly args: string
  readonly options: readonly ParsedOption[]
}

export class OptionFailure {
  constructor(readonly message: string) {}
}

/** pip's `break_args_options`: split at the first space-separated token starting with `-`. */
export function breakArgsOptions(line: string): { args: string; options: string } {
  const tokens = line.split(' ')
  let index = 0
  while (index < tokens.length && !tokens[index]!.startsWith('-')) index++
  return { args: tokens.slice(0, index).join(' '), options: tokens.slice(index).join(' ') }
}

function matchLong(flag: string): [OptionSpec, string] {
  const exact = LONG.get(flag)
  if (exact !== undefined) return [exact, flag]
  const candidates = [...LONG.keys()].filter((name) => name.startsWith(flag))
  if (candidates.length === 1) return [LONG.get(candidates[0]!)!, candidates[0]!]
  if (candidates.length === 0) throw new OptionFailure(`no such option: ${flag}`)
  throw new OptionFailure(`ambiguous option: ${flag} (${candidates.sort().join(', ')}?)`)
}

function checkValue(spec: OptionSpec, flag: string, value: string): void {
  if (spec.choices !== undefined && !spec.choices.includes(value)) {
    const choices = spec.choices.map((c) => `'${c}'`).join(', ')
    throw new OptionFailure(`option ${flag}: invalid choice: '${value}' (choose from ${choices})`)
  }
  if (spec.name === 'hash') {
    const colon = value.indexOf(':')
    if (colon === -1) {
      throw new OptionFailure(`Arguments to ${flag} must be a hash name followed by a value, like --hash=sha256:abcde...`)
    }
    if (!HASH_ALGORITHMS.includes(value.slice(0, colon))) {
      throw new OptionFailure(`Allowed hash algorithms for ${flag} are ${HASH_ALGORITHMS.join(', ')}.`)
    }
  }
  if (spec.name === 'config-settings' && !value.includes('=')) {
    throw new OptionFailure(`Arguments to ${flag} must be of the form KEY=VAL`)
  }
}

/** Splits a logical line into its requirement part and its options. Throws {@link OptionFailure}. */
export function parseLineOptions(line: string): SplitLine {
  const { args, options: optionText } = breakArgsOptions(line)
  if (optionText === '') return { args, options: [] }
  const words = shlexSplit(optionText)
  if (typeof words === 'string') throw new OptionFailure(`Could not split options: ${optionText}`)
  const options: ParsedOption[] = []
  let i = 0
  while (i < words.length) {
    const word = words[i]!
    i++
    if (word === '--') break
    if (word.startsWith('--')) {
      const eq = word.indexOf('=')
      const flag = eq === -1 ? word : word.slice(0, eq)
      const [spec, canonical] = matchLong(flag)
      if (spec.takesValue) {
        let value: string
        if (eq !== -1) value = word.slice(eq + 1)
        else {
          if (i >= words.length) throw new OptionFailure(`${canonical} option requires 1 argument`)
          value = words[i]!
          i++
        }
        checkValue(spec, canonical, value)
        options.push({ name: spec.name, flag: canonical, value })
      } else {
        if (eq !== -1) throw new OptionFailure(`${canonical} option does not take a value`)
        options.push({ name: spec.name, flag: canonical, value: undefined })
      }
    } else if (word.startsWith('-') && word.length > 1) {
      // A cluster of short options; every short option pip accepts here takes a value.
      const flag = word.slice(0, 2)
      const spec = SHORT.get(flag)
      if (spec === undefined) throw new OptionFailure(`no such option: ${flag}`)
      let value: string
      if (word.length > 2) value = word.slice(2)
      else {
        if (i >= words.length) throw new OptionFailure(`${flag} option requires 1 argument`)
        value = words[i]!
        i++
      }
      checkValue(spec, flag, value)
      options.push({ name: spec.name, flag, value })
    }
    // Anything else is a positional argument, which pip ignores.
  }
  return { args, options }
}
