import { Command } from '@oclif/core'
import type { Interfaces } from '@oclif/core'
import { isPipetteError, redactText } from '@pipette/errors'
import type { OptionValue } from '@pipette/config'

/** pip's exit codes (pip/_internal/cli/status_codes.py). */
export const ExitCode = {
  SUCCESS: 0,
  ERROR: 1,
  UNKNOWN_ERROR: 2,
  VIRTUALENV_NOT_FOUND: 3,
  PREVIOUS_BUILD_DIR_ERROR: 4,
  NO_MATCHES_FOUND: 23,
} as const

/** pip's usage block before an option error: `\nUsage:   \n  pipette install [options] ...\n\n`. */
export function usageBlock(lines: readonly string[]): string {
  return `\nUsage:   \n${lines.map((line) => `  ${line}`).join('\n')}\n\n`
}

/**
 * Base of every command: a command parses flags, calls a library, prints.
 *
 * `parse()` gives the command's flags their values from the command line,
 * the `PIP_*` variables and pip's configuration files with pip's semantics
 * (options/layer.ts over @pipette/config), instead of oclif's parser; then it
 * applies pip's CLI-wide options: `--require-virtualenv` (exit 3 outside a
 * virtual environment, for the commands pip checks), `--no-input` (exported
 * as `PIP_NO_INPUT=1`, as pip does), `--exists-action` (`PIP_EXISTS_ACTION`).
 *
 * Errors pipette throws on purpose are printed as pip prints them: a bad
 * option with the command's usage (exit 2), a bad configured value as
 * "An error occurred during configuration" (exit 3), others as
 * `ERROR: ...` and their hint (exit 1); never a stack trace, every URL
 * redacted.
 */
export abstract class PipetteCommand extends Command {
  /** `-v` count minus `-q` count, once parsed. */
  protected verbosity = 0
  /** Every general option's value (whether or not the command declares it), once parsed. */
  protected generalValues: Readonly<Record<string, OptionValue>> = {}

  /** pip's name of this command, which names its configuration section (`cache` for `cache dir`). */
  protected get pipCommandName(): string {
    return (this.id ?? '').split(/[: ]/)[0] ?? ''
  }

  protected override async parse<F extends Interfaces.OutputFlags<any>, B extends Interfaces.OutputFlags<any>, A extends Interfaces.OutputArgs<any>>(
    options?: Interfaces.Input<F, B, A>,
    argv: string[] = this.argv,
  ): Promise<Interfaces.ParserOutput<F, B, A>> {
    const input = (options ?? this.ctor) as Interfaces.Input<F, B, A> & { strict?: boolean }
    const { parseCommand } = await import('./options/layer.js')
    const parsed = await parseCommand({
      flags: (input.flags ?? {}) as never,
      args: (input.args ?? {}) as never,
      strict: input.strict !== false,
      argv,
      section: this.pipCommandName,
    })
    this.parsed = true
    this.verbosity = parsed.verbosity
    this.generalValues = parsed.general
    if (parsed.general['require-virtualenv'] === true && !parsed.target.isVirtualEnv) {
      const { IGNORE_REQUIRE_VIRTUALENV } = await import('./options/general.js')
      if (!IGNORE_REQUIRE_VIRTUALENV.has(this.pipCommandName)) {
        this.logToStderr('ERROR: Could not find an activated virtualenv (required).')
        this.exit(ExitCode.VIRTUALENV_NOT_FOUND)
      }
    }
    if (parsed.general['no-input'] === true) process.env['PIP_NO_INPUT'] = '1'
    const exists = parsed.general['exists-action']
    if (Array.isArray(exists) && exists.length > 0) process.env['PIP_EXISTS_ACTION'] = exists.join(' ')
    return { flags: parsed.flags, args: parsed.args, argv: parsed.argv, raw: [], metadata: { flags: {} }, nonExistentFlags: [] } as unknown as Interfaces.ParserOutput<F, B, A>
  }

  /** The usage lines pip prints before an option error. */
  protected usageLines(): string[] {
    const usage = this.ctor.usage
    const words = (this.id ?? '').replaceAll(':', ' ')
    if (usage === undefined) return [`pipette ${words} [options]`]
    return (Array.isArray(usage) ? usage : [usage]).map((line) => `pipette ${line}`)
  }

  protected override async catch(error: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (isPipetteError(error)) {
      const kind = (error as { kind?: unknown }).kind
      const origin = (error as { origin?: unknown }).origin
      const fromConfiguration = (error as { configKey?: unknown }).configKey !== undefined
      if (error.code === 'ERR_OPTION_USAGE' && kind === 'usage' && !fromConfiguration) {
        process.stderr.write(`${usageBlock(this.usageLines())}${redactText(error.message)}\n`)
        this.exit(ExitCode.UNKNOWN_ERROR)
      }
      if ((error.code === 'ERR_OPTION_USAGE' && kind === 'usage') || (error.code === 'ERR_OPTION_CONFIGURATION' && kind === 'configuration') || (error.code === 'ERR_CONFIG_FILE' && kind === 'file')) {
        // A bad configured value or file: pip's message as an ERROR, where the value was read, a hint; pip's exit code.
        const prefix = kind === 'configuration' ? 'An error occurred during configuration: ' : ''
        const lines = [`ERROR: ${prefix}${redactText(error.message).trimEnd()}`]
        if (typeof origin === 'string') lines.push(`  (from ${redactText(origin)})`)
        if (error.hint) lines.push(`hint: ${redactText(error.hint)}`)
        process.stderr.write(`${lines.join('\n')}\n`)
        this.exit(kind === 'configuration' ? ExitCode.VIRTUALENV_NOT_FOUND : ExitCode.UNKNOWN_ERROR)
      }
      this.logToStderr(`ERROR: ${redactText(error.message)}`)
      if (error.hint) this.logToStderr(`hint: ${redactText(error.hint)}`)
      this.exit(ExitCode.ERROR)
    }
    return super.catch(error)
  }
}
