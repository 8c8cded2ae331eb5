/**
 * Differential test against PyPA packaging 23.0 (Debian's python3-packaging
 * under /usr/bin/python3): test/differential/packaging_cases.py generates
 * random, fuzzed versions and specifier sets and records packaging's answers;
 * every answer of ours must be identical. PIPETTE_PEP440_SEED picks another
 * seed, PIPETTE_PEP440_SCALE multiplies the number of cases.
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { SpecifierSet, Version } from '../src/index.js'
import {
  compareVersions,
  InvalidVersionError,
  parseSpecifierSet,
  parseVersion,
  rangeFromSpecifierSet,
  sortVersions,
  tryParseVersion,
  VersionRange,
} from '../src/index.js'

const script = fileURLToPath(new URL('./differential/packaging_cases.py', import.meta.url))
const seed = process.env['PIPETTE_PEP440_SEED'] ?? '440'
const scale = process.env['PIPETTE_PEP440_SCALE'] ?? '1'

type Outcome = unknown
interface Cases {
  versions: { text: string; valid: boolean; str?: string; attrs?: Record<string, unknown> | null }[]
  compare: { a: string; b: string; cmp: number }[]
  sort: { items: string[]; sorted: string[] }[]
  specifiers: { text: string; valid: boolean; str?: string; prereleases?: Outcome; order?: boolean; each?: [string, Outcome][] }[]
  contains: { set: string; version: string; order: boolean; results: Record<string, Outcome> }[]
  filter: { set: string; items: string[]; order: boolean; results: Record<string, Outcome>; single: Record<string, Outcome> | null }[]
}

export function loadCases(): Cases {
  const json = execFileSync('/usr/bin/python3', [script, seed, scale], { maxBuffer: 1 << 30, encoding: 'utf8' })
  return JSON.parse(json) as Cases
}

/** Our answer in the generator's shape: the value, or {error: 'InvalidVersion'} when we throw InvalidVersionError. */
function outcome(fn: () => unknown): Outcome {
  try {
    return fn()
  } catch (error) {
    if (error instanceof InvalidVersionError) return { error: 'InvalidVersion' }
    throw error
  }
}

function attrs(v: Version): Record<string, unknown> {
  return {
    epoch: v.epoch,
    release: [...v.release],
    pre: v.pre === null ? null : [...v.pre],
    post: v.post,
    dev: v.dev,
    local: v.local,
    public: v.public,
    base_version: v.baseVersion,
    is_prerelease: v.isPrerelease,
    is_postrelease: v.isPostrelease,
    is_devrelease: v.isDevrelease,
    major: v.major,
    minor: v.minor,
    micro: v.micro,
  }
}

/** JSON with object keys sorted, so that key order never counts as a difference. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  )
}

const modes = { None: undefined, True: true, False: false } as const

describe('differential against PyPA packaging', () => {
  const cases = loadCases()
  const differences: string[] = []
  let compared = 0
  const check = (what: string, ours: unknown, theirs: unknown) => {
    compared++
    if (stable(ours) !== stable(theirs)) {
      differences.push(`${what}: ours ${JSON.stringify(ours)}, packaging ${JSON.stringify(theirs)}`)
    }
  }

  it('agrees on validity, normalized strings and attributes of versions', () => {
    for (const c of cases.versions) {
      const v = tryParseVersion(c.text)
      check(`valid ${JSON.stringify(c.text)}`, v !== null, c.valid)
      if (v === null || !c.valid) continue
      check(`str ${JSON.stringify(c.text)}`, v.toString(), c.str)
      if (c.attrs) check(`attrs ${JSON.stringify(c.text)}`, attrs(v), c.attrs)
    }
  })

  it('agrees on ordering and sorting', () => {
    for (const c of cases.compare) {
      check(`compare ${JSON.stringify(c.a)} ${JSON.stringify(c.b)}`, Math.sign(compareVersions(c.a, c.b)), c.cmp)
    }
    for (const c of cases.sort) {
      check(`sort ${JSON.stringify(c.items)}`, sortVersions(c.items).map(String), c.sorted)
    }
  })

  const sets = new Map<string, SpecifierSet>()
  it('agrees on validity, str and prereleases of specifier sets', () => {
    for (const c of cases.specifiers) {
      let set: SpecifierSet | null = null
      try {
        set = parseSpecifierSet(c.text)
      } catch {
        set = null
      }
      check(`valid set ${JSON.stringify(c.text)}`, set !== null, c.valid)
      if (set === null || !c.valid) continue
      sets.set(c.text, set)
      check(`str set ${JSON.stringify(c.text)}`, set.toString(), c.str)
      check(`prereleases ${JSON.stringify(c.text)}`, outcome(() => set.prereleases), c.prereleases)
      const each = Object.fromEntries(set.specifiers.map((s) => [s.toString(), outcome(() => s.prereleases)]))
      check(`specifier prereleases ${JSON.stringify(c.text)}`, each, Object.fromEntries(c.each ?? []))
    }
  })

  it('agrees on contains, with and without pre-releases', () => {
    for (const c of cases.contains) {
      const set = sets.get(c.set) ?? parseSpecifierSet(c.set)
      for (const [mode, prereleases] of Object.entries(modes)) {
        const ours = outcome(() => set.contains(c.version, { prereleases }))
        check(`contains ${JSON.stringify(c.set)} ${JSON.stringify(c.version)} prereleases=${mode}`, ours, c.results[mode])
      }
    }
  })

  it('agrees on filter, for sets and single specifiers', () => {
    for (const c of cases.filter) {
      const set = sets.get(c.set) ?? parseSpecifierSet(c.set)
      for (const [mode, prereleases] of Object.entries(modes)) {
        const ours = outcome(() => set.filter(c.items, { prereleases }))
        check(`filter ${JSON.stringify(c.set)} ${JSON.stringify(c.items)} prereleases=${mode}`, ours, c.results[mode])
        if (c.single !== null) {
          const spec = set.specifiers[0]!
          const single = outcome(() => spec.filter(c.items, { prereleases }))
          check(`Specifier.filter ${JSON.stringify(c.set)} ${JSON.stringify(c.items)} prereleases=${mode}`, single, c.single[mode])
        }
      }
    }
  })

  it('agrees on VersionRange membership: rangeFromSpecifierSet(s).contains(v) is s.contains(v, prereleases=True)', () => {
    const ranges = new Map<string, VersionRange>()
    for (const c of cases.contains) {
      const expected = c.results['True']
      if (typeof expected !== 'boolean') continue // packaging raised (an invalid version, or a label it cannot re-parse)
      const set = sets.get(c.set) ?? parseSpecifierSet(c.set)
      let range = ranges.get(c.set)
      if (range === undefined) ranges.set(c.set, (range = rangeFromSpecifierSet(set)))
      check(`range ${JSON.stringify(c.set)} contains ${JSON.stringify(c.version)}`, range.contains(c.version), expected)
      // The complement holds exactly the others.
      check(`complement ${JSON.stringify(c.set)} contains ${JSON.stringify(c.version)}`, range.complement().contains(c.version), !expected)
    }
    // A range that is not empty shows a member; an empty one has none of the sampled versions.
    for (const [text, range] of ranges) {
      const witness = range._witness()
      if (witness !== null) check(`witness of ${JSON.stringify(text)}`, parseSpecifierSet(text).contains(witness, { prereleases: true }), true)
    }
  })

  it('reports zero differences over at least 20,000 compared answers', () => {
    expect(differences.slice(0, 30)).toEqual([])
    expect(compared).toBeGreaterThanOrEqual(20_000)
    // Sanity: the oracle and the parser saw the same strings.
    expect(parseVersion('1.0').toString()).toBe('1.0')
  })
})
