import { Args, Flags } from '@oclif/core'
import { formatSize } from '@pipette/cache/format-size'
import { PipetteError } from '@pipette/errors'
import { PipetteCommand } from '../base-command.js'
import { resolveTarget } from '../context.js'
import { openIndex, readRequests } from '../index-session.js'
import { displayPath } from '../install-output.js'
import { cacheOptions, cacheSettings, generalOptions, indexOptions, lookingIn, networkOptions, requirementOptions, resolveIndexOptions, resolveOptions, selectionOptions } from '../options/index.js'

export default class Download extends PipetteCommand {
  static override summary = 'Download packages.'
  static override description =
    'Download packages and their dependencies from requirement specifiers, requirements files, indexes and --find-links locations, as pip download does (resolved as if nothing were installed; source distributions are saved, not built). With --no-deps each requirement gets its best file.'
  static override examples = [
    '<%= config.bin %> download requests -d ./wheels',
    '<%= config.bin %> download --no-deps requests -d ./wheels',
    "<%= config.bin %> download --no-deps 'numpy>=2' --index-url http://127.0.0.1:8080/simple",
    '<%= config.bin %> download --no-deps -r requirements.txt --no-index -f ./wheels',
  ]
  static override strict = false
  static override args = {
    requirements: Args.string({ description: 'Requirement specifiers (name, name==1.0, "name>=1,<2").', required: false }),
  }
  static override flags = {
    ...generalOptions,
    dest: Flags.string({ char: 'd', aliases: ['destination-dir', 'destination-directory'], helpValue: '<dir>', description: 'Download packages into <dir>. (default: the current directory)' }),
    'no-deps': Flags.boolean({ description: "Don't install package dependencies." }),
    ...requirementOptions,
    'only-binary': resolveOptions['only-binary'],
    'no-binary': resolveOptions['no-binary'],
    'require-hashes': resolveOptions['require-hashes'],
    'python-version': resolveOptions['python-version'],
    ...selectionOptions,
    ...indexOptions,
    ...networkOptions,
    ...cacheOptions,
  }

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Download)
    const env = process.env
    const noDeps = flags['no-deps'] === true
    const base = resolveIndexOptions(flags)
    const cache = await cacheSettings(flags, this.argv)
    const target = resolveTarget(flags, { cacheDir: cache.dir })
    if (noDeps && (flags.constraint ?? []).length === 0) {
      // Load the index path's modules while the interpreter answers (a Python run when its answer is not cached).
      void Promise.all([import('@pipette/requirements'), import('@pipette/index'), import('@pipette/cache'), import('@pipette/wheel/interpreter'), import('@pipette/wheel/tags')]).catch(() => undefined)
    }
    const { info } = await target
    if (!noDeps || (flags.constraint ?? []).length > 0) {
      const { runIndexDownload } = await import('../install-index.js')
      await runIndexDownload({
        io: { log: (line) => this.log(line), logToStderr: (line) => this.logToStderr(line) },
        flags: { ...flags, 'no-deps': noDeps },
        argv: argv as string[],
        rawArgv: this.argv,
        cache,
        index: base,
        interpreter: info,
        env,
        dest: flags.dest ?? process.cwd(),
      })
      return
    }
    const { requests, options } = await readRequests({
      args: argv as string[],
      files: flags.requirement ?? [],
      options: base,
      interpreter: info,
      env,
      ignored: (name, marker) => this.log(`Ignoring ${name}: markers '${marker}' don't match your environment`),
    })
    if (requests.length === 0) {
      throw new PipetteError('ERR_NO_REQUIREMENTS', 'You must give at least one requirement to download (maybe you meant "pipette download --no-deps <name>")', {
        hint: 'example: pipette download --no-deps requests, or -r requirements.txt',
      })
    }
    const quiet = flags.quiet === true
    const say = (line: string) => {
      if (!quiet) this.log(line)
    }
    for (const line of lookingIn(options)) say(line)
    const { downloadDistributions, pep440Versions } = await import('@pipette/index')
    const opened = await openIndex(options, { ...flags, interpreter: info }, this.argv, (message) => this.logToStderr(`WARNING: ${message}`))
    try {
      const dest = flags.dest ?? process.cwd()
      const results = await downloadDistributions({
        finder: opened.session.finder,
        http: opened.session.http,
        versions: pep440Versions,
        requests,
        dest,
        pre: options.pre,
        preferBinary: options.preferBinary,
        store: opened.store,
        retries: options.retries,
        onEvent: (event) => {
          switch (event.type) {
            case 'collecting':
              return say(`Collecting ${event.request.text}`)
            case 'processing':
              return say(`Processing ${event.path}`)
            case 'downloading':
              return say(`  Downloading ${event.filename}${event.size === undefined ? '' : ` (${formatSize(event.size)})`}`)
            case 'using-cached':
              return say(`  Using cached ${event.filename} (${formatSize(event.size)})`)
            case 'already-downloaded':
              return say(`  File was already downloaded ${event.path}`)
            case 'saved':
              return say(`Saved ${displayPath(event.path)}`)
          }
        },
      })
      say(`Successfully downloaded ${results.map((r) => r.request.name).join(' ')}`)
    } finally {
      await opened.close()
    }
  }
}
