/**
 * The resolver's view of indexes, `--find-links`, direct URLs and the
 * environment: a `Provider` (see @pipette/resolver) over @pipette/index's
 * finder and metadata reader.
 *
 * Candidates. The finder lists every file of a project that the target can
 * use (wheel tags, `--only-binary`/`--no-binary`; it is asked to keep files
 * whatever their Requires-Python, so the provider can say why a version is
 * excluded). The provider picks one file per version, as pip's finder does:
 * files whose index Requires-Python excludes the target are out (a version
 * with only such files is still listed, carrying that Requires-Python, so
 * the resolver rejects it and names the reason); in hash-checking mode only
 * files whose published hash is allowed (unless none is, as pip); then the
 * best file by pip's order (not yanked, the most specific wheel tag, the
 * highest build tag, a wheel before an sdist). A version is yanked when all
 * its remaining files are. Versions come newest first; with
 * `--prefer-binary`, versions that have a wheel come before those that only
 * have an sdist.
 *
 * Metadata. Read once per candidate and kept: for an installed distribution,
 * its METADATA; for an index or URL file, the PEP 658 `.metadata` file
 * (through the HTTP cache), else range requests into the wheel, else the
 * whole file (@pipette/index's `fetchMetadata`); for a source distribution
 * without a metadata file, the `sdistMetadata` hook (download and a PEP 517
 * metadata build). At most `concurrency` fetches run at once; what the
 * resolver waits for goes before its prefetch hints, and a hint it starts
 * waiting for is promoted. Metadata that contradicts the file name, or whose
 * Requires-Dist does not parse, makes the candidate unusable (the resolver
 * tries other versions, as pip does).
 */
import type { Candidate as IndexCandidate, DistributionFile, Finder } from '@pipette/index'
import { compareCandidates, pep440Versions, wheelName } from '@pipette/index'
import type { SpecifierSet, Version } from '@pipette/pep440'
import { compareVersions, parseVersion, tryParseSpecifierSet } from '@pipette/pep440'
import type { Requirement } from '@pipette/requirements'
import { canonicalizeName } from '@pipette/requirements'
import type { Candidate, CandidateMetadata, Provider } from '@pipette/resolver'
import { CandidateUnusableError } from '@pipette/resolver'
import type { CoreMetadata, InstalledDistribution } from '@pipette/venv'
import { InstallerError } from './errors.js'
import type { Limiter } from './limiter.js'
import { createLimiter } from './limiter.js'
import { decodeMetadata, readMetadata } from './metadata.js'
import type { MetadataMemo } from './metadata-memo.js'
import type { HashSet } from './requests.js'

/** What a candidate stands for (`Candidate.handle`). */
export type CandidateHandle =
  | { readonly kind: 'index'; readonly file: DistributionFile; readonly candidate: IndexCandidate<Version> }
  | { readonly kind: 'installed'; readonly distribution: InstalledDistribution }
  | { readonly kind: 'url'; readonly file: DistributionFile; readonly isWheel: boolean }

export interface IndexProviderOptions {
  readonly finder: Finder<Version>
  /** METADATA of a file (PEP 658, ranges, whole file): `session.metadata`. Throws for an sdist without a metadata file. */
  readonly fetchMetadata: (file: DistributionFile, project: string) => Promise<Uint8Array>
  /** METADATA of a source distribution that has no metadata file (a download and a PEP 517 build). */
  readonly sdistMetadata?: ((candidate: Candidate) => Promise<Uint8Array>) | undefined
  /** The target Python (Requires-Python of index files). */
  readonly pythonVersion: Version
  readonly ignoreRequiresPython?: boolean | undefined
  readonly preferBinary?: boolean | undefined
  /** Supported tags, most preferred first (checks wheels of direct URLs). */
  readonly supportedTags: readonly string[]
  /** Allowed hashes per canonical name (hash-checking mode). */
  readonly hashes?: ((name: string) => HashSet | undefined) | undefined
  /** Metadata fetches in flight at once (default 16). */
  readonly concurrency?: number | undefined
  /** Metadata remembered by file hash across runs (metadata-memo.ts). */
  readonly memo?: MetadataMemo | undefined
}

export interface IndexProvider extends Provider {
  /** The core metadata read for a candidate, when it was read (for `--report`). */
  coreMetadata(candidate: Candidate): CoreMetadata | undefined
  /** The finder's files for a project (what `candidates` was built from). */
  readonly finder: Finder<Version>
}

/** The candidate of an installed distribution (for the resolver's `installed` option). */
export function installedCandidate(distribution: InstalledDistribution): Candidate | undefined {
  const version = (() => {
    try {
      return parseVersion(distribution.version)
    } catch {
      return undefined
    }
  })()
  if (version === undefined) return undefined
  const handle: CandidateHandle = { kind: 'installed', distribution }
  return Object.freeze({ name: distribution.canonicalName, version, installed: true, distribution: 'installed' as const, handle })
}

function fileKey(candidate: Candidate): string {
  const handle = candidate.handle as CandidateHandle | undefined
  if (handle === undefined) return `?${candidate.name}@${candidate.version.toString()}`
  switch (handle.kind) {
    case 'installed':
      return `installed:${handle.distribution.infoPath}`
    case 'index':
    case 'url':
      return handle.file.url
  }
}

function hashAllowed(file: DistributionFile, allowed: HashSet): boolean {
  for (const [alg, values] of Object.entries(allowed)) {
    const have = file.hashes[alg]
    if (have !== undefined && values.includes(have.toLowerCase())) return true
  }
  return false
}

function filenameOfUrl(url: string): string {
  const path = url.split(/[?#]/, 1)[0]!
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1))
}

function fragmentHashes(url: string): Record<string, string> {
  const hash = url.includes('#') ? url.slice(url.indexOf('#') + 1) : ''
  const out: Record<string, string> = {}
  for (const part of hash.split('&')) {
    const match = /^(sha1|sha224|sha384|sha256|sha512|md5)=([0-9a-fA-F]+)$/.exec(part)
    if (match !== null) out[match[1]!] = match[2]!.toLowerCase()
  }
  return out
}

/** Builds the provider (see the essay above). */
export function createIndexProvider(options: IndexProviderOptions): IndexProvider {
  const limiter: Limiter = createLimiter(options.concurrency ?? 16)
  const metadataMemo = new Map<string, Promise<CandidateMetadata>>()
  const coreMemo = new Map<string, CoreMetadata>()
  const candidatesMemo = new Map<string, Promise<readonly Candidate[]>>()
  const order = compareCandidates(pep440Versions, { preferBinary: options.preferBinary })
  const python = options.pythonVersion
  const tagRank = new Map<string, number>()
  options.supportedTags.forEach((tag, i) => {
    if (!tagRank.has(tag)) tagRank.set(tag, i)
  })

  const pythonAllows = (specifier: string | undefined): { ok: boolean; set: SpecifierSet | undefined } => {
    if (specifier === undefined || specifier.trim() === '') return { ok: true, set: undefined }
    const set = tryParseSpecifierSet(specifier) ?? undefined
    if (set === undefined) return { ok: true, set: undefined }
    return { ok: options.ignoreRequiresPython === true || set.contains(python, { prereleases: true }), set }
  }

  async function buildCandidates(name: string): Promise<readonly Candidate[]> {
    const found = await options.finder.findAll(name)
    let files = [...found.candidates]
    const allowed = options.hashes?.(name)
    if (allowed !== undefined && Object.keys(allowed).length > 0) {
      const matching = files.filter((c) => hashAllowed(c.file, allowed))
      if (matching.length > 0) files = matching
    }
    const byVersion = new Map<string, IndexCandidate<Version>[]>()
    for (const file of files) {
      const key = file.version.toString()
      let list = byVersion.get(key)
      if (list === undefined) {
        list = []
        byVersion.set(key, list)
      }
      list.push(file)
    }
    const chosen: Array<{ best: IndexCandidate<Version>; candidate: Candidate }> = []
    for (const list of byVersion.values()) {
      const usable = list.filter((c) => pythonAllows(c.file.requiresPython).ok)
      const pool = usable.length > 0 ? usable : list
      pool.sort(order).reverse()
      const best = pool[0]!
      const yanked = pool.every((c) => c.file.yanked)
      const handle: CandidateHandle = { kind: 'index', file: best.file, candidate: best }
      chosen.push({
        best,
        candidate: Object.freeze({
          name: canonicalizeName(name),
          version: best.version,
          yanked,
          yankedReason: yanked ? best.file.yankedReason : undefined,
          requiresPython: pythonAllows(best.file.requiresPython).set,
          distribution: best.kind,
          handle,
        }),
      })
    }
    // Newest first; with --prefer-binary, versions with a wheel first (pip's sort key, yanked apart).
    chosen.sort((a, b) => {
      if (options.preferBinary && a.best.kind !== b.best.kind) return a.best.kind === 'wheel' ? -1 : 1
      return compareVersions(b.best.version, a.best.version)
    })
    return Object.freeze(chosen.map((c) => c.candidate))
  }

  async function loadMetadata(candidate: Candidate): Promise<CandidateMetadata> {
    const handle = candidate.handle as CandidateHandle | undefined
    if (handle === undefined) throw new Error(`installer provider: candidate ${candidate.name} ${candidate.version.toString()} has no handle`)
    let core: CoreMetadata
    if (handle.kind === 'installed') {
      core = handle.distribution.metadata
      const parsed = readMetadata(core)
      if ('problem' in parsed) throw new CandidateUnusableError(candidate, parsed.problem)
      coreMemo.set(fileKey(candidate), core)
      return parsed.resolver
    }
    const file = handle.file
    const isSdist = handle.kind === 'index' ? handle.candidate.kind === 'sdist' : !handle.isWheel
    const sha256 = file.hashes['sha256']?.toLowerCase()
    let bytes = sha256 === undefined ? undefined : options.memo?.get(candidate.name, sha256)
    if (bytes === undefined) {
      if (isSdist && file.coreMetadata === false) {
        if (options.sdistMetadata === undefined) throw new CandidateUnusableError(candidate, 'its metadata needs a build of the source distribution')
        bytes = await options.sdistMetadata(candidate)
      } else {
        bytes = await options.fetchMetadata(file, candidate.name)
      }
      if (sha256 !== undefined) options.memo?.put(candidate.name, sha256, bytes)
    }
    core = decodeMetadata(bytes)
    const parsed = readMetadata(core, { name: candidate.name, version: candidate.version })
    if ('problem' in parsed) throw new CandidateUnusableError(candidate, parsed.problem)
    coreMemo.set(fileKey(candidate), core)
    return parsed.resolver
  }

  const request = (candidate: Candidate, priority: 'now' | 'later'): Promise<CandidateMetadata> => {
    const key = fileKey(candidate)
    let pending = metadataMemo.get(key)
    if (pending === undefined) {
      pending = limiter.run(key, () => loadMetadata(candidate), priority)
      metadataMemo.set(key, pending)
      // A failed hint is not an answer: the real request tries again.
      pending.catch(() => {
        if (priority === 'later') metadataMemo.delete(key)
      })
    } else if (priority === 'now') {
      limiter.promote(key)
    }
    return pending
  }

  return {
    finder: options.finder,
    candidates(name) {
      const key = canonicalizeName(name)
      let pending = candidatesMemo.get(key)
      if (pending === undefined) {
        pending = buildCandidates(key)
        candidatesMemo.set(key, pending)
      }
      return pending
    },
    metadata: (candidate) => request(candidate, 'now'),
    prefetch(candidate) {
      request(candidate, 'later').catch(() => undefined)
    },
    coreMetadata: (candidate) => coreMemo.get(fileKey(candidate)),
    async urlCandidate(requirement: Requirement): Promise<Candidate> {
      const url = requirement.url!
      const filename = filenameOfUrl(url)
      const name = canonicalizeName(requirement.name)
      const isWheel = filename.toLowerCase().endsWith('.whl')
      let version: Version
      if (isWheel) {
        const parsed = wheelName(filename)
        if (parsed === undefined) {
          throw new InstallerError('ERR_INVALID_WHEEL_FILENAME', `${filename} is not a valid wheel filename.`, { hint: 'a wheel file name looks like name-1.0-py3-none-any.whl' })
        }
        if (parsed.canonicalName !== name) {
          throw new InstallerError('ERR_METADATA_INCONSISTENT', `The wheel ${filename} is for ${parsed.canonicalName}, but the requirement names ${requirement.name}`, {
            hint: `name the project the file holds, example: ${parsed.canonicalName} @ ${url}`,
          })
        }
        if (!parsed.tags.some((tag) => tagRank.has(tag))) {
          throw new InstallerError('ERR_UNSUPPORTED_WHEEL', `${filename} is not a supported wheel on this platform.`, {
            hint: 'pick a wheel whose tags the target interpreter supports (pipette debug-like check: py3-none-any always works)',
          })
        }
        version = parseVersion(parsed.version)
      } else {
        const stem = filename.replace(/\.(tar\.gz|tar\.bz2|tar\.xz|tgz|tbz|txz|tar|zip)$/i, '')
        const dash = stem.lastIndexOf('-')
        const parsedVersion = dash === -1 ? undefined : (() => {
          try {
            return parseVersion(stem.slice(dash + 1))
          } catch {
            return undefined
          }
        })()
        if (parsedVersion === undefined) {
          throw new InstallerError('ERR_UNSUPPORTED_REQUIREMENT', `${requirement.toString()}: the version of ${filename} cannot be read from its name`, {
            hint: 'use a wheel file (name-1.0-py3-none-any.whl) or a source archive named name-1.0.tar.gz',
          })
        }
        version = parsedVersion
      }
      const file: DistributionFile = Object.freeze({
        filename,
        url,
        hashes: fragmentHashes(url),
        requiresPython: undefined,
        yanked: false,
        yankedReason: undefined,
        coreMetadata: false,
        size: undefined,
        uploadTime: undefined,
        pageUrl: url,
      })
      const handle: CandidateHandle = { kind: 'url', file, isWheel }
      return Object.freeze({ name, version, url, distribution: 'url' as const, handle })
    },
  }
}
