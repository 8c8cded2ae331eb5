import { Args, Flags } from '@oclif/core'
import { redactUrl } from '@pipette/errors'
import { PipetteCommand } from '../../base-command.js'
import { openIndex } from '../../index-session.js'
import { cacheOptions, generalOptions, indexOptions, networkOptions, resolveIndexOptions, selectionOptions } from '../../options/index.js'

export default class IndexVersions extends PipetteCommand {
  static override summary = 'List the versions of a package available from the package indexes.'
  static override description = 'Inspect information available from package indexes: every version with a file usable by the target interpreter, newest first (pre-releases with --pre).'
  static override examples = ['<%= config.bin %> index versions requests', '<%= config.bin %> index versions pip --pre --json', '<%= config.bin %> index versions demo --index-url http://127.0.0.1:8080/simple']
  static override args = {
    package: Args.string({ description: 'The package to look up.', required: true }),
  }
  static override flags = {
    ...generalOptions,
    ...indexOptions,
    ...networkOptions,
    pre: selectionOptions.pre,
    'ignore-requires-python': selectionOptions['ignore-requires-python'],
    ...cacheOptions,
    json: Flags.boolean({ description: 'Output the versions as JSON: {"name", "versions", "latest"}.' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(IndexVersions)
    const options = resolveIndexOptions(flags)
    const { availableVersions, pep440Versions } = await import('@pipette/index')
    const opened = await openIndex(options, flags, this.argv, (message) => this.logToStderr(`WARNING: ${redactUrl(message)}`))
    try {
      const result = await availableVersions(opened.session.finder, pep440Versions, args.package, { pre: options.pre })
      if (flags.json) {
        // json.dumps' default separators, as pip prints it.
        const j = (value: string) => JSON.stringify(value)
        this.log(`{"name": ${j(result.name)}, "versions": [${result.versions.map(j).join(', ')}], "latest": ${j(result.latest)}}`)
        return
      }
      this.log(`${result.name} (${result.latest})`)
      this.log(`Available versions: ${result.versions.join(', ')}`)
    } finally {
      await opened.close()
    }
  }
}
