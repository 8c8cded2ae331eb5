import { PipetteCommand } from '../../base-command.js'
import { CONFIG_ACTIONS, configOptions, generalOptions } from '../../options/index.js'

/** `pipette config` without a known action: pip's error. The actions are `config list`, `config get`, ... */
export default class Config extends PipetteCommand {
  static override summary = 'Manage local and global configuration.'
  static override description = [
    'Subcommands:',
    '',
    '- list: List the active configuration (or from the file specified)',
    '- edit: Edit the configuration file in an editor',
    '- get: Get the value associated with command.option',
    '- set: Set the command.option=value',
    '- unset: Unset the value associated with command.option',
    '- debug: List the configuration files and values defined under them',
    '',
    'Configuration keys should be dot separated command and option name, with the special prefix "global" affecting any command. For example, "pipette config set global.index-url https://example.org/" would configure the index url for all commands, but "pipette config set download.timeout 10" would configure a 10 second timeout only for "pipette download" commands.',
    '',
    'If none of --user, --global and --site are passed, a virtual environment configuration file is used if one is active and the file exists. Otherwise, all modifications happen to the user file by default.',
  ].join('\n')
  static override usage = [
    'config [<file-option>] list',
    'config [<file-option>] [--editor <editor-path>] edit',
    'config [<file-option>] get command.option',
    'config [<file-option>] set command.option value',
    'config [<file-option>] unset command.option',
    'config [<file-option>] debug',
  ]
  static override strict = false
  static override flags = { ...configOptions, ...generalOptions }

  async run(): Promise<void> {
    const { argv } = await this.parse(Config)
    const action = argv[0] as string | undefined
    if (action !== undefined && (CONFIG_ACTIONS as readonly string[]).includes(action)) {
      // An action after options main.ts could not see past (`config --editor vim edit`): run it.
      const rest = [...this.argv]
      rest.splice(rest.indexOf(action), 1)
      await this.config.runCommand(`config:${action}`, rest)
      return
    }
    const { ConfigCommandError } = await import('@pipette/config')
    throw new ConfigCommandError(`Need an action (${CONFIG_ACTIONS.join(', ')}) to perform.`, 'For example: pipette config list')
  }
}
