import { PipetteCommand } from '../../base-command.js'
import { cacheDirOptions, generalOptions, rejectExtraArguments, requireCacheDir } from '../../options/index.js'

export default class CacheInfo extends PipetteCommand {
  static override summary = 'Show information about the cache.'
  static override strict = false
  static override flags = { ...generalOptions, ...cacheDirOptions }

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(CacheInfo)
    const dir = await requireCacheDir(flags, this.argv)
    await rejectExtraArguments(argv as string[], 0, 'pipette cache info')
    const { cacheInfo, formatSize } = await import('@pipette/cache')
    const info = await cacheInfo(dir)
    this.log(
      [
        `Package index page cache location: ${info.http.location}`,
        `Package index page cache size: ${formatSize(info.http.size)}`,
        `Number of HTTP files: ${info.http.count}`,
        `Wheels location: ${info.wheels.location}`,
        `Wheels size: ${formatSize(info.wheels.size)}`,
        `Number of wheels: ${info.wheels.count}`,
        `Unpacked wheels location: ${info.archives.location}`,
        `Unpacked wheels size: ${formatSize(info.archives.size)}`,
        `Number of unpacked wheels: ${info.archives.count}`,
      ].join('\n'),
    )
  }
}
