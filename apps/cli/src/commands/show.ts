import { Args } from '@oclif/core'
import { PipetteCommand } from '../base-command.js'
import { resolveTarget } from '../context.js'
import { generalOptions, showOptions } from '../options/index.js'

export default class Show extends PipetteCommand {
  static override summary = 'Show information about installed packages.'
  static override description = 'Show information about one or more installed packages. The output is in RFC-compliant mail header format.'
  static override strict = false
  static override args = { package: Args.string({ description: 'The packages to show.', required: false }) }
  static override flags = { ...generalOptions, ...showOptions }

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Show)
    const names = argv as string[]
    if (names.length === 0) {
      this.logToStderr('WARNING: ERROR: Please provide a package name or names.')
      this.exit(1)
    }
    const venv = await import('@pipette/venv')
    const { info } = await resolveTarget(flags)
    const scan = await venv.scanEnvironment(info)
    for (const warning of scan.warnings) this.logToStderr(`WARNING: ${warning}`)
    const found = names.map((name) => venv.findDistribution(scan, name))
    const missing = venv.pySorted(names.filter((_, i) => found[i] === undefined))
    if (missing.length > 0) this.logToStderr(`WARNING: Package(s) not found: ${missing.join(', ')}`)
    const dists = found.filter((d) => d !== undefined)
    const deps = venv.showDependencies(scan, info, dists)
    const out: string[] = []
    for (const [i, dist] of dists.entries()) {
      const show = await venv.showInfo(dist)
      const { requires, requiredBy } = deps.get(dist)!
      if (i > 0) out.push('---')
      out.push(`Name: ${show.name}`, `Version: ${show.version}`, `Summary: ${show.summary}`, `Home-page: ${show.homepage}`)
      out.push(`Author: ${show.author}`, `Author-email: ${show.authorEmail}`)
      const metadataVersion = show.metadataVersion.split('.').map(Number)
      const modern = show.metadataVersion !== '' && (metadataVersion[0]! > 2 || (metadataVersion[0] === 2 && metadataVersion[1]! >= 4))
      out.push(modern && show.licenseExpression ? `License-Expression: ${show.licenseExpression}` : `License: ${show.license}`)
      out.push(`Location: ${show.location}`)
      if (show.editableProjectLocation !== null) out.push(`Editable project location: ${show.editableProjectLocation}`)
      out.push(`Requires: ${requires.join(', ')}`, `Required-by: ${requiredBy.join(', ')}`)
      if (flags.verbose) {
        out.push(`Metadata-Version: ${show.metadataVersion}`, `Installer: ${show.installer}`, 'Classifiers:')
        for (const classifier of show.classifiers) out.push(`  ${classifier}`)
        out.push('Entry-points:')
        for (const entry of show.entryPoints) out.push(`  ${entry.trim()}`)
        out.push('Project-URLs:')
        for (const url of show.projectUrls) out.push(`  ${url}`)
      }
      if (flags.files) {
        out.push('Files:')
        if (show.files === null) out.push('Cannot locate RECORD or installed-files.txt')
        else for (const file of show.files) out.push(`  ${file.trim()}`)
      }
    }
    if (out.length > 0) process.stdout.write(`${out.join('\n')}\n`)
    if (dists.length === 0) this.exit(1)
  }
}
