import { PipetteError } from '@pipette/errors'
import { PipetteCommand } from '../../base-command.js'
import { cacheDirOptions, generalOptions, rejectExtraArguments, requireCacheDir } from '../../options/index.js'

export default class CacheRemove extends PipetteCommand {
  static override summary = 'Remove one or more package from the cache.'
  static override usage = ['cache remove <pattern>']
  static override strict = false
  static override flags = { ...generalOptions, ...cacheDirOptions }

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(CacheRemove)
    const dir = await requireCacheDir(flags, this.argv)
    const args = argv as string[]
    await rejectExtraArguments(args, 1, 'pipette cache remove <pattern>')
    const pattern = args[0]
    if (pattern === undefined) {
      throw new PipetteError('ERR_CACHE_PATTERN', 'Please provide a pattern', { hint: 'For example: pipette cache remove six' })
    }
    const { formatSize, removeWheels } = await import('@pipette/cache')
    const result = await removeWheels(dir, pattern)
    if (result.files.length === 0) {
      this.logToStderr(pattern === '*' ? 'WARNING: No matching packages' : `WARNING: No matching packages for pattern "${pattern}"`)
    }
    if (flags.verbose) for (const file of result.files) this.log(`Removed ${file}`)
    this.log(`Files removed: ${result.files.length} (${formatSize(result.bytes)})`)
    this.log(`Directories removed: ${result.directories}`)
  }
}
