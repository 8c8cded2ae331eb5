/**
 * Step 1 of the pipeline: what the user asked for. Command-line arguments
 * (`name`, `name>=1`, `./x.whl`, `name @ URL`), requirement files (`-r`) and
 * constraint files (`-c`) become one list of requirements, one list of
 * constraints, and the global options the files carried (`--index-url`,
 * `--pre`, `--only-binary`, `--require-hashes`, ...), in pip's order.
 * Markers are kept: whether a requirement applies depends on the target,
 * which is the pipeline's business (pip prints "Ignoring ...").
 */
import { statSync } from 'node:fs'
import type { FetchedFile, Marker, Requirement, RequirementsFileEntry, StatKind } from '@pipette/requirements'
import { canonicalizeName, parseRequirement, parseRequirementLine, parseRequirementsFile, RequirementLineFailure } from '@pipette/requirements'
import { InstallerError } from './errors.js'
import type { FormatControl } from './format-control.js'
import { applyFormatOption, NO_FORMAT_CONTROL } from './format-control.js'

/** Allowed hashes by algorithm (pip's `Hashes`). */
export type HashSet = Readonly<Record<string, readonly string[]>>

/** One requirement the user gave, on the command line or in a file. */
export interface UserRequirement {
  /** Named, with the marker and, for paths and URLs, the `file:`/`https:` URL (`name @ url`). */
  readonly requirement: Requirement
  /** Canonical name. */
  readonly name: string
  /** As written (pip's "Collecting <text>"). */
  readonly text: string
  /** Where it comes from: `null` for the command line, else pip's `-r FILE (line N)` / `-c FILE (line N)`. */
  readonly comesFrom: string | null
  /** `--hash` values given with it. */
  readonly hashes: HashSet
  /** The line's marker (also in `requirement.marker`). */
  readonly marker: Marker | null
  /** For a path or URL requirement: the kind of link. */
  readonly linkKind: 'wheel' | 'archive' | 'url' | null
}

/** Global options read from requirement files. */
export interface FileOptions {
  readonly indexUrl: string | undefined
  readonly extraIndexUrls: readonly string[]
  readonly findLinks: readonly string[]
  readonly trustedHosts: readonly string[]
  readonly noIndex: boolean
  readonly pre: boolean
  readonly preferBinary: boolean
  readonly requireHashes: boolean
  readonly formatControl: FormatControl
}

export interface CollectOptions {
  /** Command-line arguments. */
  readonly args?: readonly string[] | undefined
  /** `-r` files (paths or URLs). */
  readonly requirementFiles?: readonly string[] | undefined
  /** `-c` files. */
  readonly constraintFiles?: readonly string[] | undefined
  /** Starting format control (`--only-binary`/`--no-binary` of the command line); files add to it. */
  readonly formatControl?: FormatControl | undefined
  readonly cwd?: string | undefined
  readonly env?: Readonly<Record<string, string | undefined>> | undefined
  /** Fetches `-r https://...` files. */
  readonly fetch?: ((url: string) => Promise<FetchedFile>) | undefined
}

export interface CollectedRequests {
  readonly requirements: readonly UserRequirement[]
  readonly constraints: readonly UserRequirement[]
  readonly options: FileOptions
}

function statKind(path: string): StatKind {
  try {
    const info = statSync(path)
    return info.isDirectory() ? 'directory' : info.isFile() ? 'file' : null
  } catch {
    return null
  }
}

function unsupported(text: string, what: string, hint: string): InstallerError {
  return new InstallerError('ERR_UNSUPPORTED_REQUIREMENT', `${text}: ${what}`, { hint })
}

function toUser(
  target: { readonly requirement: Requirement | null; readonly link: string | null; readonly linkKind: string | null; readonly extras: readonly string[]; readonly marker: Marker | null },
  text: string,
  comesFrom: string | null,
  hashes: HashSet,
): UserRequirement {
  const kind = target.linkKind
  if (kind === 'directory') {
    throw unsupported(text, 'installing a local project directory needs a build, which pipette does not do', 'build a wheel first (python -m pip wheel DIR -w dist) and install the wheel file')
  }
  if (kind === 'vcs') {
    throw unsupported(text, 'version control URLs are not supported', 'install a released version by name, example: requests==2.32.3')
  }
  if (target.requirement === null) {
    throw unsupported(text, 'the project name of this URL is unknown (pipette does not build source archives to find it)', `name it: name @ ${target.link ?? text}`)
  }
  let requirement = target.requirement
  const marker = target.marker ?? requirement.marker
  if (target.link !== null && requirement.url === null) {
    const extras = [...new Set([...requirement.extras, ...target.extras])]
    requirement = parseRequirement(`${requirement.name}${extras.length > 0 ? `[${extras.join(',')}]` : ''} @ ${target.link}${marker === null ? '' : ` ; ${marker.toString()}`}`)
  } else if (target.marker !== null && requirement.marker === null) {
    requirement = parseRequirement(`${requirement.toString()} ; ${target.marker.toString()}`)
  }
  return Object.freeze({
    requirement,
    name: canonicalizeName(requirement.name),
    text,
    comesFrom,
    hashes,
    marker,
    linkKind: kind === null ? null : (kind as 'wheel' | 'archive' | 'url'),
  })
}

/** Reads the command line and the requirement files into requirements, constraints and file options. */
export async function collectRequests(options: CollectOptions): Promise<CollectedRequests> {
  const cwd = options.cwd ?? process.cwd()
  const requirements: UserRequirement[] = []
  const constraints: UserRequirement[] = []
  const fileOptions = {
    indexUrl: undefined as string | undefined,
    extraIndexUrls: [] as string[],
    findLinks: [] as string[],
    trustedHosts: [] as string[],
    noIndex: false,
    pre: false,
    preferBinary: false,
    requireHashes: false,
    formatControl: options.formatControl ?? NO_FORMAT_CONTROL,
  }
  for (const arg of options.args ?? []) {
    let target
    try {
      target = parseRequirementLine(arg, { cwd, stat: statKind })
    } catch (error) {
      if (error instanceof RequirementLineFailure) throw new InstallerError('ERR_INVALID_REQUIREMENT', error.message, { hint: error.hint ?? "example: 'requests>=2.31'", cause: error.cause })
      throw error
    }
    requirements.push(toUser(target, arg, null, {}))
  }
  const read = async (file: string, constraint: boolean) => {
    const entries: readonly RequirementsFileEntry[] = await parseRequirementsFile(file, { constraint, cwd, env: options.env, fetch: options.fetch })
    for (const entry of entries) {
      const comesFrom = `${entry.constraint ? '-c' : '-r'} ${entry.file} (line ${entry.line})`
      if (entry.kind === 'editable') {
        throw unsupported(entry.text, 'editable installs (-e) are not supported', 'install the project as a wheel instead (build one with python -m pip wheel)')
      }
      if (entry.kind === 'option') {
        const option = entry.option
        switch (option.name) {
          case 'index-url':
            fileOptions.indexUrl = option.value
            break
          case 'extra-index-url':
            fileOptions.extraIndexUrls.push(option.value)
            break
          case 'find-links':
            fileOptions.findLinks.push(option.value)
            break
          case 'trusted-host':
            fileOptions.trustedHosts.push(option.value)
            break
          case 'no-index':
            fileOptions.noIndex = true
            break
          case 'pre':
            fileOptions.pre = true
            break
          case 'prefer-binary':
            fileOptions.preferBinary = true
            break
          case 'require-hashes':
            fileOptions.requireHashes = true
            break
          case 'no-binary':
          case 'only-binary':
            fileOptions.formatControl = applyFormatOption(fileOptions.formatControl, option.name, option.value)
            break
          default:
            break
        }
        continue
      }
      const user = toUser(entry, entry.text, comesFrom, entry.hashes)
      if (entry.constraint) {
        if (user.requirement.extras.length > 0) {
          throw new InstallerError('ERR_INVALID_REQUIREMENT', `Constraints cannot have extras: ${entry.text} (from ${comesFrom})`, {
            hint: `write the constraint without extras, example: ${user.requirement.name}${user.requirement.specifier.toString()}`,
          })
        }
        constraints.push(user)
      } else {
        requirements.push(user)
      }
    }
  }
  for (const file of options.requirementFiles ?? []) await read(file, false)
  for (const file of options.constraintFiles ?? []) await read(file, true)
  return Object.freeze({
    requirements: Object.freeze(requirements),
    constraints: Object.freeze(constraints),
    options: Object.freeze({
      ...fileOptions,
      extraIndexUrls: Object.freeze(fileOptions.extraIndexUrls),
      findLinks: Object.freeze(fileOptions.findLinks),
      trustedHosts: Object.freeze(fileOptions.trustedHosts),
    }),
  })
}

/** pip's `Hashes.__and__`: an empty side allows everything of the other; otherwise only hashes in both. */
export function intersectHashes(a: HashSet, b: HashSet): HashSet {
  if (Object.keys(b).length === 0) return a
  if (Object.keys(a).length === 0) return b
  const out: Record<string, readonly string[]> = {}
  for (const [alg, values] of Object.entries(b)) {
    const mine = a[alg]
    if (mine === undefined) continue
    out[alg] = values.filter((v) => mine.includes(v))
  }
  return out
}
