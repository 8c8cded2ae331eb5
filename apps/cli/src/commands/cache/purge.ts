import { PipetteCommand } from '../../base-command.js'
import { cacheDirOptions, generalOptions, rejectExtraArguments, requireCacheDir } from '../../options/index.js'

export default class CachePurge extends PipetteCommand {
  static override summary = 'Remove all items from the cache.'
  static override strict = false
  static override flags = { ...generalOptions, ...cacheDirOptions }

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(CachePurge)
    const dir = await requireCacheDir(flags, this.argv)
    await rejectExtraArguments(argv as string[], 0, 'pipette cache purge')
    const { formatSize, purgeCache } = await import('@pipette/cache')
    const result = await purgeCache(dir)
    if (result.files.length === 0) this.logToStderr('WARNING: No matching packages')
    if (flags.verbose) for (const file of result.files) this.log(`Removed ${file}`)
    this.log(`Files removed: ${result.files.length} (${formatSize(result.bytes)})`)
    this.log(`Directories removed: ${result.directories}`)
  }
}
