/**
 * What is installed in an environment, found the way pip 26 finds it (its
 * importlib.metadata backend), so that list, freeze, show, check, inspect and
 * uninstall see exactly the distributions pip sees.
 *
 * Every entry of the interpreter's `sys.path` (or the `--path` given) is
 * searched in order. In a directory, each child whose name ends in
 * `.dist-info` or `.egg-info` (in any case) is a candidate; an `.egg-link`
 * file points (first non-empty line, relative to the directory) to another
 * location searched the same way (a legacy editable install). A candidate's
 * name comes from its directory name (`name-version.dist-info`,
 * `name-....egg-info`), else from the `Name:` of its metadata (none: pip
 * warns "Skipping ... due to invalid metadata entry 'name'"). The first
 * distribution of each canonical name wins; later ones are shadowed. Names
 * that are not valid project names (`~ip`, left by an interrupted pip) are
 * dropped with pip's warning "Ignoring invalid distribution".
 *
 * Each distribution's METADATA (or PKG-INFO; for a distutils `.egg-info`
 * file, the file itself), INSTALLER, REQUESTED and direct_url.json are read
 * at once, concurrently; RECORD, entry points and WHEEL only when asked
 * (`readDistText`). For `.egg-info` directories without Requires-Dist, the
 * requirements of `requires.txt` are turned into Requires-Dist and
 * Provides-Extra as pip does. Zip archives on `sys.path` are not searched.
 */
import { opendir, readFile, realpath, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { basename, dirname, extname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { canonicalizeName } from '@pipette/requirements'
import type { CoreMetadata } from './core-metadata.js'
import { importlibMetadataView, metadataGet, metadataGetAll, parseCoreMetadata, withHeaders } from './core-metadata.js'
import type { InterpreterInfo } from './interpreter-info.js'
import { normalizePosixPath, pySplitLines } from './record.js'

/** PEP 610 `direct_url.json`, validated as pip validates it. */
export interface DirectUrl {
  readonly url: string
  readonly subdirectory?: string | undefined
  readonly vcs_info?: { readonly vcs: string; readonly commit_id: string; readonly requested_revision?: string | undefined } | undefined
  readonly archive_info?: { readonly hash?: string | undefined; readonly hashes?: Readonly<Record<string, string>> | undefined } | undefined
  readonly dir_info?: { readonly editable?: boolean | undefined } | undefined
}

export interface InstalledDistribution {
  /** `Name:` of the metadata (pip's `raw_name`), else the canonical name. */
  readonly name: string
  readonly canonicalName: string
  /** `Version:` of the metadata (pip's `raw_version`), `''` when missing. */
  readonly version: string
  /** The version in a `name-version.dist-info` directory name (pip parses this one for `version`). */
  readonly directoryVersion: string | null
  /** The `sys.path` entry it was found in (pip's `location`). */
  readonly location: string
  /** The `.dist-info` / `.egg-info` path (pip's `info_location`). */
  readonly infoPath: string
  /** Where it is installed, symlinks resolved (pip's `installed_location`); for a legacy editable, the directory of its `.egg-link`. */
  readonly installedLocation: string
  readonly format: 'dist-info' | 'egg-info' | 'egg-info-file'
  readonly metadata: CoreMetadata
  /** First non-empty line of INSTALLER, `''` if none. */
  readonly installer: string
  /** Whether REQUESTED exists. */
  readonly requested: boolean
  readonly directUrl: DirectUrl | null
  readonly editableProjectLocation: string | null
  /** pip's `local`: in the active virtual environment (always true outside one). */
  readonly local: boolean
  /** pip's `in_usersite`. */
  readonly inUserSite: boolean
}

export interface EnvironmentScan {
  /** pip's `iter_all_distributions()`, in order. */
  readonly distributions: readonly InstalledDistribution[]
  /** The warnings pip logs while scanning, e.g. `Ignoring invalid distribution ~ip (/x)`. */
  readonly warnings: readonly string[]
}

export interface ScanOptions {
  /** pip's `--path`: search these directories instead of `sys.path`. */
  readonly paths?: readonly string[] | undefined
}

const VALID_PROJECT_NAME = /^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$/i

/**
 * Finds every distribution installed for an interpreter.
 *
 * @example
 * const { distributions } = await scanEnvironment(info)
 * distributions.map((d) => `${d.name} ${d.version}`)   // ['pip 23.0.1', ...]
 */
export async function scanEnvironment(info: InterpreterInfo, options: ScanOptions = {}): Promise<EnvironmentScan> {
  const paths = options.paths ?? info.sysPath
  const warnings: string[] = []
  const found = new Set<string>()
  const pending: Array<Promise<Built>> = []
  const context = await scanContext(info)
  const candidatesPerPath = await Promise.all(paths.map((path) => candidatesIn(path)))
  for (let i = 0; i < paths.length; i++) {
    const location = paths[i]!
    const { infos, eggLinks } = candidatesPerPath[i]!
    const take = async (infoPaths: readonly string[], installedAt: string | null) => {
      for (const infoPath of infoPaths) {
        const fromDir = nameFromDirectory(infoPath)
        let canonical: string
        let preloaded: Loaded | undefined
        if (fromDir.name) canonical = canonicalizeName(fromDir.name)
        else {
          preloaded = await load(infoPath)
          const name = metadataGet(preloaded.metadata, 'Name')
          if (name === undefined) {
            warnings.push(`Skipping ${infoPath} due to invalid metadata entry 'name'`)
            continue
          }
          canonical = canonicalizeName(name)
        }
        if (found.has(canonical)) continue
        found.add(canonical)
        pending.push(build(infoPath, canonical, fromDir.version, installedAt, context, preloaded))
      }
    }
    await take(infos, null)
    for (const link of eggLinks) {
      const target = join(location, link.target)
      await take((await candidatesIn(target)).infos, location)
    }
  }
  const distributions: InstalledDistribution[] = []
  for (const { dist, warnings: distWarnings } of await Promise.all(pending)) {
    warnings.push(...distWarnings)
    if (!VALID_PROJECT_NAME.test(dist.canonicalName)) {
      warnings.push(`Ignoring invalid distribution ${dist.canonicalName} (${dist.location})`)
      continue
    }
    distributions.push(dist)
  }
  return Object.freeze({ distributions: Object.freeze(distributions), warnings: Object.freeze(warnings) })
}

export interface InstalledFilter {
  /** pip's `--local`: only distributions of the active virtual environment. */
  readonly localOnly?: boolean | undefined
  /** pip's `--user`. */
  readonly userOnly?: boolean | undefined
  /** pip's `--editable`. */
  readonly editablesOnly?: boolean | undefined
  /** pip's `--exclude-editable` is `includeEditables: false`. */
  readonly includeEditables?: boolean | undefined
  /** Canonical names to leave out. Default: pip's `stdlib_pkgs` (python, wsgiref, argparse). */
  readonly skip?: ReadonlySet<string> | undefined
}

/** pip's `stdlib_pkgs`: never listed. */
export const STDLIB_PACKAGES: ReadonlySet<string> = new Set(['python', 'wsgiref', 'argparse'])

/** pip's `iter_installed_distributions(...)`: `iter_all_distributions` with its filters. */
export function installedDistributions(scan: EnvironmentScan, filter: InstalledFilter = {}): InstalledDistribution[] {
  const skip = filter.skip ?? STDLIB_PACKAGES
  return scan.distributions.filter(
    (d) =>
      (!filter.localOnly || d.local) &&
      (filter.includeEditables !== false || d.editableProjectLocation === null) &&
      (!filter.editablesOnly || d.editableProjectLocation !== null) &&
      (!filter.userOnly || d.inUserSite) &&
      !skip.has(d.canonicalName),
  )
}

/** Finds a distribution by name (any spelling), as pip's `get_distribution`. */
export function findDistribution(scan: EnvironmentScan, name: string): InstalledDistribution | undefined {
  const canonical = canonicalizeName(name)
  return scan.distributions.find((d) => d.canonicalName === canonical)
}

/**
 * Reads a file of a distribution's metadata directory (`RECORD`,
 * `entry_points.txt`, `WHEEL`...), as UTF-8 with universal newlines; null
 * when it does not exist or cannot be read.
 */
export async function readDistText(dist: InstalledDistribution, name: string): Promise<string | null> {
  if (dist.format === 'egg-info-file') return name === '' ? readText(dist.infoPath) : null
  return readText(join(dist.infoPath, name))
}

// ---------------------------------------------------------------------------

interface Candidates {
  readonly infos: string[]
  readonly eggLinks: Array<{ readonly target: string }>
}

async function candidatesIn(location: string): Promise<Candidates> {
  const names = await listDirectory(location)
  if (names === null) return { infos: [], eggLinks: [] }
  const root = normalizePosixPath(location)
  // importlib.metadata groups candidates by their normalised name, in the order each name first appears.
  const groups = new Map<string, string[]>()
  const eggLinkNames: string[] = []
  for (const name of names) {
    const low = name.toLowerCase()
    if (low.endsWith('.dist-info') || low.endsWith('.egg-info')) {
      const key = low.slice(0, low.lastIndexOf('.')).split('-')[0]!.replace(/[-_.]+/g, '_')
      let group = groups.get(key)
      if (group === undefined) groups.set(key, (group = []))
      group.push(join(root, name))
    } else if (extname(name) === '.egg-link') eggLinkNames.push(name)
  }
  const eggLinks: Array<{ target: string }> = []
  for (const name of eggLinkNames) {
    const text = await readText(join(location, name))
    const target = text === null ? '' : (text.split('\n').map((line) => line.trim()).find((line) => line !== '') ?? '')
    if (target !== '') eggLinks.push({ target })
  }
  return { infos: [...groups.values()].flat(), eggLinks }
}

/**
 * A directory's entries in the order the file system gives them, as Python's
 * `os.listdir` (which decides which of two same-named distributions wins, and
 * the order of pip's messages); `fs.readdir` would sort them.
 */
export async function listDirectory(path: string): Promise<string[] | null> {
  try {
    const names: string[] = []
    for await (const entry of await opendir(path)) names.push(entry.name)
    return names
  } catch {
    return null
  }
}

function nameFromDirectory(infoPath: string): { name: string | null; version: string | null } {
  const base = basename(infoPath)
  const suffix = extname(base)
  const stem = base.slice(0, base.length - suffix.length)
  if (suffix === '.dist-info') {
    const dash = stem.indexOf('-')
    if (dash !== -1) return { name: stem.slice(0, dash), version: stem.slice(dash + 1) }
  }
  if (suffix === '.egg-info') return { name: stem.split('-')[0]!, version: null }
  return { name: null, version: null }
}

interface Loaded {
  readonly metadata: CoreMetadata
  readonly isFile: boolean
}

async function load(infoPath: string): Promise<Loaded> {
  const s = await stat(infoPath).catch(() => null)
  if (s !== null && s.isFile()) return { metadata: importlibMetadataView(parseCoreMetadata((await readText(infoPath)) ?? '')), isFile: true }
  const text = (await readText(join(infoPath, 'METADATA'))) ?? (await readText(join(infoPath, 'PKG-INFO'))) ?? ''
  return { metadata: importlibMetadataView(parseCoreMetadata(text)), isFile: false }
}

interface ScanContext {
  readonly isVirtualEnv: boolean
  readonly prefix: string
  readonly userSite: string | null
  readonly sysPath: readonly string[]
}

async function scanContext(info: InterpreterInfo): Promise<ScanContext> {
  return {
    isVirtualEnv: info.isVirtualEnv,
    prefix: await normalizePath(info.prefix),
    userSite: info.site.userSite === null ? null : await normalizePath(info.site.userSite),
    sysPath: info.sysPath,
  }
}

/** pip's `normalize_path`: `~` expanded, made absolute, symlinks resolved. */
async function normalizePath(path: string): Promise<string> {
  const expanded = path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path
  const absolute = resolve(expanded)
  return realpath(absolute).catch(() => absolute)
}

interface Built {
  readonly dist: InstalledDistribution
  readonly warnings: readonly string[]
}

async function build(
  infoPath: string,
  canonicalName: string,
  directoryVersion: string | null,
  installedAt: string | null,
  context: ScanContext,
  preloaded: Loaded | undefined,
): Promise<Built> {
  const loaded = preloaded ?? (await load(infoPath))
  const inDir = (name: string) => (loaded.isFile ? null : join(infoPath, name))
  const [installerText, requested, directUrlText, requiresText] = await Promise.all([
    readOptional(inDir('INSTALLER')),
    readOptional(inDir('REQUESTED')).then((text) => text !== null),
    readOptional(inDir('direct_url.json')),
    infoPath.endsWith('.egg-info') && !loaded.isFile ? readOptional(inDir('requires.txt')) : Promise.resolve(null),
  ])
  let metadata = loaded.metadata
  if (requiresText !== null) metadata = addEggInfoRequires(metadata, requiresText)
  const location = dirname(infoPath)
  const installedLocation = await normalizePath(installedAt ?? location)
  const name = metadataGet(metadata, 'Name') ?? canonicalName
  const warnings: string[] = []
  const directUrl = directUrlText === null ? null : parseDirectUrl(directUrlText, (message) => warnings.push(`Error parsing direct_url.json for ${canonicalName}: ${message}`))
  let editableProjectLocation: string | null = null
  if (directUrl !== null) {
    if (directUrl.dir_info?.editable && directUrl.url.startsWith('file:')) editableProjectLocation = urlToPath(directUrl.url)
  } else if (await hasEggLink(name, context.sysPath)) editableProjectLocation = location
  const dist: InstalledDistribution = Object.freeze({
    name,
    canonicalName,
    version: metadataGet(metadata, 'Version') ?? '',
    directoryVersion,
    location,
    infoPath,
    installedLocation,
    format: loaded.isFile ? 'egg-info-file' : infoPath.toLowerCase().endsWith('.dist-info') ? 'dist-info' : 'egg-info',
    metadata,
    installer: installerText === null ? '' : (installerText.split('\n').map((line) => line.trim()).find((line) => line !== '') ?? ''),
    requested,
    directUrl,
    editableProjectLocation,
    local: !context.isVirtualEnv || installedLocation.startsWith(context.prefix),
    inUserSite: context.userSite !== null && installedLocation.startsWith(context.userSite),
  })
  return { dist, warnings }
}

function readOptional(path: string | null): Promise<string | null> {
  return path === null ? Promise.resolve(null) : readText(path)
}

const decoder = new TextDecoder('utf-8')

async function readText(path: string): Promise<string | null> {
  try {
    return decoder.decode(await readFile(path)).replace(/\r\n?/g, '\n')
  } catch {
    return null
  }
}

async function hasEggLink(rawName: string, sysPath: readonly string[]): Promise<boolean> {
  const names = [`${rawName.replace(/[^A-Za-z0-9.]+/g, '-')}.egg-link`, `${rawName}.egg-link`]
  for (const dir of sysPath) {
    for (const name of names) {
      const s = await stat(join(dir, name)).catch(() => null)
      if (s !== null && s.isFile()) return true
    }
  }
  return false
}

/** requires.txt of an `.egg-info`: sections `[extra:marker]` become markers, as pip does. */
function addEggInfoRequires(metadata: CoreMetadata, requiresText: string): CoreMetadata {
  const entries: Array<{ requirement: string; extra: string; marker: string }> = []
  let extra = ''
  let marker = ''
  for (const raw of pySplitLines(requiresText)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    if (line.startsWith('[') && line.endsWith(']')) {
      const inner = line.replace(/^[[\]]+|[[\]]+$/g, '')
      const colon = inner.indexOf(':')
      extra = colon === -1 ? inner : inner.slice(0, colon)
      marker = colon === -1 ? '' : inner.slice(colon + 1)
      continue
    }
    entries.push({ requirement: line, extra, marker })
  }
  const added: Array<readonly [string, string]> = []
  if (metadataGetAll(metadata, 'Requires-Dist').length === 0) {
    for (const entry of entries) {
      const e = canonicalizeName(entry.extra)
      const m = e && entry.marker ? `(${entry.marker}) and extra == "${e}"` : e ? `extra == "${e}"` : entry.marker
      added.push(['Requires-Dist', m ? `${entry.requirement} ; ${m}` : entry.requirement])
    }
  }
  if (metadataGetAll(metadata, 'Provides-Extra').length === 0) {
    const known = new Set([''])
    for (const entry of entries) {
      const e = canonicalizeName(entry.extra)
      if (known.has(e)) continue
      known.add(e)
      added.push(['Provides-Extra', e])
    }
  }
  return withHeaders(metadata, added)
}

/** Parses direct_url.json as pip's `DirectUrl.from_json`; reports why it is invalid and returns null then. */
export function parseDirectUrl(text: string, warn: (message: string) => void = () => undefined): DirectUrl | null {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    warn((error as Error).message)
    return null
  }
  try {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error(`${JSON.stringify(data)} is not a JSON object`)
    const d = data as Record<string, unknown>
    const get = <T>(key: string, type: 'string' | 'object' | 'boolean', from: Record<string, unknown> = d): T | undefined => {
      const value = from[key]
      if (value === undefined || value === null) return undefined
      if (typeof value !== type || (type === 'object' && Array.isArray(value))) throw new Error(`${JSON.stringify(value)} has unexpected type for ${key} (expected ${type})`)
      return value as T
    }
    const url = get<string>('url', 'string')
    if (url === undefined) throw new Error('url must have a value')
    const infos: Array<[string, Record<string, unknown>]> = []
    for (const key of ['archive_info', 'dir_info', 'vcs_info']) {
      const value = get<Record<string, unknown>>(key, 'object')
      if (value !== undefined) infos.push([key, value])
    }
    if (infos.length === 0) throw new Error('missing one of archive_info, dir_info, vcs_info')
    if (infos.length > 1) throw new Error('more than one of archive_info, dir_info, vcs_info')
    const [kind, value] = infos[0]!
    const result: { -readonly [K in keyof DirectUrl]: DirectUrl[K] } = { url }
    const subdirectory = get<string>('subdirectory', 'string')
    if (subdirectory !== undefined) result.subdirectory = subdirectory
    if (kind === 'vcs_info') {
      const vcs = get<string>('vcs', 'string', value)
      const commit = get<string>('commit_id', 'string', value)
      if (vcs === undefined) throw new Error('vcs must have a value')
      if (commit === undefined) throw new Error('commit_id must have a value')
      const requested = get<string>('requested_revision', 'string', value)
      result.vcs_info = { vcs, commit_id: commit, ...(requested === undefined ? {} : { requested_revision: requested }) }
    } else if (kind === 'dir_info') {
      const editable = get<boolean>('editable', 'boolean', value) ?? false
      result.dir_info = { editable }
    } else {
      const hash = get<string>('hash', 'string', value)
      let hashes = get<Record<string, string>>('hashes', 'object', value)
      if (hash !== undefined) {
        const eq = hash.indexOf('=')
        if (eq === -1) throw new Error(`invalid archive_info.hash format: '${hash}'`)
        const [algorithm, digest] = [hash.slice(0, eq), hash.slice(eq + 1)]
        if (hashes === undefined) hashes = { [algorithm]: digest }
        else if (!(algorithm in hashes)) hashes = { ...hashes, [algorithm]: digest }
      }
      result.archive_info = { ...(hash === undefined ? {} : { hash }), ...(hashes === undefined ? {} : { hashes }) }
    }
    return deepFreezeUrl(result)
  } catch (error) {
    warn((error as Error).message)
    return null
  }
}

function deepFreezeUrl<T extends object>(value: T): T {
  for (const child of Object.values(value)) if (child !== null && typeof child === 'object') deepFreezeUrl(child as object)
  return Object.freeze(value)
}

/** pip's `url_to_path` for `file:` URLs. */
export function urlToPath(url: string): string {
  try {
    return fileURLToPath(url)
  } catch {
    return decodeURIComponent(url.replace(/^file:\/\/(localhost)?/, ''))
  }
}
