import { PipetteCommand } from '../../base-command.js'
import { configOptions, generalOptions, loadConfigurationFor } from '../../options/index.js'

export default class ConfigEdit extends PipetteCommand {
  static override summary = 'Edit the configuration file in an editor.'
  static override usage = 'config [<file-option>] [--editor <editor-path>] edit'
  static override strict = false
  static override flags = { ...configOptions, ...generalOptions }

  async run(): Promise<void> {
    const { flags } = await this.parse(ConfigEdit)
    const { ConfigCommandError, fileToEdit } = await import('@pipette/config')
    const editor = flags.editor ?? process.env['VISUAL'] ?? process.env['EDITOR']
    if (editor === undefined) throw new ConfigCommandError('Could not determine editor to use.', 'Pass one, e.g. --editor vi, or set VISUAL or EDITOR')
    const configuration = await loadConfigurationFor('edit', flags)
    const path = fileToEdit(configuration)
    if (path.includes('"')) throw new ConfigCommandError(`Can not open an editor for a file name containing "\n${path}`, 'Use a configuration file whose path has no double quote')
    // As pip: the editor runs through the shell, so it may carry arguments (EDITOR="code --wait").
    const { spawnSync } = await import('node:child_process')
    const result = spawnSync(`${editor} "${path}"`, { shell: true, stdio: 'inherit' })
    if (result.error !== undefined) throw result.error
    if (result.status !== 0) throw new ConfigCommandError(`Editor Subprocess exited with exit code ${result.status ?? 1}`, `Check the editor: ${editor}`)
  }
}
