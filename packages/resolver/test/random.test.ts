import { describe, expect, it } from 'vitest'
import { seededRandom } from '@pipette/test-support'
import type { MemoryUniverse } from '../src/index.js'
import { ResolutionImpossibleError } from '../src/index.js'
import { parseRequirement, parseVersion, specifierContains } from '../src/compat.js'
import { resolveIn } from './support/helpers.js'

// Random small universes checked against brute force: whenever some choice
// of versions satisfies everything, the resolver must find one, and whatever
// it returns must satisfy everything. Seeded, so failures reproduce.

interface Case {
  readonly universe: Record<string, Record<string, { requires: string[] }>>
  readonly roots: string[]
}

function randomCase(seed: number): Case {
  const random = seededRandom(seed)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const names = ['a', 'b', 'c', 'd', 'e', 'f'].slice(0, 3 + Math.floor(random() * 4))
  const versions: Record<string, string[]> = {}
  for (const name of names) versions[name] = ['1', '2', '3', '4'].slice(0, 1 + Math.floor(random() * 4)).map((v) => `${v}.0`)
  const requirement = (name: string): string => {
    const v = pick(versions[name]!)
    const op = pick(['', '==', '>=', '<', '!=', '<='])
    return op === '' ? name : `${name}${op}${v}`
  }
  const universe: Case['universe'] = {}
  for (const name of names) {
    universe[name] = {}
    for (const version of versions[name]!) {
      const requires: string[] = []
      for (const other of names) if (other !== name && random() < 0.3) requires.push(requirement(other))
      universe[name][version] = { requires }
    }
  }
  const roots = [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => requirement(pick(names))))]
  return { universe, roots }
}

/** Every assignment (absent or one version per package), smallest first: is one consistent? */
function bruteForce({ universe, roots }: Case): boolean {
  const names = Object.keys(universe)
  const choices = names.map((n) => [undefined, ...Object.keys(universe[n]!)])
  const parsed = new Map<string, ReturnType<typeof parseRequirement>>()
  const verdicts = new Map<string, boolean>()
  const satisfied = (chosen: Map<string, string>, text: string) => {
    let r = parsed.get(text)
    if (r === undefined) parsed.set(text, (r = parseRequirement(text)))
    const version = chosen.get(r.name)
    if (version === undefined) return false
    const key = `${text}\u0000${version}`
    let verdict = verdicts.get(key)
    if (verdict === undefined) verdicts.set(key, (verdict = specifierContains(r.specifier, parseVersion(version))))
    return verdict
  }
  const total = choices.reduce((n, c) => n * c.length, 1)
  for (let index = 0; index < total; index++) {
    let rest = index
    const chosen = new Map<string, string>()
    names.forEach((name, i) => {
      const options = choices[i]!
      const v = options[rest % options.length]
      rest = Math.floor(rest / options.length)
      if (v !== undefined) chosen.set(name, v)
    })
    if (!roots.every((r) => satisfied(chosen, r))) continue
    if ([...chosen].every(([name, v]) => universe[name]![v]!.requires.every((r) => satisfied(chosen, r)))) return true
  }
  return false
}

describe('random universes against brute force', () => {
  it('agrees on 400 seeded cases', async () => {
    let solvable = 0
    for (let seed = 1; seed <= 400; seed++) {
      const testCase = randomCase(seed)
      const expected = bruteForce(testCase)
      const outcome = await resolveIn(testCase.universe as MemoryUniverse, { requirements: testCase.roots }).then(
        (r) => r,
        (e: unknown) => {
          if (!(e instanceof ResolutionImpossibleError)) throw e
          return undefined
        },
      )
      expect({ seed, solvable: outcome !== undefined }).toEqual({ seed, solvable: expected })
      if (outcome === undefined) continue
      solvable++
      const chosen = new Map(outcome.packages.map((p) => [p.name, p.version.toString()]))
      const ok = (text: string) => {
        const r = parseRequirement(text)
        const v = chosen.get(r.name)
        return v !== undefined && specifierContains(r.specifier, parseVersion(v))
      }
      for (const root of testCase.roots) expect({ seed, root, ok: ok(root) }).toEqual({ seed, root, ok: true })
      for (const [name, version] of chosen) {
        for (const r of testCase.universe[name]![version]!.requires) expect({ seed, name, r, ok: ok(r) }).toEqual({ seed, name, r, ok: true })
      }
    }
    // Both kinds must be well represented for the comparison to mean something.
    expect(solvable).toBeGreaterThan(100)
    expect(solvable).toBeLessThan(380)
  })
})
