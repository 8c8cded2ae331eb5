import { Command } from '@oclif/core'
import { isPipetteError, redactText } from '@pipette/errors'

/** pip's exit codes (pip/_internal/cli/status_codes.py). */
export const ExitCode = {
  SUCCESS: 0,
  ERROR: 1,
  UNKNOWN_ERROR: 2,
  VIRTUALENV_NOT_FOUND: 3,
  PREVIOUS_BUILD_DIR_ERROR: 4,
  NO_MATCHES_FOUND: 23,
} as const

/**
 * Base of every command: a command parses flags, calls a library, prints.
 * Errors pipette throws on purpose are printed as pip prints them
 * (`ERROR: ...` on stderr, then the hint) with exit code 1 and no stack trace;
 * every URL in them is redacted.
 */
export abstract class PipetteCommand extends Command {
  protected override async catch(error: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (isPipetteError(error)) {
      this.logToStderr(`ERROR: ${redactText(error.message)}`)
      if (error.hint) this.logToStderr(`hint: ${redactText(error.hint)}`)
      this.exit(ExitCode.ERROR)
    }
    return super.catch(error)
  }
}
