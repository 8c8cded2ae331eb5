import { checkEnvironment, findDistribution, planUninstall, scanEnvironment, uninstall } from '@pipette/venv'
import type { EnvironmentScan, InstalledDistribution as SiteDistribution, InterpreterInfo } from '@pipette/venv'
import type { EnvironmentAccess, ExistingDistribution } from './install-files.js'

interface SiteExisting extends ExistingDistribution {
  readonly distribution: SiteDistribution
}

/**
 * The interpreter's environment as the installer sees it, through
 * `@pipette/venv`: distributions found on `sys.path` (scanned once), pip's
 * uninstall by RECORD for the ones being replaced, and pip's dependency check
 * after the install.
 */
export function siteEnvironment(info: InterpreterInfo): EnvironmentAccess {
  let scan: Promise<EnvironmentScan> | undefined
  return {
    async find(canonicalName) {
      scan ??= scanEnvironment(info)
      const distribution = findDistribution(await scan, canonicalName)
      if (distribution === undefined) return undefined
      const existing: SiteExisting = { name: distribution.name, version: distribution.version, distribution }
      return existing
    },
    async dependencyProblems(names) {
      const wanted = new Set(names)
      const result = await checkEnvironment(await scanEnvironment(info), info)
      return result.lines.filter((line) => wanted.has(line.split(' ', 1)[0]!))
    },
    async uninstall(existing) {
      const distribution = (existing as SiteExisting).distribution
      const plan = await planUninstall(distribution, info)
      const messages = plan.skipped === null ? [] : [plan.skipped]
      if (plan.paths.length === 0) {
        messages.push(`Can't uninstall '${distribution.name}'. No files were found to uninstall.`)
        return { removed: false, messages }
      }
      await uninstall(plan)
      return { removed: true, messages }
    },
  }
}
