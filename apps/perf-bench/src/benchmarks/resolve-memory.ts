import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { corpusDir } from '@pipette/fixtures'
import { parseVersion } from '@pipette/pep440'
import { parseRequirement } from '@pipette/requirements'
import type { MemoryUniverse, MemoryVersion } from '@pipette/resolver'
import { createMemoryProvider, resolve } from '@pipette/resolver'
import type { Benchmark, Side } from '../runner.js'

// The resolver alone on the corpus (../shared/corpus, or $PIPETTE_CORPUS),
// in memory: no network, no cache, no pip. A "fresh provider" side builds a
// new provider each round, so parsing every Requires-Dist it looks at is part
// of the time (as fetching metadata would be); the "solver only" side reuses
// one provider whose metadata is already parsed.

const environment = {
  implementation_name: 'cpython',
  implementation_version: '3.11.7',
  os_name: 'posix',
  platform_machine: 'x86_64',
  platform_python_implementation: 'CPython',
  platform_release: '6.1.0',
  platform_system: 'Linux',
  platform_version: '#1 SMP',
  python_full_version: '3.11.7',
  python_version: '3.11',
  sys_platform: 'linux',
}

function pyrax(corpus: string): { universe: MemoryUniverse; requirements: string[] } {
  const scenario = JSON.parse(readFileSync(join(corpus, 'pip-resolver-benchmarks', 'scenarios', 'pyrax_198.json'), 'utf8')) as {
    input: { requirements: string[] }
    packages: Record<string, Record<string, { depends_by_extra?: Record<string, string[]>; requires_python?: string }>>
  }
  const universe: Record<string, Record<string, MemoryVersion>> = {}
  for (const [name, versions] of Object.entries(scenario.packages)) {
    const entry: Record<string, MemoryVersion> = {}
    for (const [version, data] of Object.entries(versions)) {
      const { '': requires = [], ...extras } = data.depends_by_extra ?? {}
      entry[version] = { requires, extras, requiresPython: data.requires_python, requiresPythonInMetadataOnly: true }
    }
    universe[name] = entry
  }
  return { universe, requirements: scenario.input.requirements }
}

function resolvelib(corpus: string, name: string): { universe: MemoryUniverse; requirements: string[] } {
  const dir = join(corpus, 'resolvelib', 'inputs')
  const testCase = JSON.parse(readFileSync(join(dir, 'case', `${name}.json`), 'utf8')) as { index: string; requested: string[] }
  const raw = JSON.parse(readFileSync(join(dir, 'index', `${testCase.index}.json`), 'utf8')) as Record<string, unknown>
  const universe: Record<string, Record<string, MemoryVersion>> = {}
  for (const [project, versions] of Object.entries(raw)) {
    if (typeof versions !== 'object' || versions === null) continue
    const entry: Record<string, MemoryVersion> = {}
    for (const [version, data] of Object.entries(versions as Record<string, { dependencies: unknown }>)) {
      entry[version] = { requires: Array.isArray(data.dependencies) ? (data.dependencies as string[]) : [] }
    }
    universe[project] = entry
  }
  return { universe, requirements: testCase.requested }
}

interface SideOptions {
  /** Reuse one provider (metadata parsed once): time the solver alone. */
  readonly reuse?: boolean
  /** The corpus says there is no solution (pyrex-1.9.8: msgpack has no versions in that slice). */
  readonly fails?: boolean
}

function side(name: string, load: () => { universe: MemoryUniverse; requirements: string[] }, options: SideOptions = {}): Side {
  const { universe, requirements } = load()
  const roots = requirements.map((r) => parseRequirement(r))
  const shared = createMemoryProvider(universe)
  const run = async () => {
    const provider = options.reuse === true ? shared : createMemoryProvider(universe)
    const start = performance.now()
    const outcome = await resolve({ requirements: roots, provider, pythonVersion: parseVersion('3.11.7'), markerEnvironment: environment }).then(
      (resolution) => resolution.packages.length,
      (error: unknown) => {
        if ((error as { code?: string }).code !== 'ERR_RESOLUTION_IMPOSSIBLE') throw error
        return 'no solution'
      },
    )
    const ms = performance.now() - start
    // A side that does not reach its known outcome must not report a time.
    if ((outcome === 'no solution') !== (options.fails === true)) throw new Error(`${name}: unexpected outcome (${outcome})`)
    return { ms }
  }
  return { name, warmup: async () => void (await run()), round: run }
}

export const resolveMemory: Benchmark = {
  name: 'resolve-memory',
  description: "pipette's resolver alone, in memory: pyrax_198 (pip-resolver-benchmarks) and resolvelib's PyPI slices",
  subject: 'pyrax_198',
  setup: async () => {
    const corpus = corpusDir()
    return [
      side('pyrax_198', () => pyrax(corpus)),
      side('pyrax_198 solver only', () => pyrax(corpus), { reuse: true }),
      side('resolvelib pyrex-1.9.8 (2020)', () => resolvelib(corpus, 'pyrex-1.9.8'), { fails: true }),
      side('resolvelib cheroot', () => resolvelib(corpus, 'cheroot')),
      side('resolvelib with-without-extras', () => resolvelib(corpus, 'with-without-extras')),
      side('resolvelib chalice', () => resolvelib(corpus, 'chalice')),
    ]
  },
}
