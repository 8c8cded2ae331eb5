import { PipetteCommand } from '../base-command.js'
import { resolveTarget } from '../context.js'
import { generalOptions, installArgs, installOptions, uninstallOptions } from '../options/index.js'

export default class Install extends PipetteCommand {
  static override summary = 'Install packages.'
  static override description = 'Installs wheel files (path/to/x.whl) into the environment of --python, as pip does. Installing from indexes comes later.'
  static override examples = [
    '<%= config.bin %> install ./dist/demo-1.0-py3-none-any.whl',
    '<%= config.bin %> install --python .venv --no-deps --no-compile a-1.0-py3-none-any.whl b-2.0-py3-none-any.whl',
    '<%= config.bin %> install --target ./vendor demo-1.0-py3-none-any.whl',
  ]
  static override strict = false
  static override args = installArgs
  static override flags = { ...generalOptions, ...installOptions, 'break-system-packages': uninstallOptions['break-system-packages'] }

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Install)
    const { installWheelFiles, siteEnvironment } = await import('@pipette/wheel')
    const { info } = await resolveTarget(flags)
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
    const quiet = flags.quiet
    const out = (line: string) => {
      if (!quiet) this.log(line)
    }
    const result = await installWheelFiles({
      interpreter: info,
      wheels: argv as string[],
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
    // pip's warn_if_run_as_root: root, outside a virtual environment, on POSIX.
    if (flags['root-user-action'] === 'warn' && !info.isVirtualEnv && process.getuid?.() === 0 && process.platform !== 'win32' && process.platform !== 'cygwin') {
      this.logToStderr(
        "WARNING: Running pipette as the 'root' user can result in broken permissions and conflicting behaviour with the system package manager. It is recommended to use a virtual environment instead: https://pip.pypa.io/warnings/venv",
      )
    }
  }
}
