/**
 * Dependencies between installed distributions, as pip 26 works them out for
 * `show` (Requires, Required-by), `list --not-required` and `check`.
 *
 * A distribution's dependencies are its `Requires-Dist` requirements (parsed
 * by @pipette/requirements with packaging's rules) whose marker is absent or
 * true in the interpreter's marker environment with `extra == ""` (pip's
 * `iter_dependencies()`). `check` then reports, per distribution, the
 * dependencies that are not installed (if their marker holds) and those whose
 * installed version is outside the specifier (pre-releases allowed), sorted as
 * pip sorts them (by the text of Python's tuple), with pip's messages; and
 * the distributions whose WHEEL tags the interpreter does not support.
 */
import { parseVersion } from '@pipette/pep440'
import type { Version } from '@pipette/pep440'
import { canonicalizeName, markerEnvironment, parseRequirement } from '@pipette/requirements'
import type { MarkerEnvironment, Requirement } from '@pipette/requirements'
import { metadataGet, metadataGetAll, parseCoreMetadata } from './core-metadata.js'
import type { EnvironmentScan, InstalledDistribution } from './distributions.js'
import { installedDistributions, readDistText } from './distributions.js'
import type { InterpreterInfo } from './interpreter-info.js'
import { pythonRepr } from './quote.js'
import { pySorted } from './uninstall.js'

const parsed = new Map<string, Requirement>()

function requirement(text: string): Requirement {
  let req = parsed.get(text)
  if (req === undefined) {
    req = parseRequirement(text)
    parsed.set(text, req)
  }
  return req
}

/** pip's `iter_dependencies()`: throws the parse error of the first invalid `Requires-Dist`. */
export function distributionDependencies(dist: InstalledDistribution, environment: MarkerEnvironment): Requirement[] {
  const out: Requirement[] = []
  for (const text of metadataGetAll(dist.metadata, 'Requires-Dist')) {
    const req = requirement(text.trim())
    if (req.marker === null || req.marker.evaluate({ ...environment, extra: '' })) out.push(req)
  }
  return out
}

/** Sorts as Python's `sorted(key=str.lower)`: by the lower-cased text, stable. */
function sortLower(values: Iterable<string>): string[] {
  const items = [...values]
  const order = pySorted(new Set(items.map((v) => v.toLowerCase())))
  const rank = new Map(order.map((v, i) => [v, i]))
  return items.sort((a, b) => rank.get(a.toLowerCase())! - rank.get(b.toLowerCase())!)
}

/**
 * `Requires` and `Required-by` of the distributions `pip show` asks for, with
 * pip's fallbacks: an invalid requirement makes Requires the raw
 * `Requires-Dist` list, and Required-by `#N/A`.
 */
export function showDependencies(
  scan: EnvironmentScan,
  info: InterpreterInfo,
  queried: readonly InstalledDistribution[],
): Map<InstalledDistribution, { requires: string[]; requiredBy: string[] }> {
  const environment = markerEnvironment(info)
  const safe = (dist: InstalledDistribution): Requirement[] | null => {
    try {
      return distributionDependencies(dist, environment)
    } catch {
      return null
    }
  }
  const result = new Map<InstalledDistribution, { requires: string[]; requiredBy: string[] }>()
  const names = new Set(queried.map((d) => d.canonicalName))
  const requiredBy = new Map<string, Set<string>>()
  let requiredByError = false
  for (const dist of scan.distributions) {
    const deps = safe(dist)
    if (deps === null) {
      // pip 26: one unreadable distribution makes every Required-by unknown.
      requiredByError = true
      continue
    }
    for (const dep of deps) {
      const canonical = canonicalizeName(dep.name)
      if (!names.has(canonical)) continue
      let set = requiredBy.get(canonical)
      if (set === undefined) requiredBy.set(canonical, (set = new Set()))
      set.add(metadataGet(dist.metadata, 'Name') || 'UNKNOWN')
    }
  }
  for (const dist of queried) {
    const deps = safe(dist)
    const requires = deps === null ? sortLower(metadataGetAll(dist.metadata, 'Requires-Dist')) : sortLower(new Set(deps.map((d) => d.name)))
    result.set(dist, { requires, requiredBy: requiredByError ? ['#N/A'] : sortLower(requiredBy.get(dist.canonicalName) ?? []) })
  }
  return result
}

/** The canonical names the given distributions depend on (`pip list --not-required` hides them). */
export function requiredNames(dists: readonly InstalledDistribution[], info: InterpreterInfo): Set<string> {
  const environment = markerEnvironment(info)
  const names = new Set<string>()
  for (const dist of dists) for (const dep of distributionDependencies(dist, environment)) names.add(canonicalizeName(dep.name))
  return names
}

export interface CheckOptions {
  /** The interpreter's supported tags as `interpreter-abi-platform` strings (see @pipette/wheel's `interpreterTags`); no platform check without them. */
  readonly supportedTags?: ReadonlySet<string> | undefined
}

export interface CheckResult {
  /** pip's messages on stdout, in pip's order. */
  readonly lines: readonly string[]
  /** pip's warnings (metadata that could not be read), without `WARNING: `. */
  readonly warnings: readonly string[]
  /** True when nothing is broken (pip prints "No broken requirements found." and exits 0). */
  readonly ok: boolean
}

/** What `pip check` reports for an environment. */
export async function checkEnvironment(scan: EnvironmentScan, info: InterpreterInfo, options: CheckOptions = {}): Promise<CheckResult> {
  const environment = markerEnvironment(info)
  const warnings: string[] = []
  let problems = false
  const packages = new Map<string, { version: Version; dependencies: Requirement[] }>()
  for (const dist of installedDistributions(scan, { skip: new Set() })) {
    try {
      const dependencies = distributionDependencies(dist, environment)
      const text = dist.directoryVersion ?? dist.version
      let version: Version
      try {
        version = parseVersion(text)
      } catch {
        throw new Error(`Invalid version: ${pythonRepr(text)}`)
      }
      packages.set(dist.canonicalName, { version, dependencies })
    } catch (error) {
      warnings.push(`Error parsing dependencies of ${dist.canonicalName}: ${(error as Error).message}`)
      problems = true
    }
  }
  const missingLines: string[] = []
  const conflictLines: string[] = []
  for (const [name, details] of packages) {
    const missing = new Map<string, string>()
    const conflicting = new Map<string, string>()
    for (const req of details.dependencies) {
      const depName = canonicalizeName(req.name)
      const installed = packages.get(depName)
      const reqText = String(req)
      if (installed === undefined) {
        if (req.marker === null || req.marker.evaluate({ ...environment, extra: '' })) {
          missing.set(`(${pythonRepr(depName)}, <Requirement('${reqText}')>)`, depName)
        }
        continue
      }
      if (!req.specifier.contains(installed.version, { prereleases: true })) {
        conflicting.set(
          `(${pythonRepr(depName)}, <Version('${installed.version}')>, <Requirement('${reqText}')>)`,
          `${name} ${details.version} has requirement ${reqText}, but you have ${depName} ${installed.version}.`,
        )
      }
    }
    for (const key of pySorted(missing.keys())) missingLines.push(`${name} ${details.version} requires ${missing.get(key)}, which is not installed.`)
    for (const key of pySorted(conflicting.keys())) conflictLines.push(conflicting.get(key)!)
  }
  const unsupported: string[] = []
  if (options.supportedTags !== undefined) {
    for (const dist of installedDistributions(scan)) {
      const wheel = await readDistText(dist, 'WHEEL')
      if (wheel === null) continue
      const tags = metadataGetAll(parseCoreMetadata(wheel), 'Tag').flatMap(expandTag)
      if (!tags.some((tag) => options.supportedTags!.has(tag))) {
        unsupported.push(`${dist.name} ${parseVersion(dist.directoryVersion ?? dist.version)} is not supported on this platform`)
      }
    }
  }
  const lines = [...missingLines, ...conflictLines, ...unsupported]
  const ok = lines.length === 0 && !problems
  return Object.freeze({ lines: Object.freeze(ok ? ['No broken requirements found.'] : lines), warnings: Object.freeze(warnings), ok })
}

/** packaging's `parse_tag`: a compressed tag set, lower-cased, expanded. */
function expandTag(text: string): string[] {
  const parts = text.toLowerCase().split('-')
  if (parts.length !== 3) return []
  const [interpreters, abis, platforms] = parts.map((p) => p.split('.')) as [string[], string[], string[]]
  return interpreters.flatMap((i) => abis.flatMap((a) => platforms.map((p) => `${i}-${a}-${p}`)))
}
