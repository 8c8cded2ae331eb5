import { PipetteCommand } from '../base-command.js'
import { resolveTarget } from '../context.js'
import { generalOptions } from '../options/index.js'

export default class Check extends PipetteCommand {
  static override summary = 'Verify installed packages have compatible dependencies.'
  static override description =
    'Verify installed packages have compatible dependencies: every requirement installed and in range, every wheel supported on this platform.'
  static override flags = { ...generalOptions }

  async run(): Promise<void> {
    const { flags } = await this.parse(Check)
    const [venv, wheel] = await Promise.all([import('@pipette/venv'), import('@pipette/wheel')])
    const { info } = await resolveTarget(flags)
    const scan = await venv.scanEnvironment(info)
    for (const warning of scan.warnings) this.logToStderr(`WARNING: ${warning}`)
    const supportedTags = new Set(wheel.interpreterTags(info).map((tag) => wheel.tagToString(tag)))
    const result = await venv.checkEnvironment(scan, info, { supportedTags })
    for (const warning of result.warnings) this.logToStderr(`WARNING: ${warning}`)
    if (result.lines.length > 0) process.stdout.write(`${result.lines.join('\n')}\n`)
    if (!result.ok) this.exit(1)
  }
}
