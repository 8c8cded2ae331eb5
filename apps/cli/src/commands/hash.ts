import { Args } from '@oclif/core'
import { PipetteCommand } from '../base-command.js'
import { generalOptions, hashOptions } from '../options/index.js'

const ALGORITHMS = ['sha256', 'sha384', 'sha512'] as const

export default class Hash extends PipetteCommand {
  static override summary = 'Compute hashes of package archives.'
  static override description = 'Compute a hash of a local package archive.\n\nThese can be used with --hash in a requirements file to do repeatable installs.'
  static override usage = ['hash [options] <file> ...']
  static override strict = false
  static override args = { file: Args.string({ description: 'A local file to hash.', required: false }) }
  static override flags = { ...generalOptions, ...hashOptions }

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Hash)
    const algorithm = flags.algorithm
    if (!(ALGORITHMS as readonly string[]).includes(algorithm)) {
      this.logToStderr(`Usage:   pipette hash [options] <file> ...\n\noption -a: invalid choice: '${algorithm}' (choose from ${ALGORITHMS.map((name) => `'${name}'`).join(', ')})`)
      this.exit(2)
    }
    const files = argv as string[]
    if (files.length === 0) {
      this.logToStderr('\nUsage:   pipette hash [options] <file> ...\n')
      this.exit(1)
    }
    const { hashFile } = await import('@pipette/cache')
    for (const file of files) {
      this.log(`${file}:\n--hash=${algorithm}:${await hashFile(file, algorithm as (typeof ALGORITHMS)[number])}`)
    }
  }
}
