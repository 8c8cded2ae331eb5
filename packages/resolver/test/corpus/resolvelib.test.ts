import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { MemoryUniverse } from '../../src/index.js'
import { createMemoryProvider, resolve, ResolutionImpossibleError } from '../../src/index.js'
import { canonicalizeName, compareVersions, parseRequirement, parseVersion } from '../../src/compat.js'
import { CORPUS, corpusTitle, readJson, verifyResolution } from '../support/corpus.js'
import { linuxEnvironment } from '../support/helpers.js'

// resolvelib's functional inputs (see resolvelib/FORMAT.md): frozen PyPI
// slices and small graphs. Expected pins: pip 23.2.1's answer where it gave
// one (pip-23.2.1-crosscheck.json; pip evaluates markers, so chalice also gets
// urllib3), else resolvelib's `resolved` (backjump-test-1/2 and issue-134,
// where pip 23.2.1's resolvelib had the backjumping bug fixed in 2024: a
// solution exists and must be found). Failures must blame `conflicted`.
interface Case {
  readonly index: string
  readonly requested: readonly string[]
  readonly resolved?: Readonly<Record<string, string | { readonly version: string }>>
  readonly conflicted?: Readonly<Record<string, unknown>>
}
interface Crosscheck {
  readonly cases: Readonly<Record<string, { readonly pip_exit_code: number; readonly pip_resolved: Record<string, string> | null }>>
}

/** Cases with no pass/fail expectation, and why. */
const UNDECIDED: Readonly<Record<string, string>> = {
  'pyrex-1.9.8':
    'no expected answer exists: resolvelib marks it an expected failure (round limit) and pip 23.2.1 was still resolving after 600 s; we require termination and a consistent answer or a proof',
}

function loadIndex(name: string): MemoryUniverse {
  const raw = readJson<Record<string, unknown>>('resolvelib', 'inputs', 'index', `${name}.json`)
  const universe: Record<string, Record<string, { requires: string[] }>> = {}
  for (const [project, versions] of Object.entries(raw)) {
    if (typeof versions !== 'object' || versions === null) continue
    universe[project] = {}
    for (const [version, data] of Object.entries(versions as Record<string, { dependencies: string[] }>)) {
      // toolz 0.10.0 in the dask index has `"dependencies": {}`: no dependencies.
      universe[project][version] = { requires: Array.isArray(data.dependencies) ? data.dependencies : [] }
    }
  }
  return universe
}

const cases = CORPUS === undefined ? [] : readdirSync(join(CORPUS, 'resolvelib', 'inputs', 'case')).map((f) => f.replace(/\.json$/, ''))

describe.skipIf(CORPUS === undefined)(corpusTitle('resolvelib corpus'), () => {
  const crosscheck = CORPUS === undefined ? undefined : readJson<Crosscheck>('resolvelib', 'pip-23.2.1-crosscheck.json')
  it.each(cases)('%s', async (name) => {
    const testCase = readJson<Case>('resolvelib', 'inputs', 'case', `${name}.json`)
    const provider = createMemoryProvider(loadIndex(testCase.index))
    const environment = linuxEnvironment('3.11.7')
    const roots = testCase.requested.map((r) => parseRequirement(r))
    const attempt = resolve({ requirements: roots, provider, pythonVersion: parseVersion('3.11.7'), markerEnvironment: environment })
    const pip = crosscheck!.cases[name]
    if (UNDECIDED[name] !== undefined) {
      const outcome = await attempt.then(
        async (resolution) => verifyResolution(resolution, roots, provider, environment),
        (error: unknown) => {
          expect(error).toBeInstanceOf(ResolutionImpossibleError)
          return []
        },
      )
      expect(outcome).toEqual([])
      return
    }
    if (testCase.conflicted !== undefined) {
      const error = await attempt.then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(ResolutionImpossibleError)
      const blamed = (error as ResolutionImpossibleError).packages
      for (const project of Object.keys(testCase.conflicted)) expect(blamed).toContain(canonicalizeName(project))
      return
    }
    const resolution = await attempt
    expect(await verifyResolution(resolution, roots, provider, environment)).toEqual([])
    const expected: Record<string, string> = {}
    if (pip?.pip_exit_code === 0 && pip.pip_resolved !== null) Object.assign(expected, pip.pip_resolved)
    else for (const [project, v] of Object.entries(testCase.resolved ?? {})) expected[canonicalizeName(project)] = typeof v === 'string' ? v : v.version
    const got: Record<string, string> = {}
    for (const p of resolution.packages) got[p.name] = p.version.toString()
    for (const [project, version] of Object.entries(expected)) {
      expect([project, got[project] !== undefined && compareVersions(parseVersion(got[project]), parseVersion(version)) === 0 ? version : got[project]]).toEqual([project, version])
    }
    expect(Object.keys(got).sort()).toEqual(Object.keys(expected).map(canonicalizeName).sort())
  })
})
