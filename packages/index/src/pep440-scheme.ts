/**
 * The `VersionScheme` link evaluation and selection use, backed by
 * @pipette/pep440 (PyPA packaging's answers): versions that do not parse are
 * skipped, specifier sets filter with packaging's pre-release rules.
 */
import { compareVersions, parseSpecifierSet, tryParseSpecifierSet, tryParseVersion } from '@pipette/pep440'
import type { Version } from '@pipette/pep440'
import type { VersionScheme } from './versions.js'

export const pep440Versions: VersionScheme<Version> = Object.freeze({
  parse: (text: string) => tryParseVersion(text) ?? undefined,
  compare: (a: Version, b: Version) => compareVersions(a, b),
  isPrerelease: (version: Version) => version.isPrerelease,
  format: (version: Version) => version.toString(),
  filter: (specifier: string, versions: readonly Version[], prereleases: boolean | undefined) =>
    parseSpecifierSet(specifier).filter(versions, prereleases === undefined ? undefined : { prereleases }),
  contains: (specifier: string, version: Version) => tryParseSpecifierSet(specifier)?.contains(version),
})
