/**
 * From oclif flag declarations to @pipette/config's option specs: the one
 * place where a flag's oclif shape (boolean or option, `char`, `aliases`,
 * `multiple`, `options`, `default`, `allowNo`) becomes pip's (action, type,
 * choices, default). What oclif cannot say is in the flag's `pip` field:
 * `count` (-v), `disable` (--no-cache-dir), `append_raw` (--no-binary), and
 * the `int`, `float` and `path` types. No oclif import: main.ts uses this.
 */
import type { Interfaces } from '@oclif/core'
import type { OptionSpec } from '@pipette/config'

/** pip's part of a flag declaration. */
export interface PipFlagMeta {
  readonly action?: 'count' | 'disable' | 'append_raw'
  readonly type?: 'int' | 'float' | 'path'
  /** The destination, when the flag sets another flag's value (`no-cache-dir` sets `cache-dir`). */
  readonly dest?: string
}

/** The fields of an oclif flag this layer reads (oclif's flags have them; general.ts writes them out). */
export interface FlagDeclaration {
  readonly type: 'boolean' | 'option'
  readonly char?: Interfaces.AlphabetLowercase | Interfaces.AlphabetUppercase
  readonly aliases?: readonly string[]
  readonly multiple?: boolean
  readonly options?: readonly string[]
  readonly default?: unknown
  readonly allowNo?: boolean
  readonly description?: string
  readonly helpValue?: string
  readonly helpGroup?: string
  readonly hidden?: boolean
  readonly pip?: PipFlagMeta
}

/** Attaches pip's part to an oclif flag (read by `specsFromFlags`; the flag's type is unchanged, for oclif's inference). */
export function withPip<T extends object>(flag: T, pip: PipFlagMeta): T {
  return Object.assign(flag, { pip })
}

function staticDefault(value: unknown): OptionSpec['default'] {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[]
  return undefined
}

/**
 * The option specs of a set of flags, keyed by flag name (the spec's `dest`
 * is the flag name, or `pip.dest`). A boolean flag with `allowNo` also gives
 * `--no-<name>` (store_false). A multiple option flag is pip's `append`.
 */
export function specsFromFlags(flags: Readonly<Record<string, FlagDeclaration>>): OptionSpec[] {
  const specs: OptionSpec[] = []
  for (const [name, flag] of Object.entries(flags)) {
    const pip = flag.pip ?? {}
    const long = [name, ...(flag.aliases ?? [])]
    const short = flag.char === undefined ? undefined : [flag.char]
    const dest = pip.dest ?? name
    if (flag.type === 'boolean') {
      const action = pip.action === 'count' ? 'count' : pip.action === 'disable' ? 'disable' : 'store_true'
      specs.push({ dest, long, short, action, default: action === 'count' ? 0 : staticDefault(flag.default) })
      if (flag.allowNo === true) specs.push({ dest, long: [`no-${name}`], action: 'store_false' })
      continue
    }
    const action = pip.action === 'append_raw' ? 'append_raw' : flag.multiple === true ? 'append' : 'store'
    const fallback = staticDefault(flag.default)
    specs.push({
      dest,
      long,
      short,
      action,
      type: pip.type ?? (flag.options !== undefined ? 'choice' : 'string'),
      choices: flag.options,
      default: action === 'store' ? fallback : fallback === undefined ? undefined : Array.isArray(fallback) ? fallback : [String(fallback)],
    })
  }
  return specs
}
