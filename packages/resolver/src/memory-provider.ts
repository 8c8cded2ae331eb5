import type { Requirement } from './compat.js'
import { canonicalizeName, compareVersions, parseRequirement, parseSpecifierSet, parseVersion } from './compat.js'
import type { Candidate, CandidateMetadata, Provider } from './provider.js'

/** One version of a project in an in-memory universe. */
export interface MemoryVersion {
  /** Requires-Dist strings (PEP 508, markers allowed). */
  readonly requires?: readonly string[] | undefined
  /** Optional-dependency groups: each entry becomes `req; extra == "<name>"` and a Provides-Extra. */
  readonly extras?: Readonly<Record<string, readonly string[]>> | undefined
  readonly requiresPython?: string | undefined
  /** Requires-Python appears only in the metadata, not on the index page. */
  readonly requiresPythonInMetadataOnly?: boolean | undefined
  readonly yanked?: boolean | undefined
  readonly distribution?: 'wheel' | 'sdist' | undefined
}

/** Project name -> version string -> version data. Names need not be normalized. */
export type MemoryUniverse = Readonly<Record<string, Readonly<Record<string, MemoryVersion>>>>

export interface MemoryProviderOptions {
  /** Candidates for direct URL requirements: url -> project, version and data. */
  readonly urls?: Readonly<Record<string, { readonly name: string; readonly version: string } & MemoryVersion>> | undefined
  /** Order candidates by this instead of newest first (e.g. to model --prefer-binary). */
  readonly order?: ((a: Candidate, b: Candidate) => number) | undefined
}

export interface MemoryProvider extends Provider {
  /** How many times each method was called (to check laziness). */
  readonly calls: { candidates: number; metadata: number; urlCandidate: number }
}

interface Handle {
  readonly data: MemoryVersion
}

/**
 * A provider over an in-memory universe, for tests and benchmarks: the same
 * interface as the index-backed provider, with no I/O. Invalid version strings
 * are skipped (as pip skips them on an index page).
 */
export function createMemoryProvider(universe: MemoryUniverse, options: MemoryProviderOptions = {}): MemoryProvider {
  const projects = new Map<string, Candidate[]>()
  const make = (name: string, version: string, data: MemoryVersion, url?: string): Candidate | undefined => {
    let parsed
    try {
      parsed = parseVersion(version)
    } catch {
      return undefined
    }
    const handle: Handle = { data }
    return {
      name,
      version: parsed,
      yanked: data.yanked === true,
      requiresPython: data.requiresPython !== undefined && !data.requiresPythonInMetadataOnly ? parseSpecifierSet(data.requiresPython) : undefined,
      distribution: url !== undefined ? 'url' : (data.distribution ?? 'wheel'),
      url,
      handle,
    }
  }
  for (const [rawName, versions] of Object.entries(universe)) {
    const name = canonicalizeName(rawName)
    const list = projects.get(name) ?? []
    for (const [version, data] of Object.entries(versions)) {
      const candidate = make(name, version, data)
      if (candidate !== undefined) list.push(candidate)
    }
    list.sort(options.order ?? ((a, b) => compareVersions(b.version, a.version)))
    projects.set(name, list)
  }
  const metadataCache = new WeakMap<Candidate, CandidateMetadata>()
  const calls = { candidates: 0, metadata: 0, urlCandidate: 0 }
  return {
    calls,
    candidates(name) {
      calls.candidates++
      return Promise.resolve(projects.get(canonicalizeName(name)) ?? [])
    },
    metadata(candidate) {
      calls.metadata++
      let metadata = metadataCache.get(candidate)
      if (metadata === undefined) {
        const { data } = candidate.handle as Handle
        const requires: Requirement[] = (data.requires ?? []).map((r) => parseRequirement(r))
        for (const [extra, list] of Object.entries(data.extras ?? {})) {
          for (const r of list) requires.push(parseRequirement(withExtraMarker(r, extra)))
        }
        metadata = {
          requires,
          requiresPython: data.requiresPython === undefined ? undefined : parseSpecifierSet(data.requiresPython),
          providesExtra: data.extras === undefined ? undefined : Object.keys(data.extras),
        }
        metadataCache.set(candidate, metadata)
      }
      return Promise.resolve(metadata)
    },
    urlCandidate(requirement) {
      calls.urlCandidate++
      const url = requirement.url!
      const entry = options.urls?.[url]
      if (entry === undefined) return Promise.reject(new Error(`no distribution at ${url}`))
      return Promise.resolve(make(canonicalizeName(entry.name), entry.version, entry, url)!)
    },
  }
}

/** `req` guarded by `extra == "<extra>"` (combined with its own marker, if any). */
function withExtraMarker(requirement: string, extra: string): string {
  const semi = requirement.indexOf(';')
  if (semi === -1) return `${requirement}; extra == "${extra}"`
  return `${requirement.slice(0, semi).trimEnd()}; (${requirement.slice(semi + 1).trim()}) and extra == "${extra}"`
}
