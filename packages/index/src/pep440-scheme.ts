/**
 * The `VersionScheme` link evaluation and selection use, backed by
 * @pipette/pep440 (PyPA packaging's answers): versions that do not parse are
 * skipped, specifier sets filter with packaging's pre-release rules.
 */
import { compareVersions, parseSpecifierSet, tryParseSpecifierSet, tryParseVersion } from '@pipette/pep440'
import type { SpecifierSet, Version } from '@pipette/pep440'
import type { VersionScheme } from './versions.js'

/**
 * Parsed specifier sets (immutable values) by text: a finder filters every
 * project with the same few specifiers (`''`, each `Requires-Python` of an
 * index), so each text is parsed once. Bounded: cleared past 4096 texts.
 */
const parsed = new Map<string, SpecifierSet | null>()

function specifierSet(text: string): SpecifierSet | null {
  let set = parsed.get(text)
  if (set === undefined) {
    if (parsed.size >= 4096) parsed.clear()
    set = tryParseSpecifierSet(text)
    parsed.set(text, set)
  }
  return set
}

export const pep440Versions: VersionScheme<Version> = Object.freeze({
  parse: (text: string) => tryParseVersion(text) ?? undefined,
  compare: (a: Version, b: Version) => compareVersions(a, b),
  isPrerelease: (version: Version) => version.isPrerelease,
  format: (version: Version) => version.toString(),
  // An invalid specifier is parsed again, so that it throws its own error.
  filter: (specifier: string, versions: readonly Version[], prereleases: boolean | undefined) =>
    (specifierSet(specifier) ?? parseSpecifierSet(specifier)).filter(versions, prereleases === undefined ? undefined : { prereleases }),
  contains: (specifier: string, version: Version) => specifierSet(specifier)?.contains(version),
})
