import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { describe, expect, it } from 'vitest'
import type { Candidate, MemoryVersion } from '../../src/index.js'
import { createMemoryProvider, resolve, ResolutionImpossibleError } from '../../src/index.js'
import { canonicalizeName, compareVersions, parseRequirement, parseVersion } from '../../src/compat.js'
import { CORPUS, corpusTitle } from '../support/corpus.js'
import { linuxEnvironment } from '../support/helpers.js'

// pip's own YAML resolver fixtures (see pip-yaml-resolver-tests/FORMAT.md):
// requests run in order in one environment, `state` after each is the exact
// installed set. Each install resolves with what is installed (kept unless it
// must change, as pip without --upgrade), then the environment becomes the
// old one with the resolution's versions replacing or adding.
type Available = string | { name: string; version: string; depends?: string[]; extras?: Record<string, string[]>; requires_python?: string }
interface Fixture {
  base?: { available?: Available[] }
  cases: {
    available?: Available[]
    request: ({ install: string | string[]; options?: string } | { uninstall: string | string[] })[]
    response: { state?: string[] | null; error?: { code: number } }[]
    skip?: boolean | string
  }[]
}

/**
 * Responses without `state` are not checked, as FORMAT.md says: their `error`
 * blocks were never enforced upstream. conflict_1 case 0 (A's own two
 * requirements B==1.0.0 and B==2.0.0) and conflicting_triangle step 2
 * (installing B needs C 2.0.0 while the installed A needs C 1.0.0) say exit
 * code 0 only because pip's old resolver warned instead of failing.
 */
function universeOf(available: readonly Available[]): Record<string, Record<string, MemoryVersion>> {
  const universe: Record<string, Record<string, MemoryVersion>> = {}
  for (const entry of available) {
    let name: string
    let version: string
    let data: MemoryVersion
    if (typeof entry === 'string') {
      const [head, deps] = entry.split(/;\s*depends\s*/) as [string, string | undefined]
      ;[name, version] = head.trim().split(/\s+/) as [string, string]
      data = { requires: deps === undefined ? [] : deps.split(',').map((d) => d.trim()).filter(Boolean) }
    } else {
      name = entry.name
      version = String(entry.version)
      data = { requires: entry.depends ?? [], extras: entry.extras, requiresPython: entry.requires_python }
    }
    ;(universe[name] ??= {})[version] = data
  }
  return universe
}

const files = CORPUS === undefined ? [] : readdirSync(join(CORPUS, 'pip-yaml-resolver-tests', 'yaml')).filter((f) => f.endsWith('.yml'))
const cases = files.flatMap((file) => {
  const fixture = parseYaml(readFileSync(join(CORPUS!, 'pip-yaml-resolver-tests', 'yaml', file), 'utf8')) as Fixture
  return fixture.cases.map((c, i) => [`${file} case ${i}`, fixture, c] as const)
})

describe.skipIf(CORPUS === undefined)(corpusTitle('pip YAML resolver fixtures'), () => {
  it.each(cases)('%s', async (_, fixture, testCase) => {
    const provider = createMemoryProvider(universeOf(testCase.available ?? fixture.base?.available ?? []))
    // The upstream driver ran pip in a fresh virtualenv that already had
    // setuptools, pip and wheel (no requirements of their own); states leave them out.
    const seeded = ['setuptools 44.0.0', 'pip 20.0.2', 'wheel 0.34.2'].map((line): Candidate => {
      const [name, version] = line.split(' ') as [string, string]
      return { name, version: parseVersion(version), installed: true, distribution: 'installed', handle: { data: {} } }
    })
    let environment = new Map<string, Candidate>(seeded.map((c) => [c.name, c]))
    for (const [step, request] of testCase.request.entries()) {
      const response = testCase.response[step]!
      if ('uninstall' in request) {
        for (const name of [request.uninstall].flat()) environment.delete(canonicalizeName(name))
      } else {
        const options = (request.options ?? '').split(/\s+/).filter(Boolean)
        const outcome = await resolve({
          requirements: [request.install].flat().map((r) => parseRequirement(r)),
          provider,
          pythonVersion: parseVersion('3.11.7'),
          markerEnvironment: linuxEnvironment('3.11.7'),
          installed: [...environment.values()].map((c) => ({ ...c, installed: true, distribution: 'installed' as const })),
          noDeps: options.includes('--no-deps'),
          upgrade: options.includes('-U') || options.includes('--upgrade'),
        }).then(
          (resolution) => ({ ok: true as const, resolution }),
          (error: unknown) => {
            if (!(error instanceof ResolutionImpossibleError)) throw error
            return { ok: false as const, error }
          },
        )
        if (outcome.ok) {
          const next = new Map(environment)
          for (const p of outcome.resolution.packages) next.set(p.name, p.candidate)
          environment = next
        }
        if (response.error !== undefined && response.error.code !== 0) expect(outcome.ok, 'should fail').toBe(false)
        if (response.state === undefined) continue
        if (response.state !== null && response.error === undefined) expect(outcome.ok, outcome.ok ? '' : outcome.error.message).toBe(true)
      }
      if (response.state === undefined) continue
      const expected = (response.state ?? []).map((line) => line.trim().split(/\s+/) as [string, string])
      const got = [...environment.values()].filter((c) => !seeded.some((s) => s.name === c.name && compareVersions(s.version, c.version) === 0))
      expect(got.map((c) => c.name).sort()).toEqual(expected.map(([n]) => canonicalizeName(n)).sort())
      for (const [name, version] of expected) {
        const chosen = environment.get(canonicalizeName(name))!
        expect([name, compareVersions(chosen.version, parseVersion(version)) === 0 ? version : chosen.version.toString()]).toEqual([name, version])
      }
    }
  })
})
