import { PipetteCommand } from '../base-command.js'
import { scanSelectedEnvironment } from '../context.js'
import { environmentSelectionOptions, excludeEditableOption, excludeOption, freezeOptions, generalOptions } from '../options/index.js'

export default class Freeze extends PipetteCommand {
  static override summary = 'Output installed packages in requirements format.'
  static override description = 'Output installed packages in requirements format. Packages are listed in a case-insensitive sorted order.'
  static override flags = { ...generalOptions, ...environmentSelectionOptions, ...freezeOptions, ...excludeEditableOption, ...excludeOption }

  async run(): Promise<void> {
    const { flags } = await this.parse(Freeze)
    const venv = await import('@pipette/venv')
    const { info, scan } = await scanSelectedEnvironment(flags)
    for (const warning of scan.warnings) this.logToStderr(`WARNING: ${warning}`)
    const lines = venv.freezeLines(scan, info, {
      localOnly: flags.local,
      userOnly: flags.user,
      all: flags.all,
      exclude: flags.exclude,
      excludeEditable: flags['exclude-editable'],
    })
    if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`)
  }
}
