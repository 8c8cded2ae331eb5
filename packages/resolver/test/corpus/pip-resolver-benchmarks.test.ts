import { describe, expect, it } from 'vitest'
import type { MemoryUniverse, MemoryVersion } from '../../src/index.js'
import { createMemoryProvider, resolve } from '../../src/index.js'
import { parseRequirement, parseVersion } from '../../src/compat.js'
import { CORPUS, corpusTitle, readJson, verifyResolution } from '../support/corpus.js'
import { linuxEnvironment } from '../support/helpers.js'

// pip-resolver-benchmarks (see its FORMAT.md): one real-world snapshot,
// pyrax==1.9.8 (2023), markers already stripped, Requires-Python only in the
// metadata. The expected pins are pip 23.2.1's answer on CPython 3.11.7.
interface Scenario {
  readonly input: { readonly requirements: readonly string[] }
  readonly packages: Readonly<Record<string, Readonly<Record<string, { depends_by_extra?: Record<string, string[]>; requires_python?: string }>>>>
}

export function loadPyrax(): { universe: MemoryUniverse; requirements: readonly string[] } {
  const scenario = readJson<Scenario>('pip-resolver-benchmarks', 'scenarios', 'pyrax_198.json')
  const universe: Record<string, Record<string, MemoryVersion>> = {}
  for (const [name, versions] of Object.entries(scenario.packages)) {
    universe[name] = {}
    for (const [version, data] of Object.entries(versions)) {
      const { '': requires = [], ...extras } = data.depends_by_extra ?? {}
      universe[name][version] = { requires, extras, requiresPython: data.requires_python, requiresPythonInMetadataOnly: true }
    }
  }
  return { universe, requirements: scenario.input.requirements }
}

describe.skipIf(CORPUS === undefined)(corpusTitle('pip-resolver-benchmarks: pyrax_198'), () => {
  it('resolves to pip 23.2.1 answer', async () => {
    const { universe, requirements } = loadPyrax()
    const expected = readJson<{ install: Record<string, string> }>('pip-resolver-benchmarks', 'scenarios', 'pyrax_198.pip-23.2.1-result.json').install
    const provider = createMemoryProvider(universe)
    const environment = linuxEnvironment('3.11.7')
    const roots = requirements.map((r) => parseRequirement(r))
    const resolution = await resolve({ requirements: roots, provider, pythonVersion: parseVersion('3.11.7'), markerEnvironment: environment })
    expect(await verifyResolution(resolution, roots, provider, environment)).toEqual([])
    const got = Object.fromEntries(resolution.packages.map((p) => [p.name, p.version.toString()]))
    expect(got).toEqual(expected)
    expect(resolution.stats.restarts).toBe(0)
  })
})

