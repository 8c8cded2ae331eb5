import { PipetteError } from '@pipette/errors'

/**
 * How pip reports a bad option, which decides what the CLI prints and its exit code:
 * - `usage`: optparse's `parser.error()`: the command's usage, then the message,
 *   on stderr, exit 2 (an unknown option, a missing argument, a bad choice on the
 *   command line, an invalid boolean or count in the configuration);
 * - `configuration`: pip's `check_default`: "An error occurred during
 *   configuration: <message>" on stdout, exit 3 (a configuration value of the
 *   wrong type or not among the choices);
 * - `file`: a configuration file pip cannot read: the message alone on stderr, exit 2.
 */
export type OptionErrorKind = 'usage' | 'configuration' | 'file'

const EXIT_CODES: Record<OptionErrorKind, number> = { usage: 2, configuration: 3, file: 2 }

/** A bad option or configuration value, reported as pip reports it (see `OptionErrorKind`). */
export class OptionError extends PipetteError {
  readonly kind: OptionErrorKind
  /** pip's exit code for it: 2 for `usage` and `file`, 3 for `configuration`. */
  readonly exitCode: number

  /**
   * The configuration item whose value is wrong (`global.timeout`, `:env:.no-deps`), when the
   * error comes from the configuration (`configSource` says which file or variable holds it).
   */
  readonly configKey: string | undefined
  /** Where that item's value was read (`[global] timeout in /etc/pip.conf`, `the PIP_TIMEOUT environment variable`), once known. */
  readonly origin: string | undefined

  constructor(kind: OptionErrorKind, message: string, hint: string, options: { cause?: unknown; configKey?: string | undefined; origin?: string | undefined } = {}) {
    super(kind === 'usage' ? 'ERR_OPTION_USAGE' : kind === 'configuration' ? 'ERR_OPTION_CONFIGURATION' : 'ERR_CONFIG_FILE', message, { hint, cause: options.cause })
    this.kind = kind
    this.exitCode = EXIT_CODES[kind]
    this.configKey = options.configKey
    this.origin = options.origin
  }
}

/** An error of `pipette config` (pip's `PipError` there): printed as `ERROR: <message>`, exit 1. */
export class ConfigCommandError extends PipetteError {
  constructor(message: string, hint: string) {
    super('ERR_CONFIG_COMMAND', message, { hint })
  }
}
