import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve as resolvePath } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findCorpusDir } from '@pipette/fixtures'
import type { MemoryProvider, Resolution } from '../../src/index.js'
import type { Requirement } from '../../src/compat.js'
import { canonicalizeName, normalizeExtra, specifierContains } from '../../src/compat.js'

export const CORPUS = findCorpusDir()
export const MISSING_CORPUS = 'SKIPPED: resolver corpus not found (set PIPETTE_CORPUS or put it at ../shared/corpus beside the repository)'

if (CORPUS === undefined) console.warn(MISSING_CORPUS)

/** A suite title that says why it is skipped when the corpus is missing. */
export function corpusTitle(title: string): string {
  return CORPUS === undefined ? `${title} [${MISSING_CORPUS}]` : title
}

export function readJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(readFileSync(join(CORPUS!, ...parts), 'utf8')) as T
}

/**
 * Checks that a resolution is consistent: every requirement of the user and of
 * every chosen distribution (and of its chosen extras), with markers true for
 * the environment, is met by the chosen version and extras.
 */
export async function verifyResolution(
  resolution: Resolution,
  requirements: readonly Requirement[],
  provider: MemoryProvider,
  environment: Readonly<Record<string, string>>,
): Promise<string[]> {
  const problems: string[] = []
  const check = (requirement: Requirement, from: string) => {
    const name = canonicalizeName(requirement.name)
    const chosen = resolution.get(name)
    if (chosen === undefined) {
      problems.push(`${from} needs ${requirement.toString()}, not chosen`)
      return
    }
    if (!specifierContains(requirement.specifier, chosen.version)) problems.push(`${from} needs ${requirement.toString()}, got ${chosen.version.toString()}`)
    for (const extra of requirement.extras.map(normalizeExtra)) {
      if (!chosen.extras.includes(extra)) problems.push(`${from} needs ${name}[${extra}], extra not resolved`)
    }
  }
  for (const requirement of requirements) {
    if (requirement.marker === null || requirement.marker.evaluate({ ...environment, extra: '' })) check(requirement, 'the user')
  }
  for (const pkg of resolution.packages) {
    const metadata = await provider.metadata(pkg.candidate)
    for (const requirement of metadata.requires) {
      const contexts = ['', ...pkg.extras]
      if (requirement.marker !== null && !contexts.some((extra) => requirement.marker!.evaluate({ ...environment, extra }))) continue
      check(requirement, `${pkg.name} ${pkg.version.toString()}`)
    }
  }
  return problems
}
