import { PipetteCommand } from '../../base-command.js'
import { configArguments, configOptions, generalOptions, loadConfigurationFor } from '../../options/index.js'

export default class ConfigList extends PipetteCommand {
  static override summary = 'List the active configuration (or from the file specified).'
  static override usage = 'config [<file-option>] list'
  static override strict = false
  static override flags = { ...configOptions, ...generalOptions }

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ConfigList)
    const configuration = await loadConfigurationFor('list', flags)
    await configArguments(argv, 0, 'list')
    const { configListLines } = await import('@pipette/config')
    for (const line of configListLines(configuration)) this.log(line)
  }
}
