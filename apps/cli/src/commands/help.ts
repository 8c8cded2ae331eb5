import { Args, loadHelpClass } from '@oclif/core'
import { PipetteCommand } from '../base-command.js'

export default class Help extends PipetteCommand {
  static override summary = 'Show help for commands.'
  static override strict = false
  static override args = {
    command: Args.string({ description: 'The command to show help for.', required: false }),
  }

  async run(): Promise<void> {
    const { argv } = await this.parse(Help)
    const HelpClass = await loadHelpClass(this.config)
    await new HelpClass(this.config, { all: true }).showHelp(argv as string[])
  }
}
