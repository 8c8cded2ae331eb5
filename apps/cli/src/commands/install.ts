import { PipetteCommand } from '../base-command.js'
import { resolveTarget } from '../context.js'
import {
  cacheOptions,
  generalOptions,
  indexOptions,
  installArgs,
  installOptions,
  networkOptions,
  requirementOptions,
  resolveIndexOptions,
  resolveOptions,
  selectionOptions,
  uninstallOptions,
} from '../options/index.js'

/** A local wheel file given as an argument (not a requirement, not a URL). */
function isWheelPath(arg: string): boolean {
  return arg.toLowerCase().endsWith('.whl') && !arg.includes('://') && !arg.includes(' @ ') && !arg.includes('@ ')
}

export default class Install extends PipetteCommand {
  static override summary = 'Install packages.'
  static override description =
    'Installs requirements (names with versions, -r files, -c constraints, wheel files, name @ URL) from package indexes and --find-links locations into the environment of --python, as pip does: resolves, downloads in parallel into the cache and installs from it. Wheel files alone (without an index option) are installed as given, dependencies checked but not fetched.'
  static override examples = [
    '<%= config.bin %> install -r requirements.txt',
    "<%= config.bin %> install 'requests>=2.31' --index-url http://127.0.0.1:8080/simple",
    '<%= config.bin %> install --dry-run --report report.json -r requirements.txt',
    '<%= config.bin %> install ./dist/demo-1.0-py3-none-any.whl',
    '<%= config.bin %> install --python .venv --no-deps --no-compile a-1.0-py3-none-any.whl b-2.0-py3-none-any.whl',
    '<%= config.bin %> install --target ./vendor demo-1.0-py3-none-any.whl',
  ]
  static override strict = false
  static override args = installArgs
  static override flags = {
    ...generalOptions,
    ...requirementOptions,
    ...installOptions,
    ...resolveOptions,
    'break-system-packages': uninstallOptions['break-system-packages'],
    ...selectionOptions,
    ...indexOptions,
    ...networkOptions,
    ...cacheOptions,
  }

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Install)
    const env = process.env
    const args = argv as string[]
    const index = resolveIndexOptions(flags)
    // Wheel files alone are installed as given (their dependencies checked, not fetched) unless an
    // index or find-links location is named on the command line.
    // (Not from PIP_* or pip.conf: a configured index does not turn a wheel-file install into a resolution.)
    const { optionSource } = await import('../options/layer.js')
    const explicitIndex = ['index-url', 'extra-index-url', 'find-links'].some((name) => optionSource(flags, name) === 'cli')
    const wheelFilesOnly =
      args.length > 0 && args.every(isWheelPath) && (flags.requirement ?? []).length === 0 && (flags.constraint ?? []).length === 0 && !flags['dry-run'] && flags.report === undefined && (flags['no-deps'] || !explicitIndex)
    if (args.length === 0 && (flags.requirement ?? []).length === 0) {
      const { PipetteError } = await import('@pipette/errors')
      throw new PipetteError('ERR_NO_REQUIREMENTS', 'You must give at least one requirement to install (see "pipette help install")', {
        hint: 'example: pipette install requests, or pipette install -r requirements.txt',
      })
    }
    const { cacheSettings } = await import('../options/cache.js')
    const cache = await cacheSettings(flags, this.argv)
    // The interpreter query runs Python: load what the index path needs meanwhile.
    if (!wheelFilesOnly) {
      for (const pending of [import('../install-index.js'), import('@pipette/installer'), import('@pipette/index')]) pending.catch(() => undefined)
    }
    const { info } = await resolveTarget(flags, { cacheDir: cache.dir })
    // pip refuses to install into an EXTERNALLY-MANAGED interpreter (PEP 668) unless told to, or given --target/--prefix.
    if (flags.target === undefined && flags.prefix === undefined && !flags['break-system-packages']) {
      const { externallyManagedError } = await import('@pipette/venv')
      const managed = await externallyManagedError(info)
      if (managed !== null) {
        this.logToStderr(`error: externally-managed-environment\n\n× This environment is externally managed\n╰─> ${managed.replaceAll('\n', '\n    ')}\n`)
        this.logToStderr(
          'note: If you believe this is a mistake, please contact your Python installation or OS distribution provider. You can override this, at the risk of breaking your Python installation or OS, by passing --break-system-packages.',
        )
        this.logToStderr('hint: See PEP 668 for the detailed specification.')
        this.exit(1)
      }
    }
    if (!wheelFilesOnly) {
      const { runIndexInstall } = await import('../install-index.js')
      await runIndexInstall({ io: { log: (line) => this.log(line), logToStderr: (line) => this.logToStderr(line) }, flags, argv: args, rawArgv: this.argv, cache, index, interpreter: info, env })
      this.warnIfRoot(flags['root-user-action'], info.isVirtualEnv)
      return
    }
    const { installWheelFiles, siteEnvironment } = await import('@pipette/wheel')
    const quiet = flags.quiet
    const out = (line: string) => {
      if (!quiet) this.log(line)
    }
    const result = await installWheelFiles({
      interpreter: info,
      wheels: args,
      noDeps: flags['no-deps'],
      compile: flags.compile,
      forceReinstall: flags['force-reinstall'],
      target: flags.target,
      upgrade: flags.upgrade,
      prefix: flags.prefix,
      environment: siteEnvironment(info),
      warnScriptLocation: flags['warn-script-location'],
      onEvent: (event) => {
        switch (event.kind) {
          case 'processing':
            return out(`Processing ${event.display}`)
          case 'already-installed':
            return out(`${event.name} is already installed with the same version as the provided wheel. Use --force-reinstall to force an installation of the wheel.`)
          case 'collected':
            return out(`Installing collected packages: ${event.names.join(', ')}`)
          case 'uninstalling':
            out(`  Attempting uninstall: ${event.name}`)
            return out(`    Found existing installation: ${event.existing.name} ${event.existing.version}`)
          case 'uninstall-message':
            return out(`    ${event.message}`)
          case 'uninstalled':
            out(`    Uninstalling ${event.existing.name}-${event.existing.version}:`)
            return out(`      Successfully uninstalled ${event.existing.name}-${event.existing.version}`)
          case 'warning':
            return this.logToStderr(`WARNING: ${event.message}`)
          case 'dependency-conflicts':
            return this.logToStderr(
              `ERROR: pipette's dependency resolver does not currently take into account all the packages that are installed. This behaviour is the source of the following dependency conflicts.\n${event.lines.join('\n')}`,
            )
          case 'installed':
            return undefined
        }
      },
    })
    if (result.installed.length > 0) out(`Successfully installed ${result.installed.map((d) => `${d.name}-${d.version}`).join(' ')}`)
    this.warnIfRoot(flags['root-user-action'], info.isVirtualEnv)
  }

  /** pip's warn_if_run_as_root: root, outside a virtual environment, on POSIX. */
  private warnIfRoot(action: string | undefined, isVirtualEnv: boolean): void {
    if (action === 'warn' && !isVirtualEnv && process.getuid?.() === 0 && process.platform !== 'win32' && process.platform !== 'cygwin') {
      this.logToStderr(
        "WARNING: Running pipette as the 'root' user can result in broken permissions and conflicting behaviour with the system package manager. It is recommended to use a virtual environment instead: https://pip.pypa.io/warnings/venv",
      )
    }
  }
}
