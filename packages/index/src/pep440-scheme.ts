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

/** Parsed versions (immutable values) by text: the same few texts recur across projects. Bounded likewise. */
const versions = new Map<string, Version | undefined>()

function version(text: string): Version | undefined {
  if (versions.has(text)) return versions.get(text)
  if (versions.size >= 4096) versions.clear()
  const parsedVersion = tryParseVersion(text) ?? undefined
  versions.set(text, parsedVersion)
  return parsedVersion
}

export const pep440Versions: VersionScheme<Version> = Object.freeze({
  parse: version,
  compare: (a: Version, b: Version) => compareVersions(a, b),
  isPrerelease: (version: Version) => version.isPrerelease,
  format: (version: Version) => version.toString(),
  // An invalid specifier is parsed again, so that it throws its own error.
  filter: (specifier: string, versions: readonly Version[], prereleases: boolean | undefined) =>
    (specifierSet(specifier) ?? parseSpecifierSet(specifier)).filter(versions, prereleases === undefined ? undefined : { prereleases }),
  contains: (specifier: string, version: Version) => specifierSet(specifier)?.contains(version),
})
