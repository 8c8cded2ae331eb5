/**
 * The data behind `list`, `freeze`, `show` and `inspect`, computed as pip 26
 * computes it (its `commands/list.py`, `operations/freeze.py`,
 * `commands/show.py` and `commands/inspect.py`), so that the CLI only has to
 * print it. Versions print as pip prints them: `list`'s columns and `show`
 * print the metadata's version as written; `freeze`, `list --format
 * freeze|json` print the normalised version (from the `.dist-info` directory
 * name when it has one), or `name===raw` when it is not a valid PEP 440
 * version.
 */
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { canonicalizeName } from '@pipette/requirements'
import { metadataGet, metadataGetAll, metadataToJson, parseCoreMetadata, pyStrip } from './core-metadata.js'
import type { DirectUrl, EnvironmentScan, InstalledDistribution, InstalledFilter } from './distributions.js'
import { STDLIB_PACKAGES, installedDistributions, readDistText } from './distributions.js'
import type { InterpreterInfo } from './interpreter-info.js'
import { normalizePosixPath, parseRecord, pySplitLines } from './record.js'
import { pySorted } from './uninstall.js'
import { normalizeVersion } from './versions.js'

/** pip's `dist.version` as text: the normalised version, or null when it is not valid. */
export function distributionVersion(dist: InstalledDistribution): string | null {
  return normalizeVersion(dist.directoryVersion ?? dist.version)
}

/** `name==version` (or `name===raw` for an invalid version), as pip's freeze writes it. */
export function nameEqualsVersion(dist: InstalledDistribution): string {
  const version = distributionVersion(dist)
  return version === null ? `${dist.name}===${dist.version}` : `${dist.name}==${version}`
}

/** The packages pip's `freeze` hides unless `--all`: pip, and on Python < 3.12 setuptools, distribute, wheel. */
export function freezeHiddenPackages(info: InterpreterInfo): ReadonlySet<string> {
  const [major, minor] = info.versionInfo
  return new Set(major < 3 || (major === 3 && minor < 12) ? ['pip', 'setuptools', 'distribute', 'wheel'] : ['pip'])
}

// --- list -------------------------------------------------------------------

export interface ListOptions extends InstalledFilter {
  /** Canonical names from `--exclude`. */
  readonly exclude?: Iterable<string> | undefined
}

export interface ListEntry {
  readonly name: string
  readonly canonicalName: string
  /** The metadata's version, as `list`'s columns print it. */
  readonly version: string
  /** What `--format freeze` and `json` print: the normalised version, else the raw one. */
  readonly displayVersion: string
  /** Whether the version is a valid PEP 440 version (`--format freeze` writes `===` otherwise). */
  readonly validVersion: boolean
  readonly location: string
  readonly installer: string
  readonly editableProjectLocation: string | null
  readonly distribution: InstalledDistribution
}

/** The packages `pip list` shows, sorted by canonical name (before `--not-required` and `--outdated`). */
export function listPackages(scan: EnvironmentScan, options: ListOptions = {}): ListEntry[] {
  const skip = new Set(STDLIB_PACKAGES)
  for (const name of options.exclude ?? []) skip.add(canonicalizeName(name))
  return sortByCanonical(installedDistributions(scan, { ...options, skip })).map((dist) => {
    const version = distributionVersion(dist)
    return Object.freeze({
      name: dist.name,
      canonicalName: dist.canonicalName,
      version: dist.version,
      displayVersion: version ?? dist.version,
      validVersion: version !== null,
      location: dist.location,
      installer: dist.installer,
      editableProjectLocation: dist.editableProjectLocation,
      distribution: dist,
    })
  })
}

function sortByCanonical<T extends { readonly canonicalName: string }>(items: readonly T[]): T[] {
  const order = pySorted(new Set(items.map((item) => item.canonicalName)))
  const rank = new Map(order.map((name, i) => [name, i]))
  return [...items].sort((a, b) => rank.get(a.canonicalName)! - rank.get(b.canonicalName)!)
}

/** The `Build:` of a distribution's WHEEL file (the build tag `list` shows), or null. */
export async function wheelBuildTag(dist: InstalledDistribution): Promise<string | null> {
  const text = await readDistText(dist, 'WHEEL')
  if (text === null) return null
  return metadataGet(parseCoreMetadata(text), 'Build') ?? null
}

// --- freeze -----------------------------------------------------------------

export interface FreezeOptions {
  readonly localOnly?: boolean | undefined
  readonly userOnly?: boolean | undefined
  /** `--all`: do not hide pip (and setuptools, wheel, distribute before Python 3.12). */
  readonly all?: boolean | undefined
  /** `--exclude` names. */
  readonly exclude?: Iterable<string> | undefined
  readonly excludeEditable?: boolean | undefined
}

/** The lines `pip freeze` prints. */
export function freezeLines(scan: EnvironmentScan, info: InterpreterInfo, options: FreezeOptions = {}): string[] {
  const skip = new Set<string>(STDLIB_PACKAGES)
  if (!options.all) for (const name of freezeHiddenPackages(info)) skip.add(name)
  for (const name of options.exclude ?? []) skip.add(canonicalizeName(name))
  const dists = installedDistributions(scan, { localOnly: options.localOnly, userOnly: options.userOnly, skip: new Set() }).filter(
    (dist) => !(options.excludeEditable && dist.editableProjectLocation !== null),
  )
  const lower = new Map(dists.map((dist) => [dist, dist.name.toLowerCase()]))
  const order = pySorted(new Set(lower.values()))
  const rank = new Map(order.map((name, i) => [name, i]))
  const lines: string[] = []
  for (const dist of [...dists].sort((a, b) => rank.get(lower.get(a)!)! - rank.get(lower.get(b)!)!)) {
    if (skip.has(dist.canonicalName)) continue
    lines.push(...frozenRequirement(dist))
  }
  return lines
}

function frozenRequirement(dist: InstalledDistribution): string[] {
  if (dist.editableProjectLocation !== null) {
    // pip asks the version control system of the project for its URL; pipette does not (yet).
    const location = resolve(dist.editableProjectLocation)
    return [`# Editable install with no version control (${nameEqualsVersion(dist)})`, `-e ${location}`]
  }
  if (dist.directUrl !== null) return [directReference(dist.directUrl, dist.name)]
  return [nameEqualsVersion(dist)]
}

/** pip's `direct_url_as_pep440_direct_reference`: `name @ url` with the hash and subdirectory. */
export function directReference(directUrl: DirectUrl, name: string): string {
  let requirement = `${name} @ `
  const fragments: string[] = []
  if (directUrl.vcs_info !== undefined) requirement += `${directUrl.vcs_info.vcs}+${directUrl.url}@${directUrl.vcs_info.commit_id}`
  else {
    requirement += directUrl.url
    if (directUrl.archive_info?.hash) fragments.push(directUrl.archive_info.hash)
  }
  if (directUrl.subdirectory) fragments.push(`subdirectory=${directUrl.subdirectory}`)
  if (fragments.length > 0) requirement += `#${fragments.join('&')}`
  return requirement
}

// --- show -------------------------------------------------------------------

export interface ShowInfo {
  readonly name: string
  readonly version: string
  readonly summary: string
  readonly homepage: string
  readonly author: string
  readonly authorEmail: string
  readonly license: string
  readonly licenseExpression: string
  readonly metadataVersion: string
  readonly location: string
  readonly editableProjectLocation: string | null
  readonly installer: string
  readonly classifiers: readonly string[]
  readonly projectUrls: readonly string[]
  /** The lines of entry_points.txt. */
  readonly entryPoints: readonly string[]
  /** RECORD paths (or installed-files.txt ones), sorted; null when neither exists. */
  readonly files: readonly string[] | null
}

/** Everything `pip show` prints about one distribution, except Requires and Required-by. */
export async function showInfo(dist: InstalledDistribution): Promise<ShowInfo> {
  const m = dist.metadata
  const projectUrls = metadataGetAll(m, 'Project-URL')
  let homepage = metadataGet(m, 'Home-page') ?? ''
  if (!homepage) {
    for (const entry of projectUrls) {
      const comma = entry.indexOf(',')
      if (comma === -1) continue
      // PEP 753: labels compare without punctuation and whitespace, case-insensitively.
      const label = entry.slice(0, comma).replace(/[!-/:-@[-`{-~\s]/g, '').toLowerCase()
      if (label === 'homepage') {
        homepage = pyStrip(entry.slice(comma + 1))
        break
      }
    }
  }
  const entryPointsText = await readDistText(dist, 'entry_points.txt')
  return Object.freeze({
    name: dist.name,
    version: dist.version,
    summary: metadataGet(m, 'Summary') ?? '',
    homepage,
    author: metadataGet(m, 'Author') ?? '',
    authorEmail: metadataGet(m, 'Author-email') ?? '',
    license: metadataGet(m, 'License') ?? '',
    licenseExpression: metadataGet(m, 'License-Expression') ?? '',
    metadataVersion: metadataGet(m, 'Metadata-Version') ?? '',
    location: dist.location,
    editableProjectLocation: dist.editableProjectLocation,
    installer: dist.installer,
    classifiers: metadataGetAll(m, 'Classifier'),
    projectUrls,
    entryPoints: entryPointsText === null ? [] : pySplitLines(entryPointsText),
    files: await declaredFiles(dist),
  })
}

/** pip's `iter_declared_entries`, sorted: RECORD paths, else installed-files.txt ones (relative to the location). */
export async function declaredFiles(dist: InstalledDistribution): Promise<string[] | null> {
  const record = await readDistText(dist, 'RECORD')
  if (record !== null) return pySorted(parseRecord(record).map((row) => normalizePosixPath(row.path)))
  const installed = await readDistText(dist, 'installed-files.txt')
  if (installed === null) return null
  const paths = pySplitLines(installed).filter((p) => p !== '')
  const info = normalizePosixPath(dist.infoPath.startsWith(`${dist.location}/`) ? dist.infoPath.slice(dist.location.length + 1) : '')
  if (info === '.' || info === '') return pySorted(paths)
  return pySorted(
    paths.map((p) => {
      let entry = normalizePosixPath(p).split('/')
      let parts = info.split('/')
      while (entry.length > 0 && entry[0] === '..') {
        if (parts.length === 0 || parts.at(-1) === '..') parts.push('..')
        else parts = parts.slice(0, -1)
        entry = entry.slice(1)
      }
      return normalizePosixPath([...parts, ...entry].join('/'))
    }),
  )
}

// --- inspect ----------------------------------------------------------------

export interface InspectOptions {
  readonly localOnly?: boolean | undefined
  readonly userOnly?: boolean | undefined
  /** What to put in `pip_version`. */
  readonly installerVersion: string
}

/** pip's `inspect` report (version 1): every installed distribution with its metadata, and the marker environment. */
export function inspectReport(scan: EnvironmentScan, info: InterpreterInfo, options: InspectOptions): Record<string, unknown> {
  const installed = installedDistributions(scan, { localOnly: options.localOnly, userOnly: options.userOnly }).map((dist) => {
    const entry: Record<string, unknown> = { metadata: metadataToJson(dist.metadata), metadata_location: dist.infoPath }
    if (dist.directUrl !== null) entry['direct_url'] = directUrlToDict(dist.directUrl)
    else if (dist.editableProjectLocation !== null) {
      entry['direct_url'] = { url: pathToFileURL(dist.editableProjectLocation).href, dir_info: { editable: true } }
    }
    if (dist.installer) entry['installer'] = dist.installer
    if (dist.format === 'dist-info' && dist.infoPath.endsWith('.dist-info')) entry['requested'] = dist.requested
    return entry
  })
  return { version: '1', pip_version: options.installerVersion, installed, environment: { ...info.markerEnvironment } }
}

const ENV_VAR_AUTH = /^\$\{[A-Za-z0-9-_]+\}(:\$\{[A-Za-z0-9-_]+\})?$/

/** pip's `DirectUrl.to_dict()`: the URL without credentials (unless `git@` or `${VAR}`), then the info. */
export function directUrlToDict(directUrl: DirectUrl): Record<string, unknown> {
  const out: Record<string, unknown> = { url: redactDirectUrl(directUrl) }
  if (directUrl.subdirectory !== undefined) out['subdirectory'] = directUrl.subdirectory
  if (directUrl.vcs_info !== undefined) {
    const { vcs, requested_revision, commit_id } = directUrl.vcs_info
    out['vcs_info'] = { vcs, ...(requested_revision === undefined ? {} : { requested_revision }), commit_id }
  } else if (directUrl.archive_info !== undefined) {
    const { hash, hashes } = directUrl.archive_info
    out['archive_info'] = { ...(hash === undefined ? {} : { hash }), ...(hashes === undefined ? {} : { hashes }) }
  } else out['dir_info'] = directUrl.dir_info?.editable ? { editable: true } : {}
  return out
}

function redactDirectUrl(directUrl: DirectUrl): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/is.exec(directUrl.url)
  if (match === null) return directUrl.url
  const [, scheme, netloc, rest] = match as unknown as [string, string, string, string]
  const at = netloc.indexOf('@')
  if (at === -1) return directUrl.url
  const userinfo = netloc.slice(0, at)
  if (directUrl.vcs_info?.vcs === 'git' && userinfo === 'git') return directUrl.url
  if (ENV_VAR_AUTH.test(userinfo)) return directUrl.url
  return scheme + netloc.slice(at + 1) + rest
}
