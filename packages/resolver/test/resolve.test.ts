import { describe, expect, it } from 'vitest'
import type { Candidate, CandidateMetadata, Provider } from '../src/index.js'
import { CandidateUnusableError, createMemoryProvider, resolve, ResolutionImpossibleError, ResolverInputError } from '../src/index.js'
import { parseRequirement, parseVersion } from '../src/compat.js'
import { linuxEnvironment, pins, resolveIn } from './support/helpers.js'

async function failure(promise: Promise<unknown>): Promise<ResolutionImpossibleError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ResolutionImpossibleError)
  return error as ResolutionImpossibleError
}

describe('choosing versions', () => {
  it('takes the newest acceptable version of each package', async () => {
    const r = await resolveIn({ a: { '1.0': { requires: ['b<3'] }, '1.1': { requires: ['b<3'] } }, b: { '1.0': {}, '2.0': {}, '3.0': {} } }, { requirements: ['a'] })
    expect(pins(r)).toEqual({ a: '1.1', b: '2.0' })
  })

  it('backtracks past a newest version whose dependencies conflict (fallback)', async () => {
    const r = await resolveIn(
      {
        a: { '1.0.0': { requires: ['b==1.0.0', 'c==1.0.0'] }, '0.8.0': {} },
        b: { '1.0.0': { requires: ['d==1.0.0'] } },
        c: { '1.0.0': { requires: ['d==2.0.0'] } },
        d: { '1.0.0': {}, '2.0.0': {} },
      },
      { requirements: ['a'] },
    )
    expect(pins(r)).toEqual({ a: '0.8.0' })
  })

  it('walks a long chain down to the only working version', async () => {
    const universe: Record<string, Record<string, { requires?: string[] }>> = { a: {}, b: {}, c: { '1.0': {} } }
    for (let i = 1; i <= 30; i++) {
      universe.a![`${i}.0`] = { requires: [`b==${i}.0`] }
      universe.b![`${i}.0`] = { requires: [i === 1 ? 'c' : 'c>=2'] }
    }
    const r = await resolveIn(universe, { requirements: ['a'] })
    expect(pins(r)).toEqual({ a: '1.0', b: '1.0', c: '1.0' })
  })

  it('keeps the order of the provider (e.g. --prefer-binary puts wheels first)', async () => {
    const r = await resolveIn(
      { a: { '1.0': { distribution: 'wheel' }, '2.0': { distribution: 'sdist' } } },
      {
        requirements: ['a'],
        provider: { order: (x: Candidate, y: Candidate) => (x.distribution === y.distribution ? 0 : x.distribution === 'wheel' ? -1 : 1) },
      },
    )
    expect(pins(r)).toEqual({ a: '1.0' })
  })
})

describe('extras', () => {
  const universe = {
    a: { '1.0': { requires: ['b'], extras: { 'Extra_One': ['c>=1'], two: ['d', 'a[extra-one]'] } } },
    b: { '1.0': {} },
    c: { '1.0': {}, '2.0': {} },
    d: { '1.0': {} },
  }

  it('adds the requirements of the requested extras, names normalized (PEP 685)', async () => {
    const r = await resolveIn(universe, { requirements: ['a[extra.one]'] })
    expect(pins(r)).toEqual({ a: '1.0', b: '1.0', c: '2.0' })
    expect(r.get('a')!.extras).toEqual(['extra-one'])
    expect(r.get('a')!.requestedExtras).toEqual(['extra-one'])
  })

  it('follows extras of extras', async () => {
    const r = await resolveIn(universe, { requirements: ['a[two]'] })
    expect(pins(r)).toEqual({ a: '1.0', b: '1.0', c: '2.0', d: '1.0' })
    expect(r.get('a')!.extras).toEqual(['extra-one', 'two'])
  })

  it('ignores an extra the package does not provide (pip warns)', async () => {
    const r = await resolveIn(universe, { requirements: ['a[nope]'] })
    expect(pins(r)).toEqual({ a: '1.0', b: '1.0' })
  })

  it('keeps the package and its extras on one version', async () => {
    const r = await resolveIn(
      { a: { '1.0': { extras: { x: ['c<2'] } }, '2.0': { extras: { x: ['c>=3'] } } }, c: { '1.0': {}, '2.0': {} } },
      { requirements: ['a', 'a[x]'] },
    )
    expect(pins(r)).toEqual({ a: '1.0', c: '1.0' })
  })

  it('--no-deps installs the package alone, even with extras', async () => {
    const r = await resolveIn(universe, { requirements: ['a[two]'], noDeps: true })
    expect(pins(r)).toEqual({ a: '1.0' })
  })
})

describe('markers and Requires-Python', () => {
  it('evaluates markers for the target environment, not for Node', async () => {
    const universe = { a: { '1.0': { requires: ['win; sys_platform == "win32"', 'old; python_version < "3.8"', 'new; python_version >= "3.8"'] } }, win: { '1.0': {} }, old: { '1.0': {} }, new: { '1.0': {} } }
    expect(pins(await resolveIn(universe, { requirements: ['a'] }))).toEqual({ a: '1.0', new: '1.0' })
    expect(pins(await resolveIn(universe, { requirements: ['a'], markerEnvironment: { ...linuxEnvironment('3.7.9'), sys_platform: 'win32' } }))).toEqual({
      a: '1.0',
      win: '1.0',
      old: '1.0',
    })
  })

  it('ignores root requirements whose markers are false', async () => {
    const r = await resolveIn({ a: { '1.0': {} } }, { requirements: ['a', 'nope; sys_platform == "win32"'] })
    expect(pins(r)).toEqual({ a: '1.0' })
  })

  it('skips versions whose Requires-Python excludes the target, from the index or from the metadata', async () => {
    const universe = {
      a: { '1.0': {}, '2.0': { requiresPython: '>=3.13' }, '3.0': { requiresPython: '>=3.14', requiresPythonInMetadataOnly: true } },
    }
    expect(pins(await resolveIn(universe, { requirements: ['a'] }))).toEqual({ a: '1.0' })
    expect(pins(await resolveIn(universe, { requirements: ['a'], ignoreRequiresPython: true }))).toEqual({ a: '3.0' })
    expect(pins(await resolveIn(universe, { requirements: ['a'], python: '3.14.0' }))).toEqual({ a: '3.0' })
  })

  it('checks Requires-Python upper bounds as pip does', async () => {
    await failure(resolveIn({ a: { '1.0': { requiresPython: '<=3.8' } } }, { requirements: ['a'], python: '3.9.18' }))
  })
})

describe('pre-releases (pip 26: packaging 26, PEP 440)', () => {
  const universe = { a: { '1.0': {}, '2.0b1': {} }, only: { '1.0a1': {}, '1.0a2': {} }, b: { '1.0': { requires: ['a>=2.0b1'] } } }

  it('are not chosen while a final release fits', async () => {
    expect(pins(await resolveIn(universe, { requirements: ['a'] }))).toEqual({ a: '1.0' })
    expect(pins(await resolveIn(universe, { requirements: ['a!=2.0b1'] }))).toEqual({ a: '1.0' })
  })

  it('are allowed by --pre', async () => {
    expect(pins(await resolveIn(universe, { requirements: ['a'], pre: true }))).toEqual({ a: '2.0b1' })
  })

  it('are allowed when a specifier names one (any operator but != and ==X.*), also in a dependency', async () => {
    expect(pins(await resolveIn(universe, { requirements: ['a>=1.5b1'] }))).toEqual({ a: '2.0b1' })
    expect(pins(await resolveIn(universe, { requirements: ['a>1.0b1'] }))).toEqual({ a: '2.0b1' })
    expect(pins(await resolveIn(universe, { requirements: ['b'] }))).toEqual({ a: '2.0b1', b: '1.0' })
  })

  it('are chosen when no final release satisfies the requirements, with or without a specifier', async () => {
    expect(pins(await resolveIn(universe, { requirements: ['only'] }))).toEqual({ only: '1.0a2' })
    expect(pins(await resolveIn(universe, { requirements: ['only<2'] }))).toEqual({ only: '1.0a2' })
    expect(pins(await resolveIn(universe, { requirements: ['a>1.0'] }))).toEqual({ a: '2.0b1' })
  })

  it('follow a requirement met late that names one', async () => {
    const r = await resolveIn(
      { x: { '1.0': { requires: ['a', 'y'] } }, y: { '1.0': { requires: ['z'] } }, z: { '1.0': { requires: ['a==2.0b1'] } }, a: universe.a },
      { requirements: ['x'] },
    )
    expect(pins(r)).toEqual({ x: '1.0', y: '1.0', z: '1.0', a: '2.0b1' })
  })

  it('follow --all-releases and --only-final per package (pip 26)', async () => {
    const u = { ...universe, c: { '1.0': {}, '2.0rc1': {} } }
    const releases = (name: string) => (name === 'a' ? ('all' as const) : name === 'only' ? ('only-final' as const) : undefined)
    expect(pins(await resolveIn(u, { requirements: ['a', 'c'], releases }))).toEqual({ a: '2.0b1', c: '1.0' })
    const error = await failure(resolveIn(u, { requirements: ['only'], releases }))
    expect(error.message).toContain('1.0a1 and 1.0a2 are pre-releases, excluded by --only-final')
    expect(pins(await resolveIn(u, { requirements: ['a', 'c'], pre: true, releases: (n) => (n === 'c' ? 'only-final' : undefined) }))).toEqual({
      a: '2.0b1',
      c: '1.0',
    })
  })

  it('are chosen when every final release is ruled out by a conflict (pip 26 would fail; see README)', async () => {
    const r = await resolveIn({ a: { '1.0': { requires: ['c<1'] }, '2.0b1': {} }, c: { '1.0': {} } }, { requirements: ['a'] })
    expect(pins(r)).toEqual({ a: '2.0b1' })
  })
})

describe('yanked versions (PEP 592)', () => {
  const universe = { a: { '1.0': {}, '2.0': { yanked: true } }, b: { '1.0': { requires: ['a==2.0'] } } }

  it('are skipped unless pinned with ==', async () => {
    expect(pins(await resolveIn(universe, { requirements: ['a'] }))).toEqual({ a: '1.0' })
  })

  it('are used when pinned, by the user or by a dependency (as pip)', async () => {
    expect(pins(await resolveIn(universe, { requirements: ['a==2.0'] }))).toEqual({ a: '2.0' })
    expect(pins(await resolveIn(universe, { requirements: ['b'] }))).toEqual({ a: '2.0', b: '1.0' })
    expect(pins(await resolveIn(universe, { requirements: ['a===2.0'] }))).toEqual({ a: '2.0' })
  })

  it('say why in the error', async () => {
    const error = await failure(resolveIn(universe, { requirements: ['a>=1.5'] }))
    expect(error.message).toContain('a 2.0 cannot be used (2.0 is yanked, which only a pin with == allows)')
  })
})

describe('constraints', () => {
  const universe = { a: { '1.0': { requires: ['b'] } }, b: { '1.0': {}, '2.0': {} }, c: { '1.0': {} } }

  it('restrict versions without adding packages', async () => {
    expect(pins(await resolveIn(universe, { requirements: ['a'], constraints: ['b<2', 'c==1.0'] }))).toEqual({ a: '1.0', b: '1.0' })
  })

  it('explain a conflict with a constraint', async () => {
    const error = await failure(resolveIn(universe, { requirements: ['a'], constraints: ['b>2'] }))
    expect(error.message).toContain('your constraints require b>2')
  })

  it('reject extras', async () => {
    await expect(resolveIn(universe, { requirements: ['a'], constraints: ['b[x]<2'] })).rejects.toBeInstanceOf(ResolverInputError)
  })
})

describe('installed distributions', () => {
  const universe = { a: { '1.0': { requires: ['b'] }, '2.0': { requires: ['b>=1'] } }, b: { '1.0': {}, '2.0': {} } }

  it('are kept when they fit', async () => {
    const r = await resolveIn(universe, { requirements: ['a'], installed: { a: '1.0', b: '1.0' } })
    expect(pins(r)).toEqual({ a: '1.0', b: '1.0' })
    expect(r.get('a')!.candidate.installed).toBe(true)
  })

  it('are upgraded with --upgrade only where named (only-if-needed)', async () => {
    const r = await resolveIn(universe, { requirements: ['a'], installed: { a: '1.0', b: '1.0' }, upgrade: true })
    expect(pins(r)).toEqual({ a: '2.0', b: '1.0' })
  })

  it('are all upgraded with the eager strategy', async () => {
    const r = await resolveIn(universe, { requirements: ['a'], installed: { a: '1.0', b: '1.0' }, upgrade: true, upgradeStrategy: 'eager' })
    expect(pins(r)).toEqual({ a: '2.0', b: '2.0' })
  })

  it('are replaced when a requirement excludes them, and ignored by --force-reinstall', async () => {
    expect(pins(await resolveIn(universe, { requirements: ['a', 'b>=2'], installed: { a: '1.0', b: '1.0' } }))).toEqual({ a: '1.0', b: '2.0' })
    const forced = await resolveIn(universe, { requirements: ['a'], installed: { a: '1.0', b: '1.0' }, forceReinstall: true })
    expect(pins(forced)).toEqual({ a: '2.0', b: '2.0' })
    expect(forced.get('a')!.candidate.installed).toBeFalsy()
  })

  it('may be a version the index does not have, even a pre-release', async () => {
    expect(pins(await resolveIn(universe, { requirements: ['a>=1'], installed: { a: '1.5rc1' } })).a).toBe('1.5rc1')
  })
})

describe('direct URL requirements', () => {
  const universe = { a: { '1.0': {}, '2.0': {} }, b: { '1.0': { requires: ['a>=1.5'] } } }
  const urls = {
    'https://example.org/a-3.0.tar.gz': { name: 'a', version: '3.0', requires: [] },
    'https://example.org/a-1.0.tar.gz': { name: 'a', version: '1.0' },
  }

  it('use the URL candidate instead of the index', async () => {
    const r = await resolveIn(universe, { requirements: ['a @ https://example.org/a-3.0.tar.gz', 'b'], provider: { urls } })
    expect(pins(r)).toEqual({ a: '3.0', b: '1.0' })
    expect(r.get('a')!.candidate.url).toBe('https://example.org/a-3.0.tar.gz')
  })

  it('conflict when the URL version does not satisfy another requirement', async () => {
    const error = await failure(resolveIn(universe, { requirements: ['a @ https://example.org/a-1.0.tar.gz', 'b'], provider: { urls } }))
    expect(error.message).toContain('b 1.0 depends on a>=1.5')
  })

  it('may come from a dependency, replacing an index candidate already considered', async () => {
    const r = await resolveIn(
      { x: { '1.0': { requires: ['a', 'y'] } }, y: { '1.0': { requires: ['a @ https://example.org/a-3.0.tar.gz'] } }, a: universe.a },
      { requirements: ['x'], provider: { urls } },
    )
    expect(pins(r)).toEqual({ x: '1.0', y: '1.0', a: '3.0' })
    expect(r.stats.restarts).toBe(1)
  })

  it('may come from a constraint, which then decides where the package comes from', async () => {
    const r = await resolveIn(universe, { requirements: ['b'], constraints: ['a @ https://example.org/a-3.0.tar.gz'], provider: { urls } })
    expect(r.get('a')!.candidate.url).toBe('https://example.org/a-3.0.tar.gz')
  })

  it('never show credentials of a URL', async () => {
    const secret = 'https://user:s3cret@example.org/a-1.0.tar.gz'
    const error = await failure(resolveIn(universe, { requirements: [`a @ ${secret}`, 'b'], provider: { urls: { [secret]: { name: 'a', version: '1.0' } } } }))
    expect(error.message).toContain('a has only 1.0 @ https://user:****@example.org/a-1.0.tar.gz')
    expect(error.message).not.toContain('s3cret')
  })

  it('conflict when two URLs are given for one name', async () => {
    await failure(resolveIn(universe, { requirements: ['a @ https://example.org/a-1.0.tar.gz', 'a @ https://example.org/a-3.0.tar.gz'], provider: { urls } }))
  })
})

describe('the resolution', () => {
  it('lists dependencies before dependents, with who required what', async () => {
    const r = await resolveIn(
      { app: { '1.0': { requires: ['lib>=1', 'util'] } }, lib: { '1.0': { requires: ['util<2'] } }, util: { '1.0': {}, '2.0': {} } },
      { requirements: ['app'] },
    )
    expect(r.packages.map((p) => p.name)).toEqual(['util', 'lib', 'app'])
    expect(r.get('app')!.requested).toBe(true)
    expect(r.get('util')!.requested).toBe(false)
    expect(r.get('util')!.requiredBy).toEqual([
      { name: 'app', version: '1.0', extra: undefined, requirement: 'util' },
      { name: 'lib', version: '1.0', extra: undefined, requirement: 'util<2' },
    ])
    expect(r.get('app')!.requiredBy).toEqual([{ name: null, requirement: 'app' }])
  })

  it('stops when its signal aborts', async () => {
    const controller = new AbortController()
    controller.abort()
    const provider = createMemoryProvider({ a: { '1.0': {} } })
    await expect(
      resolve({ requirements: [parseRequirement('a')], provider, pythonVersion: parseVersion('3.12.1'), markerEnvironment: linuxEnvironment(), signal: controller.signal }),
    ).rejects.toThrow(/abort/i)
  })

  it('passes provider failures through', async () => {
    const provider: Provider = { candidates: () => Promise.reject(new Error('index down')), metadata: () => Promise.reject(new Error('unused')) }
    await expect(resolve({ requirements: [parseRequirement('a')], provider, pythonVersion: parseVersion('3.12.1'), markerEnvironment: linuxEnvironment() })).rejects.toThrow(
      'index down',
    )
  })

  it('tries another version when a candidate is unusable', async () => {
    const inner = createMemoryProvider({ a: { '1.0': {}, '2.0': {} } })
    const provider: Provider = {
      candidates: (name) => inner.candidates(name),
      metadata: (c) => (c.version.toString() === '2.0' ? Promise.reject(new CandidateUnusableError(c, 'its sdist does not build')) : inner.metadata(c)),
    }
    const r = await resolve({ requirements: [parseRequirement('a')], provider, pythonVersion: parseVersion('3.12.1'), markerEnvironment: linuxEnvironment() })
    expect(r.get('a')!.version.toString()).toBe('1.0')
  })

  it('fetches metadata ahead of the solver, concurrently', async () => {
    const inner = createMemoryProvider({ root: { '1.0': { requires: ['a', 'b', 'c', 'd'] } }, a: { '1.0': {} }, b: { '1.0': {} }, c: { '1.0': {} }, d: { '1.0': {} } })
    let inFlight = 0
    let maxInFlight = 0
    const provider: Provider = {
      candidates: (name) => inner.candidates(name),
      metadata: async (c): Promise<CandidateMetadata> => {
        inFlight++
        maxInFlight = Math.max(maxInFlight, inFlight)
        await new Promise((r) => setTimeout(r, 5))
        inFlight--
        return inner.metadata(c)
      },
    }
    await resolve({ requirements: [parseRequirement('root')], provider, pythonVersion: parseVersion('3.12.1'), markerEnvironment: linuxEnvironment() })
    expect(maxInFlight).toBeGreaterThanOrEqual(4)
  })

  it('hands prefetch hints to a provider that takes them, before asking for the metadata', async () => {
    const inner = createMemoryProvider({ root: { '1.0': { requires: ['a', 'b'] } }, a: { '1.0': {} }, b: { '1.0': {} } })
    const events: string[] = []
    const provider: Provider = {
      candidates: (name) => inner.candidates(name),
      metadata: (c) => {
        events.push(`metadata ${c.name}`)
        return inner.metadata(c)
      },
      prefetch: (c) => events.push(`hint ${c.name}`),
    }
    await resolve({ requirements: [parseRequirement('root')], provider, pythonVersion: parseVersion('3.12.1'), markerEnvironment: linuxEnvironment() })
    for (const name of ['a', 'b']) expect(events.indexOf(`hint ${name}`)).toBeLessThan(events.indexOf(`metadata ${name}`))
    expect(events.filter((e) => e.startsWith('hint')).length).toBe(new Set(events.filter((e) => e.startsWith('hint'))).size)
  })
})
