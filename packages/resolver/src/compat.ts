/**
 * The resolver's single door to @pipette/pep440 and @pipette/requirements,
 * plus the few helpers it needs on top of them.
 */
import { redactUrl } from '@pipette/errors'
import type { SpecifierSet, Version } from '@pipette/pep440'
import { tryParseVersion } from '@pipette/pep440'
import type { Requirement } from '@pipette/requirements'

export { compareVersions, parseSpecifierSet, parseVersion } from '@pipette/pep440'
export type { SpecifierSet, Version } from '@pipette/pep440'
export { canonicalizeName, normalizeExtra, parseRequirement } from '@pipette/requirements'
export type { Marker, Requirement } from '@pipette/requirements'

/** Whether `version` satisfies `set`, pre-releases admitted (packaging's `contains(v, prereleases=True)`). */
export function specifierContains(set: SpecifierSet, version: Version): boolean {
  return set.contains(version, { prereleases: true })
}

export function specifierIsEmpty(set: SpecifierSet): boolean {
  return set.specifiers.length === 0
}

/**
 * pip 26's opt-in to pre-releases (packaging 26's `SpecifierSet.prereleases`):
 * some specifier other than `!=` and `==X.*` names a pre-release version
 * (`>=1.0b1`, `<2.0a2`, `==2.0rc1`; a `===` only if its version parses).
 */
export function specifierNamesPrerelease(set: SpecifierSet): boolean {
  return set.specifiers.some((spec) => {
    if (spec.operator === '!=' || (spec.operator === '==' && spec.version.endsWith('.*'))) return false
    return versionIsPrerelease(spec.version)
  })
}

const prereleaseText = new Map<string, boolean>()

function versionIsPrerelease(text: string): boolean {
  let answer = prereleaseText.get(text)
  if (answer === undefined) {
    answer = tryParseVersion(text)?.isPrerelease ?? false
    if (prereleaseText.size > 10_000) prereleaseText.clear()
    prereleaseText.set(text, answer)
  }
  return answer
}

/** A requirement as pip prints it in conflicts, without its marker: `name[extras]>=1` or `name @ url` (credentials hidden). */
export function requirementText(requirement: Requirement): string {
  let text = requirementTexts.get(requirement)
  if (text === undefined) {
    const extras = requirement.extras.length > 0 ? `[${requirement.extras.join(',')}]` : ''
    text = `${requirement.name}${extras}${requirement.url !== null ? ` @ ${redactUrl(requirement.url)}` : requirement.specifier.toString()}`
    requirementTexts.set(requirement, text)
  }
  return text
}

/** Requirements are immutable (and shared: @pipette/requirements parses a text once), so their text is computed once. */
const requirementTexts = new WeakMap<Requirement, string>()

/** A cheap key for a specifier set: its specifiers as written, in order. */
export function specifierKey(set: SpecifierSet): string {
  let key = ''
  for (const spec of set.specifiers) key += `${spec.operator}${spec.version},`
  return key
}

/** pip's `is_pinned`: exactly one specifier, `==` or `===`, without a wildcard. */
export function specifierIsPin(set: SpecifierSet): boolean {
  if (set.specifiers.length !== 1) return false
  const spec = set.specifiers[0]!
  return (spec.operator === '==' || spec.operator === '===') && !spec.version.endsWith('.*')
}
