import { describe, expect, it } from 'vitest'
import type { Version } from '@pipette/pep440'
import { compareVersions, parseSpecifierSet, parseVersion, rangeFromSpecifierSet, VersionRange } from '@pipette/pep440'
import type { SolverDelegate } from '../src/index.js'
import { solve } from '../src/index.js'

// The PubGrub core is generic over its version sets: the Python layer uses
// candidate bit sets, and here the same core runs on @pipette/pep440's
// VersionRange intervals, with versions known only as PEP 440 versions.
type Universe = Record<string, Record<string, Record<string, string>>>

async function run(universe: Universe, root: Record<string, string>): Promise<Record<string, string> | undefined> {
  const all: Universe = { $root: { '0': root }, ...universe }
  const versions = new Map<string, Version[]>(
    Object.entries(all).map(([name, vs]) => [name, Object.keys(vs).map(parseVersion).sort((a, b) => compareVersions(b, a))]),
  )
  const list = (pkg: string) => versions.get(pkg) ?? []
  const delegate: SolverDelegate<VersionRange, string> = {
    singleton: (pkg, v) => VersionRange.exactly(list(pkg)[v]!),
    pick: (pending) => [...pending].sort()[0]!,
    choose: (pkg, set) => {
      const i = list(pkg).findIndex((v) => set.contains(v))
      return i === -1 ? undefined : i
    },
    dependencies: (pkg, v) => {
      const version = list(pkg)[v]!
      const deps = Object.entries(all[pkg]![version.toString()] ?? all[pkg]![Object.keys(all[pkg]!).find((k) => compareVersions(parseVersion(k), version) === 0)!]!)
      return {
        kind: 'known',
        dependencies: deps.map(([dep, spec]) => ({ pkg: dep, set: rangeFromSpecifierSet(parseSpecifierSet(spec)), detail: `${pkg} ${version.toString()} depends on ${dep}${spec}` })),
      }
    },
  }
  const result = await solve({ root: '$root', rootVersion: 0, delegate })
  if (!result.ok) return undefined
  const picked: Record<string, string> = {}
  for (const [pkg, v] of result.decisions) if (pkg !== '$root') picked[pkg] = list(pkg)[v]!.toString()
  return picked
}

describe('the PubGrub core on VersionRange', () => {
  it('solves with conflict resolution and a partial satisfier', async () => {
    const picked = await run(
      {
        foo: { '1.0.0': {}, '1.1.0': { left: '>=1.0.0,<2.0.0', right: '>=1.0.0,<2.0.0' } },
        left: { '1.0.0': { shared: '>=1.0.0' } },
        right: { '1.0.0': { shared: '<2.0.0' } },
        shared: { '2.0.0': {}, '1.0.0': { target: '>=1.0.0,<2.0.0' } },
        target: { '2.0.0': {}, '1.0.0': {} },
      },
      { foo: '>=1.0.0,<2.0.0', target: '>=2.0.0,<3.0.0' },
    )
    expect(picked).toEqual({ foo: '1.0.0', target: '2.0.0' })
  })

  it('handles PEP 440 sets that are not intervals (pre-releases, post-releases, local versions)', async () => {
    const picked = await run(
      {
        a: { '1.0': { b: '>1.0' }, '2.0': { b: '<2.0' } },
        b: { '1.0': {}, '1.0.post1': {}, '2.0a1': {}, '2.0': {}, '1.0+local': {} },
      },
      { a: '>=1.0', b: '!=2.0a1' },
    )
    // a 2.0 needs b<2.0: 2.0a1 is excluded by "<2.0" and by the root; 1.0.post1 is the newest left.
    expect(picked).toEqual({ a: '2.0', b: '1.0.post1' })
  })

  it('proves failure', async () => {
    expect(await run({ a: { '1.0': { b: '>=2' } }, b: { '1.0': {}, '2.0a1': {} } }, { a: '', b: '<2' })).toBeUndefined()
  })
})
