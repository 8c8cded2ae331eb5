import { createInterface } from 'node:readline'
import { Args } from '@oclif/core'
import { PipetteCommand } from '../base-command.js'
import { resolveTarget } from '../context.js'
import { generalOptions, uninstallOptions } from '../options/index.js'

export default class Uninstall extends PipetteCommand {
  static override summary = 'Uninstall packages.'
  static override description = 'Uninstall packages: the files their RECORD lists, their scripts and the directories left empty.'
  static override strict = false
  static override args = { package: Args.string({ description: 'The packages to uninstall.', required: false }) }
  static override flags = { ...generalOptions, ...uninstallOptions }

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Uninstall)
    const venv = await import('@pipette/venv')
    const { names, invalid } = await venv.collectUninstallRequests(argv as string[], flags.requirement ?? [])
    for (const text of invalid) {
      this.logToStderr(`WARNING: Invalid requirement: ${venv.pythonRepr(text)} ignored - the uninstall command expects named requirements.`)
    }
    if (names.length === 0) {
      this.logToStderr('ERROR: You must give at least one requirement to uninstall (see "pipette help uninstall")')
      this.exit(1)
    }
    const { info } = await resolveTarget(flags)
    if (!flags['break-system-packages']) {
      const managed = await venv.externallyManagedError(info)
      if (managed !== null) {
        this.logToStderr(`error: externally-managed-environment\n\n× This environment is externally managed\n╰─> ${managed.replaceAll('\n', '\n    ')}\n`)
        this.logToStderr('note: If you believe this is a mistake, please contact your Python installation or OS distribution provider. You can override this, at the risk of breaking your Python installation or OS, by passing --break-system-packages.')
        this.logToStderr('hint: See PEP 668 for the detailed specification.')
        this.exit(1)
      }
    }
    let scan = await venv.scanEnvironment(info)
    for (const warning of scan.warnings) this.logToStderr(`WARNING: ${warning}`)
    for (const name of names) {
      const dist = venv.findDistribution(scan, name)
      if (dist === undefined) {
        this.logToStderr(`WARNING: Skipping ${name} as it is not installed.`)
        continue
      }
      this.log(`Found existing installation: ${dist.name} ${dist.version}`)
      const plan = await venv.planUninstall(dist, info)
      if (plan.skipped !== null) this.log(plan.skipped)
      if (plan.paths.length === 0) {
        this.log(`Can't uninstall '${dist.name}'. No files were found to uninstall.`)
        continue
      }
      const nameVersion = `${dist.name}-${dist.version}`
      this.log(`Uninstalling ${nameVersion}:`)
      if (!flags.yes && !(await this.confirm(plan, flags.verbose))) continue
      const result = await venv.uninstall(plan)
      if (flags.verbose) for (const path of result.removed) this.log(`  Removing file or directory ${path}`)
      this.log(`  Successfully uninstalled ${nameVersion}`)
      scan = { ...scan, distributions: scan.distributions.filter((d) => d !== dist) }
    }
  }

  /** pip's confirmation: what would be removed, skipped and refused, then `Proceed (Y/n)?`. */
  private async confirm(plan: import('@pipette/venv').UninstallPlan, verbose: boolean): Promise<boolean> {
    const venv = await import('@pipette/venv')
    const display = (title: string, paths: readonly string[]) => {
      if (paths.length === 0) return
      this.log(`  ${title}`)
      for (const path of venv.pySorted(venv.compactPaths(paths))) this.log(`    ${path}`)
    }
    if (verbose) {
      display('Would remove:', plan.paths)
      display('Would not remove (outside of prefix):', plan.refused)
      display('Will actually move:', await venv.compressForRename(plan.paths))
    } else {
      const { remove, skip } = await venv.compressForOutputListing(plan.paths)
      display('Would remove:', remove)
      display('Would not remove (might be manually added):', skip)
      display('Would not remove (outside of prefix):', plan.refused)
    }
    return (await this.ask('Proceed (Y/n)? ', ['y', 'n', ''])) !== 'n'
  }

  private async ask(message: string, options: readonly string[]): Promise<string> {
    const venv = await import('@pipette/venv')
    if (process.env['PIP_NO_INPUT']) {
      this.logToStderr(`ERROR: No input was expected ($PIP_NO_INPUT set); question: ${message}`)
      this.exit(2)
    }
    const lines = createInterface({ input: process.stdin, terminal: false })[Symbol.asyncIterator]()
    try {
      for (;;) {
        process.stdout.write(message)
        const next = await lines.next()
        if (next.done) {
          this.logToStderr('ERROR: EOF when reading a line')
          this.exit(2)
        }
        const response = next.value.trim().toLowerCase()
        if (options.includes(response)) return response
        this.log(`Your response (${venv.pythonRepr(response)}) was not one of the expected responses: ${options.join(', ')}`)
      }
    } finally {
      await lines.return?.()
    }
  }
}
