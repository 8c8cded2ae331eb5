import { PipetteCommand } from '../../base-command.js'
import { configArguments, configOptions, generalOptions, loadConfigurationFor } from '../../options/index.js'

export default class ConfigGet extends PipetteCommand {
  static override summary = 'Get the value associated with command.option.'
  static override usage = 'config [<file-option>] get command.option'
  static override strict = false
  static override flags = { ...configOptions, ...generalOptions }

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ConfigGet)
    const configuration = await loadConfigurationFor('get', flags)
    const [key] = await configArguments(argv, 1, 'get [name]')
    const { configGet } = await import('@pipette/config')
    this.log(configGet(configuration, key as string))
  }
}
