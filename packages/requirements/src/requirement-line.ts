/**
 * What a requirement line of a requirements file (or a command-line argument)
 * means, following pip's `parse_req_from_line` and `parse_editable`:
 *
 * - a URL (http, https, file, ftp or a VCS scheme such as git+https) is a
 *   direct link; a marker may follow after `"; "`; the name comes from a
 *   wheel file name or an `#egg=` fragment, else it is unknown until built;
 * - a string that looks like a path (contains a separator or starts with
 *   `.`) and is a directory is a local project (it must hold pyproject.toml
 *   or setup.py); a string ending in an archive extension (.whl, .tar.gz,
 *   .zip...) is a local archive; `[extras]` may follow a path;
 * - anything else is a PEP 508 requirement (`name @ url` included).
 *
 * Relative paths are resolved against `cwd`, as pip does (not against the
 * requirements file). File system checks go through an injected `stat`.
 */
import { statSync } from 'node:fs'
import { isAbsolute, join, normalize, resolve, sep } from 'node:path'
import { parseMarker } from './marker.js'
import { isValidName } from './names.js'
import type { Marker } from './marker.js'
import { parseRequirement, Requirement } from './requirement.js'

export type StatKind = 'file' | 'directory' | null

export const VCS_NAMES: readonly string[] = ['bzr', 'git', 'hg', 'svn']
export const VCS_SCHEMES: readonly string[] = [
  'bzr+http',
  'bzr+https',
  'bzr+ssh',
  'bzr+sftp',
  'bzr+ftp',
  'bzr+lp',
  'bzr+file',
  'git+http',
  'git+https',
  'git+ssh',
  'git+git',
  'git+file',
  'git',
  'hg+file',
  'hg+http',
  'hg+https',
  'hg+ssh',
  'hg+static-http',
  'svn',
  'svn+ssh',
  'svn+http',
  'svn+https',
  'svn+svn',
  'svn+file',
]
const URL_SCHEMES = new Set(['http', 'https', 'file', 'ftp', ...VCS_SCHEMES])
const ARCHIVE_EXTENSIONS = ['.zip', '.whl', '.tar.bz2', '.tbz', '.tar.xz', '.txz', '.tlz', '.tar.lz', '.tar.lzma', '.tar.gz', '.tgz', '.tar']

export interface LineOptions {
  /** Where relative paths resolve (pip: the current directory); default `process.cwd()`. */
  readonly cwd?: string | undefined
  /** File system check: 'file', 'directory' or null; default node:fs. */
  readonly stat?: ((path: string) => StatKind) | undefined
}

function defaultStat(path: string): StatKind {
  const stats = statSync(path, { throwIfNoEntry: false })
  if (stats === undefined) return null
  return stats.isDirectory() ? 'directory' : stats.isFile() ? 'file' : null
}

function withDefaults(options: LineOptions): { cwd: string; stat: (path: string) => StatKind } {
  return { cwd: options.cwd ?? process.cwd(), stat: options.stat ?? defaultStat }
}

/** What kind of target a link points at. */
export type LinkKind = 'vcs' | 'wheel' | 'archive' | 'directory' | 'url'

export interface RequirementTarget {
  /** The named requirement: PEP 508, or `name==version` from a wheel file name, or the `#egg=` name; null when unknown. */
  readonly requirement: Requirement | null
  /** The URL to install from (a `file:` URL for local paths), or null for a plain named requirement. */
  readonly link: string | null
  readonly linkKind: LinkKind | null
  /** Extras given after a path or URL (`./pkg[test]`), lower-cased as pip does. */
  readonly extras: readonly string[]
  /**
   * The line's marker. pip cuts it off at the first `;` (at `"; "` for URLs)
   * before reading the rest, so for `name>=1; marker` it is here and not in
   * `requirement.marker`.
   */
  readonly marker: Marker | null
}

/** A problem with one requirement; the requirements-file parser adds the file and line. */
export class RequirementLineFailure {
  constructor(
    readonly message: string,
    readonly hint: string | undefined,
    readonly cause?: unknown,
  ) {}
}

/** pip's `get_url_scheme`-based `is_url`. */
export function isUrl(text: string): boolean {
  const colon = text.indexOf(':')
  if (colon === -1) return false
  return URL_SCHEMES.has(text.slice(0, colon).toLowerCase())
}

function urlScheme(url: string): string {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)
  return match === null ? '' : match[1]!.toLowerCase()
}

function looksLikePath(name: string): boolean {
  return name.includes(sep) || name.includes('/') || name.startsWith('.')
}

/** pip's `is_archive_file`, with pip's `splitext` (which keeps `.tar.gz` together). */
function isArchive(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1)
  // posixpath.splitext: the last dot that is not a leading dot of the name.
  let dot = base.lastIndexOf('.')
  let lead = 0
  while (lead < base.length && base[lead] === '.') lead++
  if (dot < lead) return false
  let ext = base.slice(dot).toLowerCase()
  if (base.slice(0, dot).toLowerCase().endsWith('.tar')) {
    dot -= 4
    ext = base.slice(dot).toLowerCase()
  }
  return ARCHIVE_EXTENSIONS.includes(ext)
}

/** Python's urllib.parse.quote(path) with '/' safe. */
function quotePath(path: string): string {
  let out = ''
  for (const byte of Buffer.from(path, 'utf8')) {
    const c = String.fromCharCode(byte)
    out += /[A-Za-z0-9_.\-~/]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

/** pip's `path_to_url`: an absolute, normalized file: URL. */
export function pathToUrl(path: string, cwd: string): string {
  const absolute = normalize(resolve(cwd, path))
  return `file://${quotePath(absolute)}`
}

/** pip's `_strip_extras` (`^(.+)(\[[^\]]+\])$`), without the regex's quadratic backtracking. */
function stripExtras(path: string): [string, string | undefined] {
  if (!path.endsWith(']')) return [path, undefined]
  const end = path.length - 1
  // The rightmost '[' leaving at least one character before the final ']', with no ']' in between.
  const open = path.lastIndexOf('[', end - 2)
  if (open < 1 || open < path.lastIndexOf(']', end - 1)) return [path, undefined]
  return [path.slice(0, open), path.slice(open)]
}

function convertExtras(extras: string | undefined): string[] {
  if (extras === undefined) return []
  try {
    return [...parseRequirement(`placeholder${extras.toLowerCase()}`).extras]
  } catch (error) {
    throw new RequirementLineFailure(`Invalid extras: ${extras}`, 'Extras look like [security,socks].', error)
  }
}

/** The `#egg=` name of a link; pip 25+ requires a PEP 508 project name there (no extras, no version). */
function eggFragment(url: string): string | undefined {
  const match = /[#&]egg=([^&]*)/.exec(url)
  if (match === null) return undefined
  const name = match[1]!
  if (name !== '' && !isValidName(name)) {
    throw new RequirementLineFailure(
      `${url} contains an egg fragment with a non-PEP 508 name: '${name}'`,
      `Use the 'name @ url' form instead, e.g. ${name.split('[')[0]} @ ${url.replace(/[#&]egg=[^&]*/, '')}`,
    )
  }
  return name
}

function wheelNameVersion(url: string): string {
  const path = url.split(/[?#]/, 1)[0]!
  const filename = decodeURIComponent(path.slice(path.lastIndexOf('/') + 1))
  const parts = filename.slice(0, -'.whl'.length).split('-')
  if (parts.length !== 5 && parts.length !== 6) {
    throw new RequirementLineFailure(`${filename} is not a valid wheel filename.`, 'A wheel file name looks like name-1.0-py3-none-any.whl.')
  }
  return `${parts[0]!.replace(/_/g, '-')}==${parts[1]!.replace(/_/g, '-')}`
}

function linkKind(url: string, stat: (path: string) => StatKind): LinkKind {
  const scheme = urlScheme(url)
  if (VCS_SCHEMES.includes(scheme)) return 'vcs'
  const path = url.split(/[?#]/, 1)[0]!
  if (path.toLowerCase().endsWith('.whl')) return 'wheel'
  if (isArchive(path)) return 'archive'
  if (scheme === 'file') {
    try {
      const local = decodeURIComponent(path.replace(/^file:(\/\/[^/]*)?/i, ''))
      if (stat(local) === 'directory') return 'directory'
    } catch {
      // not a decodable path: a plain URL
    }
  }
  return 'url'
}

function parseNamedRequirement(text: string, cwd: string, stat: (path: string) => StatKind): Requirement {
  try {
    return parseRequirement(text)
  } catch (error) {
    let hint: string | undefined
    if (text.includes(sep) || text.includes('/')) {
      const path = resolve(cwd, text)
      const kind = stat(path)
      hint =
        kind === null
          ? `It looks like a path. File '${text}' does not exist.`
          : kind === 'file'
            ? `It looks like a path. The path does exist. If '${text}' is a requirements file, use the '-r' flag to install the packages specified within it.`
            : `It looks like a path. The path does exist.`
    } else if (text.includes('=') && !['==', '!=', '<=', '>=', '~=', '<', '>', '==='].some((op) => text.includes(op))) {
      hint = '= is not a valid operator. Did you mean == ?'
    }
    throw new RequirementLineFailure(`Invalid requirement: '${text}': ${(error as Error).message}`, hint, error)
  }
}

/**
 * Interprets a (non-editable) requirement as pip's `parse_req_from_line`.
 * Throws {@link RequirementLineFailure}.
 */
export function parseRequirementLine(
  line: string,
  options: LineOptions = {},
): RequirementTarget {
  const { cwd, stat } = withDefaults(options)
  let name = line
  const url = isUrl(name)
  const markerSeparator = url ? '; ' : ';'
  let marker: Marker | null = null
  const separatorAt = name.indexOf(markerSeparator)
  if (separatorAt !== -1) {
    const markerText = name.slice(separatorAt + markerSeparator.length)
    name = name.slice(0, separatorAt)
    if (markerText.trim() !== '') {
      try {
        marker = parseMarker(markerText)
      } catch (error) {
        throw new RequirementLineFailure(`Invalid marker: ${(error as Error).message}`, undefined, error)
      }
    }
  }
  name = name.trim()
  let link: string | null = null
  let extrasText: string | undefined
  if (url) {
    link = name
  } else {
    const absolute = normalize(isAbsolute(name) ? name : join(cwd, name))
    const [path, extras] = stripExtras(absolute)
    extrasText = extras
    const nameNoExtras = stripExtras(name)[0]
    const kind = stat(path)
    if (looksLikePath(name) && kind === 'directory') {
      if (stat(join(path, 'pyproject.toml')) !== 'file' && stat(join(path, 'setup.py')) !== 'file') {
        throw new RequirementLineFailure(
          `Directory '${name}' is not installable. Neither 'setup.py' nor 'pyproject.toml' found.`,
          'A local project directory holds a pyproject.toml (or setup.py).',
        )
      }
      link = pathToUrl(path, cwd)
    } else if (isArchive(path)) {
      const at = nameNoExtras.split('@')
      if (kind === 'file' || at.length < 2 || looksLikePath(at[0]!)) link = pathToUrl(path, cwd)
    }
  }
  let requirement: Requirement | null = null
  let kind: LinkKind | null = null
  if (link !== null) {
    kind = linkKind(link, stat)
    let requirementText: string | undefined
    if (kind === 'wheel') requirementText = wheelNameVersion(link)
    else {
      const egg = eggFragment(link)
      if (egg !== undefined && egg !== '') requirementText = egg
    }
    if (requirementText !== undefined) requirement = parseNamedRequirement(requirementText, cwd, stat)
  } else {
    requirement = parseNamedRequirement(name, cwd, stat)
    if (requirement.url !== null) {
      link = requirement.url
      kind = linkKind(link, stat)
    }
  }
  return Object.freeze({ requirement, link, linkKind: kind, extras: Object.freeze(convertExtras(extrasText)), marker })
}

export interface EditableTarget {
  /** The project named by `#egg=` (a plain name, as pip 25+ requires), or null (a local directory without #egg=). */
  readonly requirement: Requirement | null
  /** A file: URL of the project directory, or the VCS URL. */
  readonly link: string
  readonly linkKind: 'directory' | 'vcs'
  readonly extras: readonly string[]
}

/** Interprets an `-e` target as pip's `parse_editable`. Throws {@link RequirementLineFailure}. */
export function parseEditable(
  editable: string,
  options: LineOptions = {},
): EditableTarget {
  const { cwd, stat } = withDefaults(options)
  const [noExtras, extras] = stripExtras(editable)
  let target = noExtras
  if (stat(resolve(cwd, noExtras)) === 'directory') target = pathToUrl(noExtras, cwd)
  if (target.toLowerCase().startsWith('file:')) {
    const egg = eggFragment(target)
    return Object.freeze({
      requirement: egg === undefined || egg === '' ? null : eggRequirement(egg),
      link: target,
      linkKind: 'directory' as const,
      extras: Object.freeze(convertExtras(extras)),
    })
  }
  let url = editable
  for (const vcs of VCS_NAMES) {
    if (url.toLowerCase().startsWith(`${vcs}:`)) {
      url = `${vcs}+${url}`
      break
    }
  }
  if (!VCS_SCHEMES.includes(urlScheme(url))) {
    throw new RequirementLineFailure(
      `${editable} is not a valid editable requirement. It should either be a path to a local project or a VCS URL (beginning with ${VCS_SCHEMES.join(', ')}).`,
      'For example: -e ./my-project  or  -e git+https://github.com/owner/repo.git#egg=repo',
    )
  }
  const egg = eggFragment(url)
  if (egg === undefined || egg === '') {
    throw new RequirementLineFailure(
      `Could not detect requirement name for '${editable}', please specify one with #egg=your_package_name`,
      'For example: -e git+https://github.com/owner/repo.git#egg=repo',
    )
  }
  return Object.freeze({ requirement: eggRequirement(egg), link: url, linkKind: 'vcs' as const, extras: Object.freeze([]) })
}

function eggRequirement(egg: string): Requirement {
  try {
    return parseRequirement(egg)
  } catch (error) {
    throw new RequirementLineFailure(`Invalid requirement: '${egg}'`, 'An #egg= fragment names the project: #egg=name', error)
  }
}

