/**
 * The install pipeline: what `pipette install` does, as a library.
 *
 * 1. Requests. The command line, `-r` and `-c` files are read into
 *    requirements, constraints and the options the files carry
 *    (requests.ts). Requirements whose markers do not hold for the target are
 *    dropped ("Ignoring ..."), as pip drops them.
 * 2. Target. The interpreter was queried once by the caller; target.ts turns
 *    it into the Python version, marker environment, wheel tags and install
 *    scheme (`--prefix`, `--target`, `--python-version`).
 * 3. Resolve. An index session (@pipette/index: indexes, find-links, the HTTP
 *    cache, credentials) backs a provider (provider.ts) that picks one file
 *    per version and reads metadata lazily (PEP 658 files, else range
 *    requests), many at once, ahead of the solver through its prefetch
 *    hints. @pipette/resolver decides; what is installed in the environment
 *    takes part as candidates, so `-U`, `--upgrade-strategy` and
 *    `--force-reinstall` behave as in pip. Hash-checking mode is checked
 *    before anything is fetched: every requirement pinned with `==`.
 * 4. Plan. Each resolved distribution is kept (already installed, "Requirement
 *    already satisfied"), added, or replaces the installed version.
 * 5. Fetch and install, overlapped. Every distribution to install goes
 *    through its own chain: fetch (distributions.ts: the unpacked archive of
 *    an earlier run, else the wheel store, else a download streamed into the
 *    store while hashed; an sdist is built), uninstall the version it
 *    replaces (@pipette/venv's pip-compatible uninstall), link its files
 *    from the unpacked tree into the scheme (tree-install.ts) and compile
 *    them with a shared pool of Python workers. The chains run concurrently,
 *    so the network, the disk and the compilers are busy at the same time.
 *    In hash-checking mode every file is fetched and checked first, and
 *    nothing is installed unless all match (pip's rule). Events come out in
 *    pip's order per distribution, so the CLI can print pip's lines.
 * 6. Result. pip's summary (`Successfully installed a-1.0 b-2.0`, or `Would
 *    install ...` for a dry run) and the installation report (`--report`).
 *
 * With `--target DIR`, files go to a home scheme in a staging directory
 * inside DIR, whose top-level entries are moved into DIR at the end (an
 * existing entry is kept with pip's warning unless `--upgrade`); installed
 * distributions of the interpreter do not count, as in pip.
 */
import { mkdir, readdir, rename, rm, lstat } from 'node:fs/promises'
import { join } from 'node:path'
import type { Cache } from '@pipette/cache'
import { redactUrl } from '@pipette/errors'
import type { DistributionFile, HttpClient, IndexSession, IndexSessionOptions, RangeMemory } from '@pipette/index'
import type { Version } from '@pipette/pep440'
import type { Requirement } from '@pipette/requirements'
import type { Candidate, Resolution, ResolvedPackage } from '@pipette/resolver'
import type { CoreMetadata, InstalledDistribution, InterpreterInfo } from '@pipette/venv'
import type { Compiler } from '@pipette/wheel'
import { metadataGet } from '@pipette/venv'
import type { FetchEvent, FetchedDistribution, Fetcher } from './distributions.js'
import { createFetcher, fileDigests } from './distributions.js'
import { InstallerError } from './errors.js'
import type { FormatControl } from './format-control.js'
import { allowedFormats, applyFormatOption, NO_FORMAT_CONTROL } from './format-control.js'
import type { CandidateHandle, IndexProvider } from './provider.js'
import { createIndexProvider, installedCandidate } from './provider.js'
import type { InstallationReport, ReportEntry } from './report.js'
import { buildReport } from './report.js'
import type { CollectedRequests, HashSet, UserRequirement } from './requests.js'
import { collectRequests, intersectHashes } from './requests.js'
import { createSdistBuilder } from './sdist.js'
import type { InstallTarget } from './target.js'
import { describeTarget, schemeFor } from './target.js'
import { installFromTree } from './tree-install.js'
import { createLinker } from './linker.js'
import { createGeneratedFiles } from './generated.js'
import { createThreadedUnpacker } from './unpack.js'
import { createLimiter } from './limiter.js'
import { createMetadataMemo } from './metadata-memo.js'

/** Where distributions come from (pip's "Package Index Options" and network options). */
export interface IndexOptions {
  readonly indexUrl?: string | undefined
  readonly extraIndexUrls?: readonly string[] | undefined
  readonly noIndex?: boolean | undefined
  readonly findLinks?: readonly string[] | undefined
  readonly indexStrategy?: 'first-index' | 'unsafe-best-match' | undefined
  readonly trustedHosts?: readonly string[] | undefined
  readonly retries?: number | undefined
  readonly timeout?: number | undefined
  readonly proxy?: string | undefined
  readonly cert?: string | undefined
  readonly clientCert?: string | undefined
}

export interface ResolveRequestOptions {
  readonly interpreter: InterpreterInfo
  /** Command-line requirements: `name`, `name>=1`, `./x.whl`, `name @ URL`. */
  readonly args?: readonly string[] | undefined
  /** `-r` files. */
  readonly requirementFiles?: readonly string[] | undefined
  /** `-c` files. */
  readonly constraintFiles?: readonly string[] | undefined
  readonly index?: IndexOptions | undefined
  readonly pre?: boolean | undefined
  readonly preferBinary?: boolean | undefined
  /** `--only-binary` values, in order. */
  readonly onlyBinary?: readonly string[] | undefined
  /** `--no-binary` values, in order (applied after `onlyBinary`: give them in command-line order via `formatOptions` for exactness). */
  readonly noBinary?: readonly string[] | undefined
  /** `--only-binary`/`--no-binary` in command-line order (overrides `onlyBinary`/`noBinary`). */
  readonly formatOptions?: ReadonlyArray<{ readonly kind: 'only-binary' | 'no-binary'; readonly value: string }> | undefined
  readonly ignoreRequiresPython?: boolean | undefined
  readonly requireHashes?: boolean | undefined
  readonly upgrade?: boolean | undefined
  readonly upgradeStrategy?: 'only-if-needed' | 'eager' | undefined
  readonly forceReinstall?: boolean | undefined
  /** `-I`: resolve as if nothing were installed (and overwrite without uninstalling). */
  readonly ignoreInstalled?: boolean | undefined
  readonly noDeps?: boolean | undefined
  /** `--python-version` (resolution only). */
  readonly pythonVersion?: string | undefined
  readonly target?: string | undefined
  readonly prefix?: string | undefined
  /** The opened cache (`openCache`); a disabled one for `--no-cache-dir`. */
  readonly cache: Cache
  /** Origins known to refuse range requests (default: remembered in the cache). */
  readonly ranges?: RangeMemory | undefined
  /** An undici dispatcher for every request (tests). */
  readonly dispatcher?: IndexSessionOptions<Version>['dispatcher']
  readonly env?: NodeJS.ProcessEnv | undefined
  readonly cwd?: string | undefined
  /** Metadata fetches in flight at once (default 16). */
  readonly metadataConcurrency?: number | undefined
  readonly onEvent?: ((event: InstallEvent) => void) | undefined
  readonly signal?: AbortSignal | undefined
}

export interface InstallOptions extends ResolveRequestOptions {
  /** `--dry-run`: resolve and report, change nothing. */
  readonly dryRun?: boolean | undefined
  /** Compile bytecode (default true; `--no-compile`). */
  readonly compile?: boolean | undefined
  /** Distributions fetched and installed at once (default 8). */
  readonly concurrency?: number | undefined
  /** pip's warning for console scripts installed outside PATH (default true; `--no-warn-script-location`). */
  readonly warnScriptLocation?: boolean | undefined
}

/** One line of the plan. */
export interface PlannedDistribution {
  /** Canonical name. */
  readonly name: string
  readonly version: Version
  readonly package: ResolvedPackage
  /** `keep`: already installed and chosen; `install`: new; `replace`: another version (or the same, forced) is installed. */
  readonly action: 'keep' | 'install' | 'replace'
  /** The distribution installed now under this name, if any. */
  readonly existing: InstalledDistribution | undefined
  /** The core metadata (for names, the report). */
  readonly metadata: CoreMetadata | undefined
  /** The name as the metadata spells it (pip prints this one). */
  readonly displayName: string
  /** The requirement it was first collected through (pip's "Collecting <this>"). */
  readonly requirementText: string
  /** pip's "(from ...)" chain: `parent-requirement->grandparent...->-r FILE (line N)`; undefined for a command-line requirement. */
  readonly comesFrom: string | undefined
  /** The user's requirement for it, if the user named it. */
  readonly user: UserRequirement | undefined
}

export type InstallEvent =
  | { readonly kind: 'ignored'; readonly requirement: UserRequirement; readonly marker: string }
  | { readonly kind: 'resolving' }
  /** `collected`: the plan in the order pip discovers it (the user's requirements, then what each requires), for "Collecting ..." lines. */
  | { readonly kind: 'resolved'; readonly resolution: Resolution; readonly plan: readonly PlannedDistribution[]; readonly collected: readonly PlannedDistribution[] }
  | { readonly kind: 'installing'; readonly names: readonly string[] }
  | { readonly kind: 'uninstalling'; readonly name: string; readonly existing: InstalledDistribution }
  | { readonly kind: 'uninstalled'; readonly name: string; readonly existing: InstalledDistribution }
  | { readonly kind: 'installed'; readonly name: string; readonly version: string; readonly via: FetchedDistribution['source'] }
  | { readonly kind: 'warning'; readonly message: string }
  | FetchEvent

export interface ResolvedRequest {
  readonly target: InstallTarget
  readonly requests: CollectedRequests
  readonly resolution: Resolution
  readonly plan: readonly PlannedDistribution[]
  readonly provider: IndexProvider
  readonly session: IndexSession<Version>
  readonly fetcher: Fetcher
  readonly hashes: ReadonlyMap<string, HashSet>
  readonly requireHashes: boolean
  /** Closes the index session and the sdist build directory. */
  readonly close: () => Promise<void>
}

export interface InstallResult {
  readonly resolution: Resolution
  readonly plan: readonly PlannedDistribution[]
  /** What was (or, in a dry run, would be) installed, sorted by name as pip prints it: `name-version`. */
  readonly installed: ReadonlyArray<{ readonly name: string; readonly version: string }>
  readonly uninstalled: ReadonlyArray<{ readonly name: string; readonly version: string }>
  readonly report: InstallationReport
  readonly dryRun: boolean
}

function pySortKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function hashErrorLine(requirement: string, allowed: HashSet, actual: Readonly<Record<string, string>>): string[] {
  const lines = [`    ${requirement}:`]
  for (const [alg, values] of Object.entries(allowed)) {
    const [first, ...rest] = values
    lines.push(`        Expected ${alg} ${first ?? ''}`)
    for (const value of rest) lines.push(`             or ${alg} ${value}`)
    lines.push(`             Got        ${actual[alg] ?? ''}`)
  }
  return lines
}

function isPinned(requirement: Requirement): boolean {
  if (requirement.url !== null) return true
  const specs = requirement.specifier.specifiers
  return specs.length === 1 && (specs[0]!.operator === '==' || specs[0]!.operator === '===')
}

async function makeFetchText(options: ResolveRequestOptions): Promise<{ fetch: (url: string) => Promise<{ url: string; body: Uint8Array }>; close: () => Promise<void> }> {
  let http: HttpClient | undefined
  return {
    fetch: async (url) => {
      if (http === undefined) {
        const { createHttpClient } = await import('@pipette/index')
        const index = options.index ?? {}
        http = createHttpClient({
          dispatcher: options.dispatcher,
          retries: index.retries,
          timeout: index.timeout,
          network: { proxy: index.proxy, cert: index.cert, clientCert: index.clientCert, trustedHosts: index.trustedHosts, env: options.env },
        })
      }
      const response = await http.get(url)
      return { url: response.url, body: response.body }
    },
    close: async () => {
      await http?.close()
    },
  }
}

/**
 * Steps 1 to 4: reads the requests, resolves them for the target and plans
 * what changes. The caller must `close()` the result.
 */
export async function resolveRequest(options: ResolveRequestOptions): Promise<ResolvedRequest> {
  const emit = options.onEvent ?? (() => undefined)
  let formatControl: FormatControl = NO_FORMAT_CONTROL
  const formatOptions =
    options.formatOptions ?? [...(options.onlyBinary ?? []).map((value) => ({ kind: 'only-binary' as const, value })), ...(options.noBinary ?? []).map((value) => ({ kind: 'no-binary' as const, value }))]
  for (const option of formatOptions) formatControl = applyFormatOption(formatControl, option.kind, option.value)

  // 1. Requests.
  const text = await makeFetchText(options)
  let requests: CollectedRequests
  try {
    requests = await collectRequests({
      args: options.args,
      requirementFiles: options.requirementFiles,
      constraintFiles: options.constraintFiles,
      formatControl,
      cwd: options.cwd,
      env: options.env,
      fetch: text.fetch,
    })
  } finally {
    await text.close()
  }
  const files = requests.options
  formatControl = files.formatControl
  if (requests.requirements.length === 0) {
    throw new InstallerError('ERR_NO_REQUIREMENTS', 'You must give at least one requirement to install (see "pipette help install")', {
      hint: 'example: pipette install requests, or pipette install -r requirements.txt',
    })
  }

  // 2. Target.
  const target = describeTarget(options.interpreter, { pythonVersion: options.pythonVersion, target: options.target, prefix: options.prefix })
  const environment = target.markerEnvironment as unknown as Readonly<Record<string, string>>
  const applies = (user: UserRequirement): boolean => {
    if (user.marker === null || user.marker.evaluate(environment)) return true
    emit({ kind: 'ignored', requirement: user, marker: user.marker.toString() })
    return false
  }
  const requirements = requests.requirements.filter(applies)
  const constraints = requests.constraints.filter((c) => c.marker === null || c.marker.evaluate(environment))

  // Hash-checking mode: pinned requirements, allowed hashes per project.
  const requireHashes = options.requireHashes === true || files.requireHashes || [...requirements, ...constraints].some((r) => Object.keys(r.hashes).length > 0)
  const hashes = new Map<string, HashSet>()
  for (const user of [...requirements, ...constraints]) {
    if (Object.keys(user.hashes).length === 0) continue
    hashes.set(user.name, intersectHashes(hashes.get(user.name) ?? {}, user.hashes))
  }
  if (requireHashes) {
    const unpinned = requirements.filter((r) => !isPinned(r.requirement))
    if (unpinned.length > 0) {
      throw new InstallerError(
        'ERR_HASH_REQUIRED',
        `In --require-hashes mode, all requirements must have their versions pinned with ==. These do not:\n${unpinned.map((r) => `    ${r.text}${r.comesFrom === null ? '' : ` from ${r.comesFrom}`}`).join('\n')}`,
        { hint: 'pin each requirement with == and give its --hash, example: requests==2.32.3 --hash=sha256:<64 hex digits>' },
      )
    }
  }

  // 3. Resolve.
  const index = options.index ?? {}
  const { openIndexSession, openRangeMemoryFile, pep440Versions, fetchMetadata } = await import('@pipette/index')
  const { resolve } = await import('@pipette/resolver')
  const cache = options.cache
  const ranges = options.ranges ?? (cache.enabled ? await openRangeMemoryFile(`${cache.bucketDir('index-v1')}/no-range-origins.json`) : undefined)
  const session = await openIndexSession<Version>({
    indexUrl: files.indexUrl ?? index.indexUrl,
    extraIndexUrls: [...(index.extraIndexUrls ?? []), ...files.extraIndexUrls],
    noIndex: index.noIndex === true || files.noIndex,
    findLinks: [...(index.findLinks ?? []), ...files.findLinks],
    indexStrategy: index.indexStrategy,
    trustedHosts: [...(index.trustedHosts ?? []), ...files.trustedHosts],
    retries: index.retries,
    timeout: index.timeout,
    proxy: index.proxy,
    cert: index.cert,
    clientCert: index.clientCert,
    target: { pythonVersion: target.pythonFullVersion, supportedTags: target.supportedTags },
    versions: pep440Versions,
    cache: cache.enabled ? cache.http : undefined,
    ranges,
    dispatcher: options.dispatcher,
    env: options.env,
    // The provider applies Requires-Python itself, to explain exclusions.
    ignoreRequiresPython: true,
    formats: (project) => allowedFormats(formatControl, project),
    warn: (message) => emit({ kind: 'warning', message }),
  })
  // Per process: another pipette may be building in the same cache.
  const buildDir = join(cache.dir, `.pipette-build-${process.pid}-${Math.random().toString(36).slice(2, 10)}`)
  const { createExtractor } = await import('@pipette/wheel')
  const { createArchiveStore } = await import('@pipette/cache')
  // Extraction threads start on first use (a dry run never starts them).
  const extractor = createExtractor()
  const archives = createArchiveStore({ dir: cache.archives.dir, unpack: createThreadedUnpacker(extractor) })
  const memo = createMetadataMemo(cache.enabled ? cache.bucketDir('metadata-v1') : undefined)
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    memo.flush()
    await session.close()
    await extractor.close()
    await rm(buildDir, { recursive: true, force: true })
  }
  try {
    const sdists = createSdistBuilder({ python: options.interpreter.executable, workDir: buildDir, env: options.env })
    await mkdir(buildDir, { recursive: true })
    const fetcher = createFetcher({ cache, archives, http: session.http, retries: index.retries, sdists, onEvent: emit })
    const provider = createIndexProvider({
      finder: session.finder,
      fetchMetadata: async (file: DistributionFile, project: string) => (await fetchMetadata({ http: session.http, file, project, ranges: session.ranges })).metadata,
      sdistMetadata: async (candidate: Candidate) => {
        const handle = candidate.handle as CandidateHandle
        if (handle.kind === 'installed') throw new Error('installer: an installed distribution has no sdist')
        const file = await fetcher.file(candidate)
        return sdists.metadata(file.path, handle.file.filename)
      },
      pythonVersion: target.pythonVersion,
      ignoreRequiresPython: options.ignoreRequiresPython,
      preferBinary: options.preferBinary === true || files.preferBinary,
      supportedTags: target.supportedTags,
      hashes: requireHashes ? (name) => hashes.get(name) ?? {} : undefined,
      concurrency: options.metadataConcurrency,
      memo,
    })

    const installedByName = new Map<string, InstalledDistribution>()
    if (target.considerInstalled && !options.ignoreInstalled) {
      const { scanEnvironment, installedDistributions } = await import('@pipette/venv')
      const scan = await scanEnvironment(options.interpreter)
      for (const dist of installedDistributions(scan, { skip: new Set() })) {
        if (!installedByName.has(dist.canonicalName)) installedByName.set(dist.canonicalName, dist)
      }
    }
    const installed = [...installedByName.values()].map(installedCandidate).filter((c): c is Candidate => c !== undefined)

    emit({ kind: 'resolving' })
    const resolution = await resolve({
      requirements: requirements.map((r) => r.requirement),
      constraints: constraints.map((r) => r.requirement),
      provider,
      pythonVersion: target.pythonVersion,
      markerEnvironment: environment,
      ignoreRequiresPython: options.ignoreRequiresPython,
      pre: options.pre === true || files.pre,
      installed,
      upgrade: options.upgrade,
      upgradeStrategy: options.upgradeStrategy,
      forceReinstall: options.forceReinstall,
      noDeps: options.noDeps,
      signal: options.signal,
    })

    // 4. Plan.
    const users = new Map<string, UserRequirement>()
    for (const user of requirements) if (!users.has(user.name)) users.set(user.name, user)
    const packages = new Map(resolution.packages.map((pkg) => [pkg.name, pkg]))
    const collected = new Map<string, { text: string; from: string | undefined }>()
    const collectedAs = (name: string, seen: ReadonlySet<string>): { text: string; from: string | undefined } => {
      const known = collected.get(name)
      if (known !== undefined) return known
      const pkg = packages.get(name)
      const user = users.get(name)
      let answer: { text: string; from: string | undefined }
      const by = pkg?.requiredBy.find((r) => r.name === null) ?? pkg?.requiredBy[0]
      if (pkg === undefined || by === undefined || by.name === null || seen.has(by.name)) {
        answer = { text: user?.requirement.toString() ?? by?.requirement ?? name, from: user?.comesFrom ?? undefined }
      } else {
        const parent = collectedAs(by.name, new Set([...seen, name]))
        answer = { text: by.requirement, from: parent.from === undefined ? parent.text : `${parent.text}->${parent.from}` }
      }
      collected.set(name, answer)
      return answer
    }
    const plan: PlannedDistribution[] = resolution.packages.map((pkg) => {
      const existing = installedByName.get(pkg.name)
      const metadata = provider.coreMetadata(pkg.candidate)
      const action = pkg.candidate.installed ? 'keep' : existing !== undefined ? 'replace' : 'install'
      const as = collectedAs(pkg.name, new Set())
      return Object.freeze({
        name: pkg.name,
        version: pkg.version,
        package: pkg,
        action,
        existing,
        metadata,
        displayName: (metadata === undefined ? undefined : metadataGet(metadata, 'Name')?.trim()) ?? existing?.name ?? pkg.name,
        requirementText: as.text,
        comesFrom: as.from,
        user: users.get(pkg.name),
      })
    })
    emit({ kind: 'resolved', resolution, plan, collected: discoveryOrder(plan, requirements) })
    return { target, requests, resolution, plan, provider, session, fetcher, hashes, requireHashes, close }
  } catch (error) {
    await close()
    throw error
  }
}

/** The user's requirements in their order, then breadth first what each requires (pip's "Collecting" order). */
function discoveryOrder(plan: readonly PlannedDistribution[], requirements: readonly UserRequirement[]): PlannedDistribution[] {
  const byName = new Map(plan.map((item) => [item.name, item]))
  const children = new Map<string, PlannedDistribution[]>()
  for (const item of plan) {
    for (const by of item.package.requiredBy) {
      if (by.name === null) continue
      const list = children.get(by.name) ?? []
      if (!list.includes(item)) list.push(item)
      children.set(by.name, list)
    }
  }
  const out: PlannedDistribution[] = []
  const seen = new Set<string>()
  const queue: PlannedDistribution[] = []
  const visit = (item: PlannedDistribution | undefined) => {
    if (item === undefined || seen.has(item.name)) return
    seen.add(item.name)
    out.push(item)
    queue.push(item)
  }
  for (const user of requirements) visit(byName.get(user.name))
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) for (const child of children.get(next.name) ?? []) visit(child)
  for (const item of plan) visit(item)
  return out
}

function fileOfPlanned(item: PlannedDistribution): DistributionFile | undefined {
  const handle = item.package.candidate.handle as CandidateHandle | undefined
  return handle === undefined || handle.kind === 'installed' ? undefined : handle.file
}

function reportEntries(resolved: ResolvedRequest, digests: ReadonlyMap<string, Readonly<Record<string, string>>>): ReportEntry[] {
  const entries: ReportEntry[] = []
  for (const item of resolved.plan) {
    if (item.action === 'keep') continue
    const file = fileOfPlanned(item)
    if (file === undefined || item.metadata === undefined) continue
    const url = redactUrl(file.url.split('#', 1)[0]!).replace(/\/\/\*\*\*\*(:\*\*\*\*)?@/, '//')
    entries.push({
      url,
      hashes: { ...file.hashes, ...(digests.get(item.name) ?? {}) },
      isDirect: item.package.candidate.url !== undefined,
      isYanked: file.yanked,
      requested: item.package.requested,
      requestedExtras: item.package.requestedExtras,
      metadata: item.metadata,
    })
  }
  return entries
}

/**
 * pip's installation order: dependencies before the distributions that need
 * them (@pipette/wheel's `installationOrder`, pip's algorithm).
 */
async function installOrder(plan: readonly PlannedDistribution[]): Promise<PlannedDistribution[]> {
  const { installationOrder } = await import('@pipette/wheel')
  const dependencies = new Map<string, string[]>()
  for (const item of plan) {
    for (const by of item.package.requiredBy) {
      if (by.name === null) continue
      const list = dependencies.get(by.name) ?? []
      list.push(item.name)
      dependencies.set(by.name, list)
    }
  }
  const nodes = plan.map((item) => ({
    name: item.name,
    item,
    requiresPython: item.metadata !== undefined && (metadataGet(item.metadata, 'Requires-Python') ?? '').trim() !== '',
    dependencies: dependencies.get(item.name) ?? [],
  }))
  return installationOrder(nodes).map((n) => n.item)
}

/** Steps 1 to 6 (see the essay above). */
export async function install(options: InstallOptions): Promise<InstallResult> {
  const emit = options.onEvent ?? (() => undefined)
  const resolved = await resolveRequest(options)
  try {
    const { plan, target } = resolved
    const keep = new Set(plan.filter((item) => item.action === 'keep').map((item) => item.name))
    const toInstall = (await installOrder(plan)).filter((item) => !keep.has(item.name))

    if (options.dryRun) {
      const would = toInstall.map((item) => ({ name: item.displayName, version: item.version.toString() }))
      would.sort((a, b) => pySortKey(a.name, b.name) || pySortKey(a.version, b.version))
      return Object.freeze({
        resolution: resolved.resolution,
        plan,
        installed: Object.freeze(would),
        uninstalled: Object.freeze([]),
        report: buildReport(reportEntries(resolved, new Map()), target.markerEnvironment),
        dryRun: true,
      })
    }

    const digests = new Map<string, Readonly<Record<string, string>>>()
    const concurrency = Math.max(1, options.concurrency ?? 8)
    // Hash-checking mode: everything fetched and checked before anything is installed.
    if (resolved.requireHashes) {
      const missing: string[] = []
      const mismatched: string[] = []
      await mapLimit(toInstall, concurrency, async (item) => {
        const fetched = await resolved.fetcher.fetch(item.package.candidate)
        const allowed = resolved.hashes.get(item.name) ?? {}
        const actual =
          Object.keys(allowed).every((alg) => alg === 'sha256') || fetched.source === 'archive-cache'
            ? { sha256: fetched.sha256 }
            : await resolved.fetcher.file(item.package.candidate).then((f) => fileDigests(f.path, f.sha256, allowed))
        digests.set(item.name, actual)
        const pin = item.package.candidate.url === undefined ? `${item.displayName}==${item.version.toString()}` : item.package.candidate.url
        if (Object.keys(allowed).length === 0) {
          missing.push(`    ${pin} --hash=sha256:${actual['sha256'] ?? fetched.sha256}`)
          return
        }
        const ok = Object.entries(allowed).some(([alg, values]) => actual[alg] !== undefined && values.includes(actual[alg]!))
        if (!ok) mismatched.push(...hashErrorLine(`${item.displayName}==${item.version.toString()} from ${redactUrl(fetchedUrl(fetched))}`, allowed, actual))
      })
      const parts: string[] = []
      if (missing.length > 0) {
        parts.push(
          'Hashes are required in --require-hashes mode, but they are missing from some requirements. Here is a list of those requirements along with the hashes their downloaded archives actually had. You can add lines like these to your requirements files to prevent tampering. (If you did not enable --require-hashes manually, note that it turns on automatically when any package has a hash.)',
          ...missing,
        )
      }
      if (mismatched.length > 0) {
        parts.push(
          'THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE. If you have updated the package versions, please update the hashes. Otherwise, examine the package contents carefully; someone may have tampered with them.',
          ...mismatched,
        )
      }
      if (parts.length > 0) {
        throw new InstallerError(missing.length > 0 && mismatched.length === 0 ? 'ERR_HASH_REQUIRED' : 'ERR_HASH_MISMATCH', parts.join('\n'), {
          hint: 'give every requirement (dependencies too) as name==version --hash=sha256:<digest>; pipette hash FILE prints a digest',
        })
      }
    }

    let compiler: Compiler | undefined
    const cacheTag = options.interpreter.implementation.cacheTag
    if (options.compile !== false && toInstall.length > 0 && cacheTag !== null) {
      const { createCompilePool } = await import('@pipette/wheel')
      compiler = createCompilePool({ python: options.interpreter.executable, env: options.env })
    }
    const env = options.env ?? process.env
    const bytecodeKey = `${cacheTag ?? 'none'}-${options.interpreter.version}-${env['SOURCE_DATE_EPOCH'] === undefined ? 'timestamp' : 'checked-hash'}`
    // The cache keeps `__pycache__/<stem>.<tag>.pyc` files; with PYTHONOPTIMIZE (`.opt-N.pyc`) or PYTHONPYCACHEPREFIX
    // (bytecode outside the tree) Python names them otherwise, so then every file is compiled where Python puts it.
    const plainBytecode = !env['PYTHONOPTIMIZE'] && !env['PYTHONPYCACHEPREFIX']
    const bytecodeDir = options.cache.enabled && plainBytecode ? options.cache.bucketDir('bytecode-v1') : undefined
    const linker = createLinker()
    const generated = options.cache.enabled ? createGeneratedFiles(options.cache.bucketDir('generated-v1')) : undefined
    const consoleScripts: string[] = []
    const uninstalled: Array<{ name: string; version: string }> = []
    const done: Array<{ name: string; version: string }> = []
    // Events of each distribution are released in install order, once every file is fetched
    // ("Installing collected packages" comes after the downloads, as in pip); work does not wait.
    const sequencer = createSequencer(toInstall.length, (event: InstallEvent) => emit(event))
    const fetchLimit = createLimiter(Math.max(concurrency, 16))
    const fetches = toInstall.map((item) => fetchLimit.run(item.name, () => resolved.fetcher.fetch(item.package.candidate), 'now'))
    for (const pending of fetches) pending.catch(() => undefined)
    const announced = Promise.allSettled(fetches).then(() => {
      emit({ kind: 'installing', names: toInstall.map((item) => item.displayName) })
      sequencer.start()
    })
    // Replacing installed versions: nothing is removed before every file is here (a failed
    // download leaves the environment as it was), and every replaced version is removed
    // before any file is linked (a module that moved between distributions is not removed
    // after its new owner wrote it). A fresh environment links each wheel as soon as it is here.
    const replacing = toInstall.some((item) => item.existing !== undefined)
    let uninstallPhase: Promise<void> = Promise.resolve()
    if (replacing) {
      uninstallPhase = Promise.all(fetches).then(async () => {
        const { planUninstall, uninstall } = await import('@pipette/venv')
        for (const [index, item] of toInstall.entries()) {
          const existing = item.existing
          if (existing === undefined) continue
          sequencer.emit(index, { kind: 'uninstalling', name: item.displayName, existing })
          await uninstall(await planUninstall(existing, options.interpreter))
          uninstalled.push({ name: existing.name, version: existing.version })
          sequencer.emit(index, { kind: 'uninstalled', name: item.displayName, existing })
        }
      })
      uninstallPhase.catch(() => undefined)
    }
    try {
      if (target.staging !== undefined) await mkdir(target.staging, { recursive: true })
      const [major = 3, minor = 0] = target.interpreter.versionInfo
      await mapLimit(
        toInstall.map((item, index) => ({ item, index })),
        concurrency,
        async ({ item, index }) => {
          const say = (event: InstallEvent) => sequencer.emit(index, event)
          try {
            const fetched = await fetches[index]!
            await uninstallPhase
            const candidate = item.package.candidate
            const directUrl =
              candidate.url === undefined
                ? undefined
                : { url: stripCredentials(candidate.url.split('#', 1)[0]!), archiveHash: directHash(candidate.url) ?? `sha256=${fetched.sha256}` }
            const result = await installFromTree({
              archive: fetched.archive,
              scheme: schemeFor(target, item.displayName),
              executable: options.interpreter.executable,
              pythonVersion: [major as number, minor as number],
              bytecode:
                compiler === undefined || cacheTag === null
                  ? undefined
                  : { compiler, cacheTag, cacheDir: bytecodeDir === undefined ? undefined : join(bytecodeDir, fetched.archive.id, bytecodeKey) },
              linker,
              generated,
              requested: item.package.requested,
              directUrl,
            })
            for (const warning of result.warnings) say({ kind: 'warning', message: warning })
            consoleScripts.push(...result.consoleScripts)
            done.push({ name: item.displayName, version: result.version || item.version.toString() })
            say({ kind: 'installed', name: item.displayName, version: result.version, via: fetched.source })
          } finally {
            sequencer.finish(index)
          }
        },
      )
      await announced
      if (options.warnScriptLocation !== false && target.targetDir === undefined && target.prefix === undefined) {
        const { scriptsNotOnPathMessage } = await import('@pipette/wheel')
        const message = scriptsNotOnPathMessage(consoleScripts, { path: (options.env ?? process.env)['PATH'], executable: options.interpreter.executable })
        if (message !== undefined) emit({ kind: 'warning', message })
      }
      if (target.targetDir !== undefined && target.staging !== undefined) {
        for (const message of await moveTargetEntries(target, options.upgrade === true)) emit({ kind: 'warning', message })
      }
    } finally {
      sequencer.drain()
      await compiler?.close()
      if (target.staging !== undefined) await rm(target.staging, { recursive: true, force: true })
    }
    done.sort((a, b) => pySortKey(a.name, b.name))
    return Object.freeze({
      resolution: resolved.resolution,
      plan,
      installed: Object.freeze(done),
      uninstalled: Object.freeze(uninstalled),
      report: buildReport(reportEntries(resolved, digests), target.markerEnvironment),
      dryRun: false,
    })
  } finally {
    await resolved.close()
  }
}

function fetchedUrl(fetched: FetchedDistribution): string {
  return fetched.file.url.split('#', 1)[0]!
}

function directHash(url: string): string | undefined {
  const fragment = url.includes('#') ? url.slice(url.indexOf('#') + 1) : ''
  const match = /(?:^|&)(sha1|sha224|sha256|sha384|sha512|md5)=([0-9a-fA-F]+)/.exec(fragment)
  return match === null ? undefined : `${match[1]!}=${match[2]!}`
}

function stripCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1')
}

/** pip's `--target` finish: move each top-level entry of the staging scheme into the target directory. */
async function moveTargetEntries(target: InstallTarget, upgrade: boolean): Promise<string[]> {
  const warnings: string[] = []
  const dir = target.targetDir!
  const staging = target.staging!
  const libDirs: string[] = []
  for (const candidate of [target.scheme.purelib, target.scheme.platlib, target.scheme.data]) {
    if (libDirs.includes(candidate)) continue
    if (await lstat(candidate).then(() => true, () => false)) libDirs.push(candidate)
  }
  for (const libDir of libDirs) {
    for (const item of (await readdir(libDir)).sort()) {
      if (libDir === target.scheme.data) {
        const path = join(libDir, item)
        if (libDirs.slice(0, -1).some((other) => other.startsWith(path))) continue
      }
      if (libDir === staging && item.startsWith('.')) continue
      const dest = join(dir, item)
      const existing = await lstat(dest).catch(() => undefined)
      if (existing !== undefined) {
        if (!upgrade) {
          warnings.push(`Target directory ${dest} already exists. Specify --upgrade to force replacement.`)
          continue
        }
        if (existing.isSymbolicLink()) {
          warnings.push(`Target directory ${dest} already exists and is a link. pipette will not automatically replace links, please remove if replacement is desired.`)
          continue
        }
        await rm(dest, { recursive: true, force: true })
      }
      await rename(join(libDir, item), dest)
    }
  }
  return warnings
}

interface Sequencer {
  emit(index: number, event: InstallEvent): void
  finish(index: number): void
  /** Starts releasing events (held until then). */
  start(): void
  /** Releases everything left (after a failure). */
  drain(): void
}

function createSequencer(count: number, out: (event: InstallEvent) => void): Sequencer {
  const buffers: InstallEvent[][] = Array.from({ length: count }, () => [])
  const finished: boolean[] = Array.from({ length: count }, () => false)
  let next = 0
  let started = false
  const flush = () => {
    if (!started) return
    while (next < count) {
      for (const event of buffers[next]!.splice(0)) out(event)
      if (!finished[next]) return
      next++
    }
  }
  return {
    emit(index, event) {
      // Download progress is not held back: it only means something live.
      if (event.kind === 'download-progress') {
        out(event)
        return
      }
      buffers[index]!.push(event)
      flush()
    },
    finish(index) {
      finished[index] = true
      flush()
    },
    start() {
      started = true
      flush()
    },
    drain() {
      started = true
      for (let i = next; i < count; i++) finished[i] = true
      flush()
    },
  }
}

async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  let failure: { error: unknown } | undefined
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const item = items[next++]!
      try {
        await fn(item)
      } catch (error) {
        failure ??= { error }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  if (failure !== undefined) throw failure.error
}
