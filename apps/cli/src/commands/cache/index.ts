import { PipetteError } from '@pipette/errors'
import { PipetteCommand } from '../../base-command.js'
import { cacheDirOptions, generalOptions } from '../../options/index.js'

const ACTIONS = ['dir', 'info', 'list', 'purge', 'remove']

/** `pipette cache` without a known action: pip's error. The actions are `cache dir`, `cache info`, ... */
export default class Cache extends PipetteCommand {
  static override summary = "Inspect and manage pipette's wheel cache."
  static override description = [
    'Subcommands:',
    '',
    '- dir: Show the cache directory.',
    '- info: Show information about the cache.',
    '- list: List filenames of packages stored in the cache.',
    '- remove: Remove one or more package from the cache.',
    '- purge: Remove all items from the cache.',
    '',
    '<pattern> can be a glob expression or a package name.',
  ].join('\n')
  static override usage = ['cache dir', 'cache info', 'cache list [<pattern>] [--format=[human, abspath]]', 'cache remove <pattern>', 'cache purge']
  static override strict = false
  static override flags = { ...generalOptions, ...cacheDirOptions }

  async run(): Promise<void> {
    await this.parse(Cache)
    throw new PipetteError('ERR_CACHE_ACTION', `Need an action (${ACTIONS.join(', ')}) to perform.`, {
      hint: 'For example: pipette cache dir',
    })
  }
}
