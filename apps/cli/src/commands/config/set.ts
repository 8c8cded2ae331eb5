import { PipetteCommand } from '../../base-command.js'
import { configArguments, configOptions, generalOptions, loadConfigurationFor } from '../../options/index.js'

export default class ConfigSet extends PipetteCommand {
  static override summary = 'Set the command.option=value.'
  static override usage = 'config [<file-option>] set command.option value'
  static override strict = false
  static override flags = { ...configOptions, ...generalOptions }

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ConfigSet)
    const configuration = await loadConfigurationFor('set', flags)
    const [key, value] = await configArguments(argv, 2, 'set [name] [value]')
    const { configSet, saveConfigFile } = await import('@pipette/config')
    const change = configSet(configuration, key as string, value as string)
    this.log(`Writing to ${change.path}`)
    saveConfigFile(change.path, change.ini)
  }
}
