import { relative } from 'node:path'
import { PipetteCommand } from '../base-command.js'
import { resolveTarget } from '../context.js'
import { generalOptions, venvArgs, venvOptions } from '../options/index.js'

export default class Venv extends PipetteCommand {
  static override summary = 'Create a virtual environment.'
  static override description =
    'Creates a virtual environment (as python -m venv --without-pip) for the interpreter given by --python, else the active or ./.venv environment\'s base interpreter, else python3 on PATH.'
  static override examples = ['<%= config.bin %> venv', '<%= config.bin %> venv --python python3.12 --prompt demo .venv']
  static override args = venvArgs
  static override flags = { ...generalOptions, ...venvOptions }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Venv)
    const { createVenv } = await import('@pipette/venv')
    const { info } = await resolveTarget(flags)
    const shown = relative(process.cwd(), args.dir) || '.'
    if (!flags.quiet) this.log(`Using ${info.markerEnvironment.platform_python_implementation} ${info.version} interpreter at: ${info.baseExecutable ?? info.executable}`)
    const venv = await createVenv(args.dir, {
      interpreter: info,
      prompt: flags.prompt,
      systemSitePackages: flags['system-site-packages'],
      clear: flags.clear,
    })
    if (flags.quiet) return
    this.log(`${venv.action === 'updated' ? 'Updating' : 'Creating'} virtual environment at: ${shown.startsWith('..') ? venv.directory : shown}`)
    this.log(`Activate with: source ${shown.startsWith('..') ? venv.directory : shown}/bin/activate`)
  }
}
