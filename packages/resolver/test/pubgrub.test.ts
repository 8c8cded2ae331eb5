import { describe, expect, it } from 'vitest'
import { CandidateSet } from '../src/candidate-set.js'
import type { Incompatibility } from '../src/pubgrub/incompatibility.js'
import type { SolverDelegate } from '../src/pubgrub/solver.js'
import { solve } from '../src/pubgrub/solver.js'

// A toy universe for the core: versions are "x.y.z" strings, requirements are
// space-separated comparisons (">=1.0.0 <2.0.0"), and the preferred version is
// the highest. Enough to exercise the algorithm without any PEP 440.
type Universe = Record<string, Record<string, Record<string, string>>>

function cmp(a: string, b: string): number {
  const x = a.split('.').map(Number)
  const y = b.split('.').map(Number)
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!
  return 0
}

function matches(version: string, range: string): boolean {
  return range
    .split(' ')
    .filter(Boolean)
    .every((part) => {
      const [, op, v] = /^(>=|<=|>|<|==|!=)?(.*)$/.exec(part)!
      const c = cmp(version, v!)
      switch (op) {
        case '>=': return c >= 0
        case '<=': return c <= 0
        case '>': return c > 0
        case '<': return c < 0
        case '!=': return c !== 0
        default: return c === 0
      }
    })
}

async function run(universe: Universe, root: Record<string, string>) {
  const all: Universe = { $root: { '0.0.0': root }, ...universe }
  const versions = new Map(Object.entries(all).map(([name, vs]) => [name, Object.keys(vs).sort((a, b) => cmp(b, a))]))
  const list = (pkg: string) => versions.get(pkg) ?? []
  const tried: string[] = []
  const delegate: SolverDelegate<CandidateSet, string> = {
    singleton: (pkg, v) => CandidateSet.of(list(pkg).length, [v]),
    pick: (pending, allowed) => [...pending].sort((a, b) => allowed(a).count() - allowed(b).count() || a.localeCompare(b))[0]!,
    choose: (pkg, set) => {
      const i = set.first()
      return i === -1 ? undefined : i
    },
    dependencies: (pkg, v) => {
      const version = list(pkg)[v]!
      tried.push(`${pkg} ${version}`)
      const deps = all[pkg]![version]!
      return {
        kind: 'known',
        dependencies: Object.entries(deps).map(([dep, range]) => ({
          pkg: dep,
          set: CandidateSet.where(list(dep).length, (i) => matches(list(dep)[i]!, range)),
          detail: `${pkg} ${version} depends on ${dep} ${range}`,
        })),
      }
    },
  }
  const result = await solve({ root: '$root', rootVersion: 0, delegate })
  if (!result.ok) return { ok: false as const, incompatibility: result.incompatibility, tried }
  const picked: Record<string, string> = {}
  for (const [pkg, v] of result.decisions) if (pkg !== '$root') picked[pkg] = list(pkg)[v]!
  return { ok: true as const, picked, tried, stats: result.stats }
}

function externalFacts(incompat: Incompatibility<CandidateSet, string>, out: string[] = []): string[] {
  if (incompat.cause.kind === 'derived') {
    externalFacts(incompat.cause.left, out)
    externalFacts(incompat.cause.right, out)
  } else if (incompat.cause.kind === 'dependency') out.push(incompat.cause.detail)
  else out.push(incompat.cause.kind)
  return out
}

describe('PubGrub core (the examples of the PubGrub documentation)', () => {
  it('solves without conflicts', async () => {
    const r = await run({ foo: { '1.0.0': { bar: '>=1.0.0 <2.0.0' } }, bar: { '1.0.0': {}, '2.0.0': {} } }, { foo: '>=1.0.0 <2.0.0' })
    expect(r.picked).toEqual({ foo: '1.0.0', bar: '1.0.0' })
  })

  it('avoids a conflict during decision making', async () => {
    const r = await run(
      { foo: { '1.0.0': {}, '1.1.0': { bar: '>=2.0.0 <3.0.0' } }, bar: { '1.0.0': {}, '1.1.0': {}, '2.0.0': {} } },
      { foo: '>=1.0.0 <2.0.0', bar: '>=1.0.0 <2.0.0' },
    )
    expect(r.picked).toEqual({ foo: '1.0.0', bar: '1.1.0' })
  })

  it('performs conflict resolution', async () => {
    const r = await run({ foo: { '1.0.0': {}, '2.0.0': { bar: '>=1.0.0 <2.0.0' } }, bar: { '1.0.0': { foo: '>=1.0.0 <2.0.0' } } }, { foo: '>=1.0.0' })
    expect(r.picked).toEqual({ foo: '1.0.0' })
  })

  it('resolves a conflict with a partial satisfier', async () => {
    const r = await run(
      {
        foo: { '1.0.0': {}, '1.1.0': { left: '>=1.0.0 <2.0.0', right: '>=1.0.0 <2.0.0' } },
        left: { '1.0.0': { shared: '>=1.0.0' } },
        right: { '1.0.0': { shared: '<2.0.0' } },
        shared: { '2.0.0': {}, '1.0.0': { target: '>=1.0.0 <2.0.0' } },
        target: { '2.0.0': {}, '1.0.0': {} },
      },
      { foo: '>=1.0.0 <2.0.0', target: '>=2.0.0 <3.0.0' },
    )
    expect(r.picked).toEqual({ foo: '1.0.0', target: '2.0.0' })
  })

  it('backjumps over unrelated decisions', async () => {
    const r = await run(
      {
        a: { '1.0.0': { x: '>=1.0.0' } },
        b: { '1.0.0': { x: '<2.0.0' } },
        c: { '1.0.0': {}, '2.0.0': { a: '>=2.0.0' } },
        x: { '1.0.0': {}, '2.0.0': { y: '==2.0.0' } },
        y: { '1.0.0': {}, '2.0.0': {} },
      },
      { c: '>=0.0.0', y: '==1.0.0' },
    )
    expect(r.ok && r.picked).toEqual({ c: '1.0.0', y: '1.0.0' })
  })

  it('fails with a proof made of the external facts', async () => {
    const r = await run(
      {
        foo: { '1.0.0': { a: '>=1.0.0 <2.0.0' }, '1.1.0': { b: '>=1.0.0 <2.0.0' } },
        a: { '1.0.0': { b: '>=2.0.0 <3.0.0' } },
        b: { '1.0.0': { a: '>=2.0.0 <3.0.0' }, '2.0.0': { a: '>=2.0.0 <3.0.0' } },
      },
      { foo: '>=1.0.0 <2.0.0' },
    )
    expect(r.ok).toBe(false)
    if (r.ok) return
    const facts = externalFacts(r.incompatibility)
    expect(facts).toContain('$root 0.0.0 depends on foo >=1.0.0 <2.0.0')
    expect(facts).toContain('b 1.0.0 depends on a >=2.0.0 <3.0.0')
    expect(facts).toContain('a 1.0.0 depends on b >=2.0.0 <3.0.0')
  })

  it('learns instead of retrying every version (no exponential walk)', async () => {
    // a has 60 versions, each depending on b ==1, which conflicts with the root's b ==2:
    // a single learned fact ("any a needs b 1") must rule them all out.
    const a: Record<string, Record<string, string>> = {}
    for (let i = 1; i <= 60; i++) a[`${i}.0.0`] = { b: '==1.0.0' }
    const r = await run({ a, b: { '1.0.0': {}, '2.0.0': {} }, c: { '1.0.0': { a: '>=1.0.0' } } }, { c: '>=1.0.0', b: '==2.0.0' })
    expect(r.ok).toBe(false)
    expect(r.tried.filter((t) => t.startsWith('a ')).length).toBeLessThan(61)
  })
})
