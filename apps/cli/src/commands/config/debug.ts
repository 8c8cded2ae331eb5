import { PipetteCommand } from '../../base-command.js'
import { configArguments, configOptions, generalOptions, loadConfigurationFor } from '../../options/index.js'

export default class ConfigDebug extends PipetteCommand {
  static override summary = 'List the configuration files and values defined under them.'
  static override usage = 'config [<file-option>] debug'
  static override strict = false
  static override flags = { ...configOptions, ...generalOptions }

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ConfigDebug)
    const configuration = await loadConfigurationFor('debug', flags)
    await configArguments(argv, 0, 'debug')
    const { configDebugLines } = await import('@pipette/config')
    for (const line of configDebugLines(configuration)) this.log(line)
  }
}
