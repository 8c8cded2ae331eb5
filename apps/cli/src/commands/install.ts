import { PipetteCommand } from '../base-command.js'
import { resolveTarget } from '../context.js'
import { generalOptions, installArgs, installOptions } from '../options/index.js'

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
  static override flags = { ...generalOptions, ...installOptions }

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Install)
    const { installWheelFiles } = await import('@pipette/wheel')
    const { info } = await resolveTarget(flags)
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
            out(`    Found existing installation: ${event.existing.name} ${event.existing.version}`)
            return out(`    Uninstalling ${event.existing.name}-${event.existing.version}:`)
          case 'uninstalled':
            return out(`      Successfully uninstalled ${event.existing.name}-${event.existing.version}`)
          case 'warning':
            return this.logToStderr(`WARNING: ${event.message}`)
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
