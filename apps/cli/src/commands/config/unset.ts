import { PipetteCommand } from '../../base-command.js'
import { configArguments, configOptions, generalOptions, loadConfigurationFor } from '../../options/index.js'

export default class ConfigUnset extends PipetteCommand {
  static override summary = 'Unset the value associated with command.option.'
  static override usage = 'config [<file-option>] unset command.option'
  static override strict = false
  static override flags = { ...configOptions, ...generalOptions }

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ConfigUnset)
    const configuration = await loadConfigurationFor('unset', flags)
    const [key] = await configArguments(argv, 1, 'unset [name]')
    const { configUnset, saveConfigFile } = await import('@pipette/config')
    const change = configUnset(configuration, key as string)
    this.log(`Writing to ${change.path}`)
    saveConfigFile(change.path, change.ini)
  }
}
