/**
 * The resolver's single door to @pipette/pep440 and @pipette/requirements.
 * THROWAWAY TEST DOUBLE below: requirements and markers stand in for
 * @pipette/requirements until it lands; replaced by re-exports then.
 * Everything else in the resolver reaches PEP 440 / PEP 508 only through the
 * names exported here.
 */
import { redactUrl } from '@pipette/errors'
import * as pep440 from '@renovatebot/pep440'
import type { SpecifierSet, Version } from '@pipette/pep440'
import { parseSpecifierSet, parseVersion, tryParseVersion } from '@pipette/pep440'

export { compareVersions, parseSpecifierSet, parseVersion } from '@pipette/pep440'
export type { SpecifierSet, Version } from '@pipette/pep440'

/** Whether `version` satisfies `set`, pre-releases admitted (packaging's `contains(v, prereleases=True)`). */
export function specifierContains(set: SpecifierSet, version: Version): boolean {
  return set.contains(version, { prereleases: true })
}

export interface Marker {
  evaluate(environment: Readonly<Record<string, string>>): boolean
  toString(): string
}

export interface Requirement {
  readonly name: string
  readonly extras: readonly string[]
  readonly specifier: SpecifierSet
  readonly url: string | null
  readonly marker: Marker | null
  toString(): string
}

export function canonicalizeName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase()
}

export function normalizeExtra(extra: string): string {
  return canonicalizeName(extra)
}

const VERSION_VARS = new Set(['python_version', 'python_full_version', 'implementation_version'])

function parseMarker(text: string): Marker {
  const tokens = text.match(/\s*(\(|\)|===|==|!=|<=|>=|~=|<|>|not in|in|and|or|'[^']*'|"[^"]*"|[A-Za-z_.]+)/g)!.map((t) => t.trim())
  let pos = 0
  type Node = (env: Readonly<Record<string, string>>) => boolean
  const value = (tok: string, env: Readonly<Record<string, string>>) =>
    /^['"]/.test(tok) ? tok.slice(1, -1) : (env[tok] ?? '')
  const atom = (): Node => {
    if (tokens[pos] === '(') {
      pos++
      const inner = or()
      pos++
      return inner
    }
    const left = tokens[pos++]!
    const op = tokens[pos++]!
    const right = tokens[pos++]!
    const varName = /^['"]/.test(left) ? right : left
    return (env) => {
      let l = value(left, env)
      let r = value(right, env)
      if (varName === 'extra') {
        l = normalizeExtra(l)
        r = normalizeExtra(r)
      }
      if (op === 'in') return r.includes(l)
      if (op === 'not in') return !r.includes(l)
      if (VERSION_VARS.has(varName) && pep440.valid(l) && pep440.valid(r)) {
        if (op === '===') return l === r
        return pep440.satisfies(l, `${op}${r}`, { prereleases: true })
      }
      switch (op) {
        case '==': case '===': return l === r
        case '!=': return l !== r
        case '<': return l < r
        case '<=': return l <= r
        case '>': return l > r
        case '>=': return l >= r
        default: return false
      }
    }
  }
  const and = (): Node => {
    let left = atom()
    while (tokens[pos] === 'and') {
      pos++
      const a = left
      const b = atom()
      left = (env) => a(env) && b(env)
    }
    return left
  }
  const or = (): Node => {
    let left = and()
    while (tokens[pos] === 'or') {
      pos++
      const a = left
      const b = and()
      left = (env) => a(env) || b(env)
    }
    return left
  }
  const node = or()
  return { evaluate: node, toString: () => text.trim() }
}

export function parseRequirement(text: string): Requirement {
  const semi = text.search(/;/)
  const main = (semi === -1 ? text : text.slice(0, semi)).trim()
  const markerText = semi === -1 ? undefined : text.slice(semi + 1).trim()
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?\s*(?:@\s*(\S+)|\(?([^)]*)\)?)?$/.exec(main)
  if (m === null) throw new Error(`invalid requirement ${text}`)
  const extras = (m[2] ?? '').split(',').map((e) => e.trim()).filter(Boolean)
  const specifier = parseSpecifierSet(m[4] ?? '')
  const marker = markerText ? parseMarker(markerText) : null
  const url = m[3] ?? null
  const display = `${m[1]}${extras.length ? `[${extras.join(',')}]` : ''}${url ? ` @ ${url}` : specifier.toString()}${marker ? `; ${marker}` : ''}`
  return { name: m[1]!, extras, specifier, url, marker, toString: () => display }
}

// ---- helpers the resolver needs on top of the packages (kept after the swap) ----

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
  const extras = requirement.extras.length > 0 ? `[${requirement.extras.join(',')}]` : ''
  return `${requirement.name}${extras}${requirement.url !== null ? ` @ ${redactUrl(requirement.url)}` : requirement.specifier.toString()}`
}

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
