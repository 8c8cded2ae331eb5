import { execute } from '@oclif/core'

/** Hands the command line to oclif (loaded only when a command needs it). */
export async function runOclif(argv: readonly string[], binUrl: string): Promise<void> {
  await execute({ args: [...argv], dir: binUrl })
}
