/**
 * Resolving Python requirements: PubGrub adapted to Python packaging.
 *
 * How it works. `resolve()` turns the user's requirements into the
 * dependencies of a virtual root package and runs the PubGrub core
 * (`pubgrub/solver.ts`, which explains conflict learning and backjumping)
 * with a delegate that knows Python packaging:
 *
 * - Packages are canonical project names. An extra is a virtual package
 *   `name[extra]` (as uv does): `a[x]` at version v depends on `a` exactly at
 *   v plus the Requires-Dist entries whose marker holds only with
 *   `extra == "x"`. Requiring `a[x,y]>=1` means requiring `a>=1`, `a[x]>=1` and
 *   `a[y]>=1`; the exact link keeps all of them on one version. Extra names are
 *   compared PEP 685-normalized on both sides.
 * - Markers are evaluated against the target's marker environment (given in
 *   the options, never the running Node process), with `extra` set to "" for
 *   a package's own requirements and to the extra for an extra's.
 * - Versions are *candidates*. Before any requirement on a package is
 *   evaluated, its candidate list is fetched from the provider (one candidate
 *   per version, the provider having chosen the file), and every version set
 *   the solver handles is a `CandidateSet`, a bit set over that list. A
 *   requirement is compiled into the set of candidates it admits (PEP 440
 *   containment from `@pipette/pep440`), so sets are exact and set operations
 *   cost a few machine words. Intervals would be the natural representation
 *   if versions were unknown, but Python's rules are per candidate, not per
 *   interval: an installed distribution, an index file and a direct URL of the
 *   same version are different candidates; yanked files and Requires-Python
 *   exclude individual candidates; pre-release preference looks at which
 *   candidates are left.
 * - Which candidate is preferred is the list order: the provider returns
 *   newest first (or wheels first under `--prefer-binary`); an installed
 *   distribution goes first unless the package may be upgraded (`--upgrade`
 *   with `only-if-needed` for the packages the user named, `eager` for all),
 *   in which case it replaces the index candidate of its version;
 *   `--force-reinstall` ignores it. A candidate from a direct URL requirement
 *   replaces the index entirely for that name (pip's explicit candidates), and
 *   a requirement with a URL admits only that URL's candidate.
 * - Candidates that may not be chosen (though they exist) are filtered at
 *   choice time, as pip's finder does: Requires-Python of the index (checked
 *   against the target Python, unless `ignoreRequiresPython`) and yanked
 *   files (allowed only when some requirement pins that version with
 *   `==`/`===`, PEP 592). Requires-Python found only in metadata makes that
 *   one version unusable.
 * - Pre-releases follow pip 26, whose vendored packaging 26 applies PEP 440:
 *   under `--pre`, or once some requirement or constraint on the package
 *   names a pre-release (any operator but `!=` and `==X.*`: `>=1.0b1`,
 *   `<2.0a2`), pre-releases count like any version; otherwise a pre-release is
 *   chosen only when the allowed set holds no usable final release (`a>1.0`
 *   when only 2.0b1 is newer, or a package with only pre-releases). This is
 *   a preference in `best()`, never part of a learned fact, so it needs no
 *   restart when a requirement met late opts a package in.
 * - Constraints (`-c`) do not add packages: each becomes the fact "this
 *   package outside the constraint cannot be used", added when the package
 *   first appears. `noDeps` resolves only the requirements given.
 *
 * Knowledge that changes the filters (a pin of a yanked version, a direct
 * URL for a name) is gathered as requirements are met, and only grows. If it
 * grows for a package whose candidates were already used, earlier
 * conclusions may be too strong, so the solve restarts with the larger
 * knowledge from the beginning (metadata and candidate lists are cached, so a
 * restart costs solver time only; it is rare: such requirements mostly come
 * from the user and are known before the start). A deliberate difference
 * from pip: pip decides yanked and pre-release eligibility from the
 * requirements active at that moment, pipette from every requirement met
 * during the resolution; and where every final release of a package is ruled
 * out by conflicts, pipette may take a pre-release where pip would fail.
 *
 * Which package to decide next follows pip's preference order: a package
 * with a single possible candidate (a pin, a URL), then the packages involved
 * in the latest conflict, then by depth from the root, then in the order the
 * user gave them, then constrained before unconstrained, then by name. With
 * the newest acceptable candidate chosen each time, the resolutions equal
 * pip's on every corpus case where pip's answer is recorded (the tests).
 *
 * Speed. Metadata is fetched lazily through the provider: when a package
 * appears, its candidate list is requested at once (all of a version's
 * dependencies concurrently), and whenever the solver chooses what to decide
 * next it hints the metadata of the best candidate of every pending package
 * (and of the next versions of a package walking down its versions), without
 * waiting, so a network-backed provider works ahead of the solver.
 */
import { redactUrl } from '@pipette/errors'
import { CandidateSet } from './candidate-set.js'
import type { Requirement, SpecifierSet, Version } from './compat.js'
import {
  canonicalizeName,
  compareVersions,
  normalizeExtra,
  specifierContains,
  specifierIsEmpty,
  specifierIsPin,
  requirementText,
  specifierKey,
  specifierNamesPrerelease,
} from './compat.js'
import type { ResolutionImpossibleError } from './errors.js'
import { ResolverInputError } from './errors.js'
import type { Candidate, CandidateMetadata, Provider } from './provider.js'
import { CandidateUnusableError } from './provider.js'
import type { Incompatibility } from './pubgrub/incompatibility.js'
import { makeIncompatibility } from './pubgrub/incompatibility.js'
import type { Dependencies, Dependency, SolverDelegate, SolverStats } from './pubgrub/solver.js'
import { solve } from './pubgrub/solver.js'
import { positive } from './pubgrub/term.js'
import type { Detail, Universe } from './describe.js'
import { describeFailure, ROOT, splitPackage } from './describe.js'

export type MarkerEnvironment = Readonly<Record<string, string>>

export interface ResolveOptions {
  /** What the user asked for (command-line names, requirement files). Markers are evaluated here. */
  readonly requirements: readonly Requirement[]
  /** `-c` constraints: restrict versions of packages that end up required, without requiring them. */
  readonly constraints?: readonly Requirement[] | undefined
  readonly provider: Provider
  /** The target interpreter's version (e.g. 3.12.1), for Requires-Python. */
  readonly pythonVersion: Version
  /** The target's marker environment (python_version, sys_platform, ...). */
  readonly markerEnvironment: MarkerEnvironment
  /** `--ignore-requires-python`. */
  readonly ignoreRequiresPython?: boolean | undefined
  /** `--pre`: allow pre-releases of every package. */
  readonly pre?: boolean | undefined
  /**
   * pip 26's `--all-releases` / `--only-final` after parsing: for a canonical
   * name, `all` treats its pre-releases like finals (as `--pre` does for all),
   * `only-final` never chooses one; undefined keeps the default rule.
   */
  readonly releases?: ((name: string) => 'all' | 'only-final' | undefined) | undefined
  /** Distributions already installed in the target (candidates with `installed: true`). */
  readonly installed?: readonly Candidate[] | undefined
  /** `--upgrade`. */
  readonly upgrade?: boolean | undefined
  /** `--upgrade-strategy`: with `--upgrade`, upgrade only the named packages (default) or everything. */
  readonly upgradeStrategy?: 'only-if-needed' | 'eager' | undefined
  /** `--force-reinstall`: choose from the index even when an installed version fits. */
  readonly forceReinstall?: boolean | undefined
  /** `--no-deps`. */
  readonly noDeps?: boolean | undefined
  readonly signal?: AbortSignal | undefined
}

export interface RequiredBy {
  /** The project that requires this one, or null for the user's own requirements. */
  readonly name: string | null
  readonly version?: string | undefined
  /** Set when the requirement comes from one of that project's extras. */
  readonly extra?: string | undefined
  /** The requirement as written. */
  readonly requirement: string
}

export interface ResolvedPackage {
  readonly name: string
  readonly version: Version
  readonly candidate: Candidate
  /** Extras of this package whose requirements were resolved (normalized). */
  readonly extras: readonly string[]
  /** Named by the user (pip's report: `requested`). */
  readonly requested: boolean
  /** Extras the user asked for on this package (pip's report: `requested_extras`). */
  readonly requestedExtras: readonly string[]
  /** Who asked for it: the user and/or the chosen versions of other packages. */
  readonly requiredBy: readonly RequiredBy[]
}

export interface ResolveStats extends SolverStats {
  /** Times the solve started over because knowledge grew (see the essay). */
  restarts: number
  /** Metadata fetched (or waited for) through the provider. */
  metadataRequests: number
}

export interface Resolution {
  /** Every chosen distribution, dependencies before the packages that need them. */
  readonly packages: readonly ResolvedPackage[]
  get(name: string): ResolvedPackage | undefined
  readonly stats: ResolveStats
}


type Incompat = Incompatibility<CandidateSet, Detail>

class Restart extends Error {}

interface Learned {
  /** A new `==` pin (it may make a yanked version eligible). */
  readonly pin: SpecifierSet | undefined
}

const NOTHING_NEW: Learned = Object.freeze({ pin: undefined })

const MAX_RESTARTS = 1000

/** Resolves `requirements` to a set of candidates, or throws `ResolutionImpossibleError` explaining why none exists. */
export async function resolve(options: ResolveOptions): Promise<Resolution> {
  const session = new Session(options)
  await session.prepare()
  for (;;) {
    const run = new Run(session)
    try {
      const result = await solve({ root: ROOT, rootVersion: 0, delegate: run })
      const stats: ResolveStats = { ...result.stats, restarts: session.restarts, metadataRequests: session.metadataRequests }
      if (!result.ok) throw run.failure(result.incompatibility, { ...stats })
      return run.resolution(result.decisions, stats)
    } catch (error) {
      if (!(error instanceof Restart)) throw error
      if (++session.restarts > MAX_RESTARTS) throw new Error('resolver: too many restarts')
    }
  }
}

interface Edge {
  readonly from: string
  readonly version: number
  readonly to: string
  readonly text: string
}

/** Everything that survives a restart: provider caches, knowledge, the prepared user input. */
class Session {
  readonly options: ResolveOptions
  readonly provider: Provider
  restarts = 0
  metadataRequests = 0
  rootRequirements: readonly Requirement[] = []
  /** Root requirement position by canonical name. */
  readonly requested = new Map<string, number>()
  readonly requestedExtras = new Map<string, Set<string>>()
  readonly constraints = new Map<string, Requirement[]>()
  readonly installed = new Map<string, Candidate>()
  /** Names for which some requirement names a pre-release. */
  readonly optIn = new Set<string>()
  /** `==`/`===` pins seen, by name (they make yanked versions eligible). */
  readonly pins = new Map<string, SpecifierSet[]>()
  /** Direct URL candidates seen, by name. */
  readonly urls = new Map<string, Candidate[]>()
  private readonly candidateLists = new Map<string, Promise<readonly Candidate[]>>()
  private readonly metadataCache = new Map<Candidate, Promise<CandidateMetadata>>()
  private readonly hinted = new Set<Candidate>()
  private readonly urlCache = new Map<string, Promise<Candidate>>()
  private readonly environments = new Map<string, MarkerEnvironment>()
  /** Marker answers by requirement and extra (a requirement object comes back in every version that lists it). */
  private readonly markerAnswers = new WeakMap<Requirement, Map<string, boolean>>()
  /** Requirements already learnt from (learning is idempotent: a second time tells nothing new). */
  private readonly learnt = new WeakSet<Requirement>()

  constructor(options: ResolveOptions) {
    this.options = options
    this.provider = options.provider
  }

  async prepare(): Promise<void> {
    const { options } = this
    if (!options.forceReinstall) for (const c of options.installed ?? []) this.installed.set(canonicalizeName(c.name), c)
    const roots: Requirement[] = []
    for (const requirement of options.requirements) {
      if (!this.markerAllows(requirement, '')) continue
      roots.push(requirement)
      const name = canonicalizeName(requirement.name)
      if (!this.requested.has(name)) this.requested.set(name, this.requested.size)
      let extras = this.requestedExtras.get(name)
      if (extras === undefined) this.requestedExtras.set(name, (extras = new Set()))
      for (const extra of requirement.extras) extras.add(normalizeExtra(extra))
      this.learn(name, requirement)
    }
    this.rootRequirements = roots
    for (const constraint of options.constraints ?? []) {
      if (!this.markerAllows(constraint, '')) continue
      if (constraint.extras.length > 0) {
        throw new ResolverInputError(
          `Constraint ${requirementText(constraint)} has extras; constraints may only restrict versions`,
          'Write the constraint without extras, e.g. "requests<3" instead of "requests[socks]<3".',
        )
      }
      const name = canonicalizeName(constraint.name)
      let list = this.constraints.get(name)
      if (list === undefined) this.constraints.set(name, (list = []))
      list.push(constraint)
      this.learn(name, constraint)
    }
    await Promise.all([...roots, ...(options.constraints ?? [])].filter((r) => r.url !== null).map((r) => this.learnUrl(r)))
  }

  markerAllows(requirement: Requirement, extra: string): boolean {
    if (requirement.marker === null) return true
    let answers = this.markerAnswers.get(requirement)
    let answer = answers?.get(extra)
    if (answer !== undefined) return answer
    let env = this.environments.get(extra)
    if (env === undefined) {
      env = { ...this.options.markerEnvironment, extra }
      this.environments.set(extra, env)
    }
    answer = requirement.marker.evaluate(env)
    if (answers === undefined) this.markerAnswers.set(requirement, (answers = new Map()))
    answers.set(extra, answer)
    return answer
  }

  /** Records what a requirement tells about pre-releases and pins; returns what is new. */
  learn(name: string, requirement: Requirement): Learned {
    if (this.learnt.has(requirement)) return NOTHING_NEW
    this.learnt.add(requirement)
    const spec = requirement.specifier
    let pin: SpecifierSet | undefined
    if (!this.options.pre && specifierNamesPrerelease(spec)) this.optIn.add(name)
    if (specifierIsPin(spec)) {
      let list = this.pins.get(name)
      if (list === undefined) this.pins.set(name, (list = []))
      if (!list.some((s) => specifierKey(s) === specifierKey(spec))) {
        list.push(spec)
        pin = spec
      }
    }
    return { pin }
  }

  /** Records a direct URL requirement's candidate; true when it is new. */
  async learnUrl(requirement: Requirement): Promise<boolean> {
    const url = requirement.url!
    const name = canonicalizeName(requirement.name)
    let list = this.urls.get(name)
    if (list?.some((c) => c.url === url)) return false
    const provider = this.provider
    if (provider.urlCandidate === undefined) {
      throw new ResolverInputError(
        `${requirementText(requirement)} is a direct URL requirement, which this provider cannot resolve`,
        'Use a provider with urlCandidate(), or a plain requirement such as "name>=1.0".',
      )
    }
    let pending = this.urlCache.get(url)
    if (pending === undefined) {
      pending = provider.urlCandidate(requirement)
      this.urlCache.set(url, pending)
    }
    const found = await pending
    const candidate: Candidate = found.url === url ? found : { ...found, url }
    if (canonicalizeName(candidate.name) !== name) {
      throw new ResolverInputError(
        `${requirementText(requirement)} points to a distribution of ${candidate.name}, not ${requirement.name}`,
        `Fix the name before "@", e.g. "${candidate.name} @ ${redactUrl(url)}".`,
      )
    }
    list = this.urls.get(name)
    if (list === undefined) this.urls.set(name, (list = []))
    if (list.some((c) => c.url === url)) return false
    list.push(candidate)
    return true
  }

  candidates(name: string): Promise<readonly Candidate[]> {
    let pending = this.candidateLists.get(name)
    if (pending === undefined) {
      pending = this.provider.candidates(name)
      this.candidateLists.set(name, pending)
    }
    return pending
  }

  metadata(candidate: Candidate): Promise<CandidateMetadata> {
    let pending = this.metadataCache.get(candidate)
    if (pending === undefined) {
      this.metadataRequests++
      pending = this.provider.metadata(candidate)
      this.metadataCache.set(candidate, pending)
    }
    return pending
  }

  /** Starts fetching metadata without waiting; errors surface when it is really needed. */
  prefetch(candidate: Candidate): void {
    if (this.metadataCache.has(candidate) || this.hinted.has(candidate)) return
    if (this.provider.prefetch !== undefined) {
      this.hinted.add(candidate)
      this.provider.prefetch(candidate)
      return
    }
    this.metadata(candidate).catch(() => undefined)
  }

  prefersInstalled(name: string): boolean {
    const { upgrade, upgradeStrategy } = this.options
    if (!upgrade) return true
    return upgradeStrategy !== 'eager' && !this.requested.has(name)
  }
}


/** One attempt at solving: the delegate of the PubGrub core. */
class Run implements SolverDelegate<CandidateSet, Detail> {
  private readonly session: Session
  private readonly options: ResolveOptions
  private readonly universes = new Map<string, Universe>()
  private readonly loading = new Map<string, Promise<void>>()
  private readonly compiled = new Map<string, Map<string, CandidateSet>>()
  private readonly depth = new Map<string, number>([[ROOT, 0]])
  private readonly edges: Edge[] = []
  private readonly constrained = new Set<string>()
  private readonly singletons = new Map<string, CandidateSet[]>()
  private conflictPackages: ReadonlySet<string> = new Set()
  private readonly attempts = new Map<string, number>()
  private readonly rootSet = CandidateSet.of(1, [0])

  constructor(session: Session) {
    this.session = session
    this.options = session.options
  }

  // ---- SolverDelegate ----

  singleton(pkg: string, version: number): CandidateSet {
    if (pkg === ROOT) return this.rootSet
    const name = splitPackage(pkg)[0]
    let cache = this.singletons.get(name)
    if (cache === undefined) this.singletons.set(name, (cache = []))
    let set = cache[version]
    if (set === undefined) set = cache[version] = CandidateSet.of(this.universe(name).candidates.length, [version])
    return set
  }

  pick(pending: ReadonlySet<string>, allowed: (pkg: string) => CandidateSet): string {
    let best: string | undefined
    let bestKey: (number | string)[] | undefined
    let prefetched = 0
    for (const pkg of pending) {
      const set = allowed(pkg)
      const name = splitPackage(pkg)[0]
      const universe = pkg === ROOT ? undefined : this.universe(name)
      if (universe !== undefined && prefetched < 32) {
        const first = this.best(universe, set)
        if (first !== -1) {
          this.session.prefetch(universe.candidates[first]!)
          prefetched++
        }
      }
      const key: (number | string)[] = [
        pkg === ROOT ? 0 : 1,
        set.count() <= 1 ? 0 : 1,
        this.conflictPackages.has(name) ? 0 : 1,
        this.depth.get(pkg) ?? Number.MAX_SAFE_INTEGER,
        this.session.requested.get(name) ?? Number.MAX_SAFE_INTEGER,
        universe !== undefined && set.isAny() ? 1 : 0,
        pkg,
      ]
      if (bestKey === undefined || compareKeys(key, bestKey) < 0) {
        best = pkg
        bestKey = key
      }
    }
    return best!
  }

  choose(pkg: string, set: CandidateSet): number | undefined {
    if (pkg === ROOT) return 0
    const universe = this.universe(splitPackage(pkg)[0])
    const index = this.best(universe, set)
    if (index === -1) return undefined
    // A package decided again is walking down its versions (the newer ones
    // were ruled out): fetch the next few candidates' metadata in parallel,
    // more each time, so a network-backed provider is not one round trip per version.
    const attempts = (this.attempts.get(pkg) ?? 0) + 1
    this.attempts.set(pkg, attempts)
    if (attempts > 1) {
      let budget = Math.min(2 ** attempts, 32)
      for (const i of set.indexes()) {
        if (budget === 0) break
        if (i <= index || !this.usable(universe, i)) continue
        this.session.prefetch(universe.candidates[i]!)
        budget--
      }
    }
    return index
  }

  async dependencies(pkg: string, version: number): Promise<Dependencies<CandidateSet, Detail>> {
    this.options.signal?.throwIfAborted()
    if (pkg === ROOT) return this.expand(ROOT, 0, this.session.rootRequirements, [])
    const [name, extra] = splitPackage(pkg)
    const universe = this.universe(name)
    const candidate = universe.candidates[version]!
    let metadata: CandidateMetadata
    try {
      metadata = await this.session.metadata(candidate)
    } catch (error) {
      if (error instanceof CandidateUnusableError) return { kind: 'unavailable', detail: { kind: 'unusable', reason: error.message } }
      throw error
    }
    if (extra === undefined) {
      const requiresPython = metadata.requiresPython
      if (
        requiresPython !== undefined &&
        !this.options.ignoreRequiresPython &&
        !candidate.installed &&
        !specifierContains(requiresPython, this.options.pythonVersion)
      ) {
        return { kind: 'unavailable', detail: { kind: 'requires-python', specifier: requiresPython.toString() } }
      }
      const requires = this.options.noDeps ? [] : metadata.requires.filter((r) => this.session.markerAllows(r, ''))
      return this.expand(pkg, version, requires, [])
    }
    const base: Dependency<CandidateSet, Detail> = { pkg: name, set: this.singleton(name, version), detail: { kind: 'extra-base', extra } }
    const provided = metadata.providesExtra
    if (this.options.noDeps || (provided !== undefined && !provided.some((e) => normalizeExtra(e) === extra))) {
      return { kind: 'known', dependencies: [base] }
    }
    const requires = metadata.requires.filter(
      (r) => r.marker !== null && this.session.markerAllows(r, extra) && !this.session.markerAllows(r, ''),
    )
    return this.expand(pkg, version, requires, [base])
  }

  learned(incompat: Incompat): void {
    this.conflictPackages = new Set(incompat.packages.map((p) => splitPackage(p)[0]))
  }

  // ---- candidates and sets ----

  private universe(name: string): Universe {
    const universe = this.universes.get(name)
    if (universe === undefined) throw new Error(`resolver: ${name} used before its candidates were loaded`)
    return universe
  }

  private load(name: string): Promise<void> {
    if (this.universes.has(name)) return Promise.resolve()
    let pending = this.loading.get(name)
    if (pending === undefined) {
      pending = this.build(name).then((universe) => {
        this.universes.set(name, universe)
      })
      this.loading.set(name, pending)
    }
    return pending
  }

  private async build(name: string): Promise<Universe> {
    const { session, options } = this
    let candidates: Candidate[]
    const urls = session.urls.get(name)
    if (urls !== undefined && urls.length > 0) {
      candidates = [...urls]
    } else {
      candidates = [...(await session.candidates(name))]
      const installed = session.installed.get(name)
      if (installed !== undefined) {
        const rest = candidates.filter((c) => compareVersions(c.version, installed.version) !== 0)
        if (session.prefersInstalled(name)) {
          candidates = [installed, ...rest]
        } else {
          const at = rest.findIndex((c) => compareVersions(c.version, installed.version) < 0)
          candidates = at === -1 ? [...rest, installed] : [...rest.slice(0, at), installed, ...rest.slice(at)]
        }
      }
    }
    const exempt = candidates.map((c) => c.installed === true || c.url !== undefined)
    const prerelease = candidates.map((c) => c.version.isPrerelease)
    const pythonOk = candidates.map(
      (c, i) =>
        exempt[i]! ||
        options.ignoreRequiresPython === true ||
        c.requiresPython === undefined ||
        specifierContains(c.requiresPython, options.pythonVersion),
    )
    const releases = options.releases?.(name)
    return {
      name,
      candidates,
      prerelease,
      pythonOk,
      exempt,
      allReleases: releases === 'all' || (options.pre === true && releases !== 'only-final'),
      onlyFinal: releases === 'only-final',
      any: CandidateSet.any(candidates.length),
    }
  }

  /**
   * Whether candidate `i` may be chosen at all: pip's finder filters that do
   * not depend on the other candidates (Requires-Python, yanked unless pinned).
   */
  private usable(universe: Universe, i: number): boolean {
    if (universe.exempt[i]) return true
    if (!universe.pythonOk[i]) return false
    if (universe.prerelease[i] && universe.onlyFinal) return false
    const candidate = universe.candidates[i]!
    return !candidate.yanked || this.pinned(universe.name, candidate.version)
  }

  /**
   * The preferred usable candidate in `set`. Pre-releases follow pip 26
   * (packaging 26, PEP 440): under `--pre` or once a requirement on the
   * package names a pre-release, every candidate counts in provider order;
   * otherwise a pre-release is taken only when the set holds no usable final
   * release. A preference, not a filter: nothing learned depends on it.
   */
  private best(universe: Universe, set: CandidateSet): number {
    if (universe.allReleases || this.session.optIn.has(universe.name)) return set.first((i) => this.usable(universe, i))
    const final = set.first((i) => (universe.exempt[i] || !universe.prerelease[i]) && this.usable(universe, i))
    return final !== -1 ? final : set.first((i) => this.usable(universe, i))
  }

  private pinned(name: string, version: Version): boolean {
    return (this.session.pins.get(name) ?? []).some((spec) => specifierContains(spec, version))
  }

  /** The candidates of `universe` a requirement admits. */
  private compile(universe: Universe, requirement: Requirement): CandidateSet {
    const spec = requirement.specifier
    const key = requirement.url !== null ? `@${requirement.url}` : specifierKey(spec)
    let cache = this.compiled.get(universe.name)
    if (cache === undefined) this.compiled.set(universe.name, (cache = new Map()))
    let set = cache.get(key)
    if (set !== undefined) return set
    const { candidates } = universe
    if (requirement.url !== null) {
      const url = requirement.url
      set = CandidateSet.where(candidates.length, (i) => candidates[i]!.url === url)
    } else if (specifierIsEmpty(spec)) {
      set = universe.any
    } else {
      set = CandidateSet.where(candidates.length, (i) => specifierContains(spec, candidates[i]!.version))
    }
    cache.set(key, set)
    return set
  }

  /** Whether new knowledge about `name` changes what this run already computed. */
  private affects(name: string, learned: Learned): boolean {
    const universe = this.universes.get(name)
    if (universe === undefined) return false
    const { candidates, exempt } = universe
    const pin = learned.pin
    if (pin === undefined) return false
    const others = (this.session.pins.get(name) ?? []).filter((s) => s !== pin)
    return candidates.some(
      (c, i) => !exempt[i] && c.yanked === true && specifierContains(pin, c.version) && !others.some((s) => specifierContains(s, c.version)),
    )
  }

  private async expand(
    pkg: string,
    version: number,
    requirements: readonly Requirement[],
    extra: readonly Dependency<CandidateSet, Detail>[],
  ): Promise<Dependencies<CandidateSet, Detail>> {
    const { session } = this
    const names = requirements.map((r) => canonicalizeName(r.name))
    let restart = false
    requirements.forEach((requirement, i) => {
      if (this.affects(names[i]!, session.learn(names[i]!, requirement))) restart = true
    })
    const urlRequirements = requirements.filter((r) => r.url !== null)
    if (urlRequirements.length > 0) {
      const learned = await Promise.all(urlRequirements.map((r) => session.learnUrl(r)))
      urlRequirements.forEach((r, i) => {
        if (learned[i] && this.universes.has(canonicalizeName(r.name))) restart = true
      })
    }
    if (restart) throw new Restart()
    const fresh = [...new Set(names)].filter((n) => !this.universes.has(n))
    await Promise.all(fresh.map((n) => this.load(n)))
    const dependencies: Dependency<CandidateSet, Detail>[] = [...extra]
    const depth = (this.depth.get(pkg) ?? 0) + 1
    requirements.forEach((requirement, i) => {
      const name = names[i]!
      const set = this.compile(this.universe(name), requirement)
      const text = requirementText(requirement)
      const detail: Detail = { kind: 'requirement', text, name, requirement }
      const targets = [name, ...[...new Set(requirement.extras.map(normalizeExtra))].map((e) => `${name}[${e}]`)]
      for (const target of targets) {
        dependencies.push({ pkg: target, set, detail })
        if (depth < (this.depth.get(target) ?? Number.MAX_SAFE_INTEGER)) this.depth.set(target, depth)
      }
      this.edges.push({ from: pkg, version, to: name, text })
    })
    const facts: Incompat[] = []
    for (const name of new Set(names)) {
      if (this.constrained.has(name)) continue
      this.constrained.add(name)
      for (const constraint of session.constraints.get(name) ?? []) {
        const universe = this.universe(name)
        const outside = this.compile(universe, constraint).complement()
        if (outside.isEmpty()) continue
        const fact = makeIncompatibility<CandidateSet, Detail>([[name, positive(outside)]], {
          kind: 'unavailable',
          detail: { kind: 'constraint', text: requirementText(constraint), requirement: constraint },
        })
        if (fact !== undefined) facts.push(fact)
      }
    }
    return { kind: 'known', dependencies, facts }
  }

  // ---- results ----

  resolution(decisions: ReadonlyMap<string, number>, stats: ResolveStats): Resolution {
    const { session } = this
    const byName = new Map<string, { candidate: Candidate; extras: Set<string>; requiredBy: RequiredBy[] }>()
    for (const [pkg, version] of decisions) {
      if (pkg === ROOT) continue
      const [name, extra] = splitPackage(pkg)
      let entry = byName.get(name)
      if (entry === undefined) {
        entry = { candidate: this.universe(name).candidates[version]!, extras: new Set(), requiredBy: [] }
        byName.set(name, entry)
      }
      if (extra !== undefined) entry.extras.add(extra)
    }
    const children = new Map<string, string[]>()
    for (const edge of this.edges) {
      if (decisions.get(edge.from) !== edge.version) continue
      const target = byName.get(edge.to)
      if (target === undefined) continue
      const [fromName, fromExtra] = splitPackage(edge.from)
      if (edge.from === ROOT) {
        target.requiredBy.push({ name: null, requirement: edge.text })
      } else {
        const from = byName.get(fromName)!
        target.requiredBy.push({ name: fromName, version: from.candidate.version.toString(), extra: fromExtra, requirement: edge.text })
      }
      const key = edge.from === ROOT ? ROOT : fromName
      let list = children.get(key)
      if (list === undefined) children.set(key, (list = []))
      if (!list.includes(edge.to) && edge.to !== key) list.push(edge.to)
    }
    const order: string[] = []
    const visited = new Set<string>()
    const visit = (name: string): void => {
      if (visited.has(name)) return
      visited.add(name)
      for (const child of children.get(name) ?? []) visit(child)
      if (name !== ROOT) order.push(name)
    }
    visit(ROOT)
    for (const name of [...byName.keys()].sort()) visit(name)
    const packages = order.map((name): ResolvedPackage => {
      const entry = byName.get(name)!
      return {
        name,
        version: entry.candidate.version,
        candidate: entry.candidate,
        extras: [...entry.extras].sort(),
        requested: session.requested.has(name),
        requestedExtras: [...(session.requestedExtras.get(name) ?? [])].sort(),
        requiredBy: entry.requiredBy,
      }
    })
    const index = new Map(packages.map((p) => [p.name, p]))
    return { packages, get: (name) => index.get(canonicalizeName(name)), stats }
  }

  failure(incompat: Incompat, stats: Readonly<Record<string, number>>): ResolutionImpossibleError {
    return describeFailure(incompat, {
      stats,
      universes: this.universes,
      usable: (universe, i) => this.usable(universe, i),
      pythonVersion: this.options.pythonVersion,
    })
  }
}

function compareKeys(a: readonly (number | string)[], b: readonly (number | string)[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!
    const y = b[i]!
    if (x === y) continue
    if (typeof x === 'number' && typeof y === 'number') return x - y
    return String(x) < String(y) ? -1 : 1
  }
  return 0
}
