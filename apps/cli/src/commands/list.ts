import { PipetteCommand } from '../base-command.js'
import { scanSelectedEnvironment } from '../context.js'
import { environmentSelectionOptions, excludeEditableOption, excludeOption, generalOptions, listOptions } from '../options/index.js'

export default class List extends PipetteCommand {
  static override summary = 'List installed packages.'
  static override description = 'List installed packages, including editables. Packages are listed in a case-insensitive sorted order.'
  static override flags = { ...generalOptions, ...listOptions, ...environmentSelectionOptions, ...excludeEditableOption, ...excludeOption }

  async run(): Promise<void> {
    const { flags } = await this.parse(List)
    const venv = await import('@pipette/venv')
    if (flags.outdated && flags.uptodate) this.fail('Options --outdated and --uptodate cannot be combined.')
    if (flags.outdated && flags.format === 'freeze') this.fail("List format 'freeze' cannot be used with the --outdated option.")
    if (flags.outdated || flags.uptodate) this.fail('--outdated and --uptodate need an index, which pipette list does not query yet.')
    const { info, scan } = await scanSelectedEnvironment(flags)
    for (const warning of scan.warnings) this.logToStderr(`WARNING: ${warning}`)
    let packages = venv.listPackages(scan, {
      localOnly: flags.local,
      userOnly: flags.user,
      editablesOnly: flags.editable,
      includeEditables: !flags['exclude-editable'],
      exclude: flags.exclude,
    })
    if (flags['not-required']) {
      const required = venv.requiredNames(packages.map((p) => p.distribution), info)
      packages = packages.filter((p) => !required.has(p.canonicalName))
    }
    const verbose = flags.verbose
    if (flags.format === 'json') {
      const data = packages.map((p) => ({
        name: p.name,
        version: p.displayVersion,
        ...(verbose ? { location: p.location, installer: p.installer } : {}),
        ...(p.editableProjectLocation ? { editable_project_location: p.editableProjectLocation } : {}),
      }))
      this.log(venv.pythonJson(data))
    } else if (flags.format === 'freeze') {
      for (const p of packages) {
        const line = `${p.name}${p.validVersion ? '==' : '==='}${p.displayVersion}`
        this.log(verbose ? `${line} (${p.location})` : line)
      }
    } else {
      const buildTags = await Promise.all(packages.map((p) => venv.wheelBuildTag(p.distribution)))
      const hasBuildTags = buildTags.some((tag) => tag)
      const hasEditables = packages.some((p) => p.editableProjectLocation !== null)
      // pip 26 fills rows as build, editable, location, installer but titles them build, location,
      // installer, editable; pipette keeps each title over its column (pip 23's order).
      const header = ['Package', 'Version', ...(hasBuildTags ? ['Build'] : []), ...(hasEditables ? ['Editable project location'] : []), ...(verbose ? ['Location', 'Installer'] : [])]
      const rows = packages.map((p, i) => [
        p.name,
        p.version,
        ...(hasBuildTags ? [buildTags[i] ?? ''] : []),
        ...(hasEditables ? [p.editableProjectLocation ?? ''] : []),
        ...(verbose ? [p.location, p.installer] : []),
      ])
      for (const line of venv.formatColumns(header, rows)) this.log(line)
    }
  }

  private fail(message: string): never {
    this.logToStderr(`ERROR: ${message}`)
    this.exit(1)
  }
}
