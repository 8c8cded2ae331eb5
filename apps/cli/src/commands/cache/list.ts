import { PipetteCommand } from '../../base-command.js'
import { cacheDirOptions, cacheListOptions, generalOptions, rejectExtraArguments, requireCacheDir } from '../../options/index.js'

export default class CacheList extends PipetteCommand {
  static override summary = 'List filenames of packages stored in the cache.'
  static override usage = ['cache list [<pattern>] [--format=[human, abspath]]']
  static override strict = false
  static override flags = { ...generalOptions, ...cacheDirOptions, ...cacheListOptions }

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(CacheList)
    const dir = await requireCacheDir(flags, this.argv)
    const args = argv as string[]
    await rejectExtraArguments(args, 1, 'pipette cache list [<pattern>] [--format=[human, abspath]]')
    const { formatSize, listWheels } = await import('@pipette/cache')
    const wheels = await listWheels(dir, args[0] ?? '*')
    if (flags.format === 'abspath') {
      if (wheels.length > 0) this.log(wheels.map((wheel) => wheel.path).sort().join('\n'))
      return
    }
    if (wheels.length === 0) {
      this.log('No wheels cached.')
      return
    }
    this.log('Cache contents:\n')
    this.log(
      wheels
        .map((wheel) => ` - ${wheel.filename} (${formatSize(wheel.size)})`)
        .sort()
        .join('\n'),
    )
  }
}
