/**
 * A stand-in version scheme for tests until @pipette/pep440 is on main:
 * dotted numbers with an optional a/b/rc pre-release suffix, and specifiers
 * made of >=, <=, >, <, ==, != clauses, with packaging's pre-release rule
 * (pre-releases only when asked for, named, or nothing else matches).
 */
import type { VersionScheme } from '../../src/versions.js'

interface V {
  readonly text: string
  readonly release: readonly number[]
  readonly pre: readonly [number, number] | undefined
}

const PRE = { a: 0, b: 1, rc: 2 } as const

function parse(text: string): V | undefined {
  const match = /^v?(\d+(?:\.\d+)*)(?:(a|b|rc)(\d+))?$/.exec(text.trim().toLowerCase())
  if (match === null) return undefined
  return { text, release: match[1]!.split('.').map(Number), pre: match[2] === undefined ? undefined : [PRE[match[2] as keyof typeof PRE], Number(match[3])] }
}

function compare(a: V, b: V): number {
  const length = Math.max(a.release.length, b.release.length)
  for (let i = 0; i < length; i++) {
    const d = (a.release[i] ?? 0) - (b.release[i] ?? 0)
    if (d !== 0) return Math.sign(d)
  }
  if (a.pre === undefined || b.pre === undefined) return a.pre === b.pre ? 0 : a.pre === undefined ? 1 : -1
  return Math.sign(a.pre[0] - b.pre[0] || a.pre[1] - b.pre[1])
}

function clauseMatches(clause: string, version: V): boolean {
  const match = /^(>=|<=|==|!=|>|<)\s*(.+)$/.exec(clause.trim())
  if (match === null) throw new Error(`invalid specifier ${clause}`)
  const other = parse(match[2]!)
  if (other === undefined) throw new Error(`invalid specifier ${clause}`)
  const c = compare(version, other)
  return { '>=': c >= 0, '<=': c <= 0, '==': c === 0, '!=': c !== 0, '>': c > 0, '<': c < 0 }[match[1] as '>=']
}

function clauses(specifier: string): string[] {
  return specifier.split(',').map((s) => s.trim()).filter((s) => s !== '')
}

export const simpleVersions: VersionScheme<V> = {
  parse,
  compare,
  isPrerelease: (v) => v.pre !== undefined,
  format: (v) => v.release.join('.') + (v.pre === undefined ? '' : `${['a', 'b', 'rc'][v.pre[0]]}${v.pre[1]}`),
  filter(specifier, versions, prereleases) {
    const list = clauses(specifier)
    const named = list.some((c) => parse(c.replace(/^[<>=!]+/, ''))?.pre !== undefined)
    const matching = versions.filter((v) => list.every((c) => clauseMatches(c, v)))
    if (prereleases || named) return matching
    const finals = matching.filter((v) => v.pre === undefined)
    return finals.length > 0 || prereleases === false ? finals : matching
  },
  contains(specifier, version) {
    try {
      return clauses(specifier).every((c) => clauseMatches(c, version))
    } catch {
      return undefined
    }
  },
}
