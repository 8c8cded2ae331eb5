import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'

/**
 * Runs the CLI. `pipette --version` (and `-V`) is answered without loading
 * oclif: it is the start-up benchmark and the command scripts call most often.
 */
export async function runCli(argv: readonly string[], binUrl: string): Promise<void> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    process.stdout.write(`${versionLine(binUrl)}\n`)
    return
  }
  const { runOclif } = await import('./run-oclif.js')
  await runOclif(argv, binUrl)
}

/** pip prints `pip X from DIR (python Y)`; pipette prints the same shape. */
export function versionLine(binUrl: string): string {
  const root = dirname(dirname(fileURLToPath(binUrl)))
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
  return `pipette ${pkg.version} from ${root} (node ${process.versions.node})`
}
