import { PipetteCommand } from '../base-command.js'
import { scanSelectedEnvironment } from '../context.js'
import { environmentSelectionOptions, generalOptions } from '../options/index.js'

export default class Inspect extends PipetteCommand {
  static override summary = 'Inspect the content of a Python environment.'
  static override description = "Inspect the content of a Python environment and produce a report in JSON format (pip's inspect report, version 1)."
  static override flags = { ...generalOptions, ...environmentSelectionOptions }

  async run(): Promise<void> {
    const { flags } = await this.parse(Inspect)
    const venv = await import('@pipette/venv')
    const { info, scan } = await scanSelectedEnvironment(flags)
    for (const warning of scan.warnings) this.logToStderr(`WARNING: ${warning}`)
    const report = venv.inspectReport(scan, info, { localOnly: flags.local, userOnly: flags.user, installerVersion: this.config.version })
    this.log(venv.pythonJson(report, { indent: 2, ensureAscii: false }))
  }
}
