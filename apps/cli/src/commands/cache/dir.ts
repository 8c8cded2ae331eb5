import { PipetteCommand } from '../../base-command.js'
import { cacheDirOptions, generalOptions, rejectExtraArguments, requireCacheDir } from '../../options/index.js'

export default class CacheDir extends PipetteCommand {
  static override summary = 'Show the cache directory.'
  static override strict = false
  static override flags = { ...generalOptions, ...cacheDirOptions }

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(CacheDir)
    const dir = await requireCacheDir(flags, this.argv)
    await rejectExtraArguments(argv as string[], 0, 'pipette cache dir')
    this.log(dir)
  }
}
