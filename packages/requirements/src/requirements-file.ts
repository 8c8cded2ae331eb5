/**
 * pip's requirements files (`pip install -r`, `-c`), read the way pip 26 reads
 * them, returned as data: one typed entry per requirement, editable or global
 * option, each with the file and line it came from.
 *
 * How it works. The bytes are decoded (decode.ts: BOM, PEP 263 coding line,
 * UTF-8), cut into logical lines (requirements-file-lines.ts: continuations,
 * comments, `${VAR}`), and each line is split into its requirement part and
 * its options (requirements-file-options.ts: shlex + optparse rules). A line
 * with a requirement becomes a `requirement` entry (interpreted by
 * requirement-line.ts: PEP 508, URL, wheel, archive or directory) carrying its
 * `--hash` and `--config-settings`; a line with `-e` an `editable` entry; a
 * line with `-r`/`-c` is replaced by the entries of that file (read relative to
 * the including file, or joined to its URL), and any other option line gives
 * `option` entries. As in pip, options that do not apply to a kind of line are
 * checked but ignored (e.g. `--pre` on a requirement line), only the first
 * `-r`, `-c`, `-e` and `-f` of a line counts, and `-c` marks the entries of
 * the nested file as constraints (a `-r` inside it reads requirements again,
 * as in pip).
 *
 * Differences from pip on purpose: a file included twice along different
 * paths (a diamond) is read twice instead of being an error; only a real
 * cycle is reported. Files are UTF-8 unless a BOM or coding line says
 * otherwise (pip falls back to the locale's encoding).
 *
 * I/O is injected: `fs` for local files (default node:fs) and `fetch` for
 * http(s) URLs (the index package supplies one; tests pass a fake).
 */
import { statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PipetteError, redactText, redactUrl } from '@pipette/errors'
import { decodeRequirementsFile, DecodeFailure } from './decode.js'
import { logicalLines } from './requirements-file-lines.js'
import { OptionFailure, parseLineOptions } from './requirements-file-options.js'
import type { ParsedOption } from './requirements-file-options.js'
import { parseEditable, parseRequirementLine, RequirementLineFailure } from './requirement-line.js'
import type { EditableTarget, RequirementTarget, StatKind } from './requirement-line.js'

/** A problem in a requirements file; the message names the file and the line. */
export class RequirementsFileError extends PipetteError {
  readonly file: string
  /** 1-based line number, or null when the problem is the file itself (unreadable, undecodable). */
  readonly line: number | null

  constructor(fields: { file: string; line: number | null; message: string; hint?: string | undefined; cause?: unknown }) {
    const where = fields.line === null ? `${redactUrl(fields.file)}` : `${redactUrl(fields.file)}, line ${fields.line}`
    super('ERR_REQUIREMENTS_FILE', `${where}: ${redactText(fields.message)}`, {
      hint: fields.hint ?? 'See https://pip.pypa.io/en/stable/reference/requirements-file-format/ (e.g. "requests>=2.31  --hash=sha256:...").',
      cause: fields.cause,
    })
    this.file = fields.file
    this.line = fields.line
  }
}

interface EntryBase {
  /** The file (path as given or resolved, or URL) the entry comes from. */
  readonly file: string
  /** Its 1-based line number (the first line of a continued line). */
  readonly line: number
  /** True when read through `-c` (a constraints file). */
  readonly constraint: boolean
}

/** A requirement line: a PEP 508 requirement, a URL or a local path, with its per-requirement options. */
export interface RequirementEntry extends EntryBase, RequirementTarget {
  readonly kind: 'requirement'
  /** The requirement text as it stands on the line (after `${VAR}` expansion). */
  readonly text: string
  /** `--hash` values by algorithm: `{ sha256: ['abc...'] }`. */
  readonly hashes: Readonly<Record<string, readonly string[]>>
  /** `--config-settings KEY=VALUE` (a repeated key gives a list). */
  readonly configSettings: Readonly<Record<string, string | readonly string[]>>
}

/** An `-e` line. */
export interface EditableEntry extends EntryBase, EditableTarget {
  readonly kind: 'editable'
  readonly text: string
  readonly configSettings: Readonly<Record<string, string | readonly string[]>>
}

export type GlobalOption =
  | {
      readonly name: 'index-url' | 'extra-index-url' | 'find-links' | 'no-binary' | 'only-binary' | 'trusted-host' | 'use-feature'
      readonly value: string
    }
  | { readonly name: 'no-index' | 'pre' | 'prefer-binary' | 'require-hashes'; readonly value?: undefined }

/** A line of global options (`--index-url`, `--pre`, ...): one entry per option, in line order. */
export interface OptionEntry extends EntryBase {
  readonly kind: 'option'
  readonly option: GlobalOption
}

export type RequirementsFileEntry = RequirementEntry | EditableEntry | OptionEntry

/** What a fetch function returns for a requirements file URL. */
export interface FetchedFile {
  /** The final URL after redirects (nested files are resolved against it); defaults to the requested URL. */
  readonly url?: string | undefined
  readonly body: Uint8Array
}

export interface RequirementsFileSystem {
  readFile(path: string): Promise<Uint8Array>
  /** 'file', 'directory', or null when nothing is there. */
  stat(path: string): StatKind
}

export interface ParseRequirementsFileOptions {
  /** Read the top file as a constraints file (`-c`). */
  readonly constraint?: boolean | undefined
  /** Where relative paths of requirements (`./pkg`, `dist/x.whl`) and of the top file resolve; default `process.cwd()`. */
  readonly cwd?: string | undefined
  /** Values for `${NAME}` expansion; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined
  /** Fetches an http(s) requirements file. Without it, URL requirements files are an error. */
  readonly fetch?: ((url: string) => Promise<FetchedFile>) | undefined
  /** Local file access; default node:fs. */
  readonly fs?: RequirementsFileSystem | undefined
}

export const nodeFileSystem: RequirementsFileSystem = {
  readFile: async (path) => readFile(path),
  stat(path) {
    const stats = statSync(path, { throwIfNoEntry: false })
    if (stats === undefined) return null
    return stats.isDirectory() ? 'directory' : stats.isFile() ? 'file' : null
  },
}

const REMOTE = /^(http|https|file):/i

interface Context {
  readonly cwd: string
  readonly env: Readonly<Record<string, string | undefined>>
  readonly fetch: ((url: string) => Promise<FetchedFile>) | undefined
  readonly fs: RequirementsFileSystem
  readonly entries: RequirementsFileEntry[]
}

interface Inclusion {
  readonly file: string
  readonly line: number
}

/**
 * Reads a requirements file (a path or an http(s)/file URL) and every file it
 * includes. Throws {@link RequirementsFileError} naming the file and line.
 *
 * @example
 * const entries = await parseRequirementsFile('requirements.txt')
 * for (const entry of entries) if (entry.kind === 'requirement') console.log(entry.line, String(entry.requirement))
 */
export async function parseRequirementsFile(
  source: string,
  options: ParseRequirementsFileOptions = {},
): Promise<readonly RequirementsFileEntry[]> {
  const context: Context = {
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? process.env,
    fetch: options.fetch,
    fs: options.fs ?? nodeFileSystem,
    entries: [],
  }
  await parseFile(context, source, options.constraint ?? false, [], undefined)
  return Object.freeze(context.entries)
}

async function readSource(context: Context, file: string, from: Inclusion | undefined): Promise<{ text: string; file: string }> {
  const referenced = from === undefined ? '' : ` (referenced from ${redactUrl(from.file)}, line ${from.line})`
  let bytes: Uint8Array
  let location = file
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(file)?.[1]?.toLowerCase()
  try {
    if (scheme === 'http' || scheme === 'https') {
      if (context.fetch === undefined) {
        throw new RequirementsFileError({
          file,
          line: null,
          message: `cannot fetch a requirements file from a URL here${referenced}`,
          hint: 'Pass a fetch function in the options (the CLI passes its HTTP client).',
        })
      }
      const fetched = await context.fetch(file)
      bytes = fetched.body
      location = fetched.url ?? file
    } else if (scheme === 'file') {
      bytes = await context.fs.readFile(fileURLToPath(file))
    } else {
      bytes = await context.fs.readFile(resolve(context.cwd, file))
    }
  } catch (error) {
    if (error instanceof RequirementsFileError) throw error
    const reason = error instanceof Error ? error.message : String(error)
    throw new RequirementsFileError({
      file,
      line: null,
      message: `Could not open requirements file: ${reason}${referenced}`,
      hint: 'Check the path; -r and -c paths are relative to the file that names them.',
      cause: error,
    })
  }
  try {
    return { text: decodeRequirementsFile(bytes), file: location }
  } catch (error) {
    if (!(error instanceof DecodeFailure)) throw error
    throw new RequirementsFileError({
      file,
      line: null,
      message: `cannot decode the file: ${error.message}${referenced}`,
      hint: 'Save it as UTF-8, or declare its encoding on the first line: # -*- coding: latin-1 -*-',
    })
  }
}

function nestedLocation(parent: string, target: string, cwd: string): string {
  if (REMOTE.test(parent)) return new URL(target, parent).href
  if (REMOTE.test(target)) return target
  return resolve(dirname(resolve(cwd, parent)), target)
}

function identity(location: string, cwd: string): string {
  return REMOTE.test(location) ? location : resolve(cwd, location)
}

async function parseFile(
  context: Context,
  file: string,
  constraint: boolean,
  stack: readonly string[],
  from: Inclusion | undefined,
): Promise<void> {
  const { text, file: location } = await readSource(context, file, from)
  const chain = [...stack, identity(file, context.cwd)]
  for (const { line, text: lineText } of logicalLines(text, context.env)) {
    let parsed
    try {
      parsed = parseLineOptions(lineText)
    } catch (error) {
      if (!(error instanceof OptionFailure)) throw error
      throw new RequirementsFileError({ file, line, message: `Invalid requirement: ${lineText}\n${error.message}` })
    }
    const base = { file, line, constraint }
    if (parsed.args !== '') {
      context.entries.push(requirementEntry(context, base, parsed.args, parsed.options))
      continue
    }
    const first = (name: ParsedOption['name']) => parsed.options.find((o) => o.name === name)?.value
    const editable = first('editable')
    if (editable !== undefined) {
      context.entries.push(editableEntry(context, base, editable, parsed.options))
      continue
    }
    const requirements = first('requirement')
    const constraints = first('constraint')
    const nested = requirements ?? constraints
    if (nested !== undefined) {
      const target = nestedLocation(location, nested, context.cwd)
      const key = identity(target, context.cwd)
      if (chain.includes(key)) {
        throw new RequirementsFileError({
          file,
          line,
          message: `${redactUrl(target)} recursively references itself (${[...chain, key].map(redactUrl).join(' -> ')})`,
          hint: 'Remove the -r/-c line that closes the cycle.',
        })
      }
      await parseFile(context, target, requirements === undefined, chain, { file, line })
      continue
    }
    for (const option of globalOptions(context, location, parsed.options)) {
      context.entries.push(Object.freeze({ kind: 'option' as const, ...base, option }))
    }
  }
}

function perRequirementOptions(options: readonly ParsedOption[]): {
  hashes: Record<string, string[]>
  configSettings: Record<string, string | string[]>
} {
  const hashes: Record<string, string[]> = {}
  const configSettings: Record<string, string | string[]> = {}
  for (const option of options) {
    const value = option.value!
    if (option.name === 'hash') {
      const colon = value.indexOf(':')
      ;(hashes[value.slice(0, colon)] ??= []).push(value.slice(colon + 1))
    } else if (option.name === 'config-settings') {
      const eq = value.indexOf('=')
      const key = value.slice(0, eq)
      const val = value.slice(eq + 1)
      const existing = configSettings[key]
      if (existing === undefined) configSettings[key] = val
      else if (Array.isArray(existing)) existing.push(val)
      else configSettings[key] = [existing, val]
    }
  }
  return { hashes, configSettings }
}

function freezeRecord<T>(record: Record<string, T>): Readonly<Record<string, T>> {
  for (const value of Object.values(record)) if (Array.isArray(value)) Object.freeze(value)
  return Object.freeze(record)
}

function requirementEntry(
  context: Context,
  base: EntryBase,
  text: string,
  options: readonly ParsedOption[],
): RequirementEntry {
  let target: RequirementTarget
  try {
    target = parseRequirementLine(text, { cwd: context.cwd, stat: (path) => context.fs.stat(path) })
  } catch (error) {
    if (!(error instanceof RequirementLineFailure)) throw error
    throw new RequirementsFileError({ file: base.file, line: base.line, message: error.message, hint: error.hint, cause: error.cause })
  }
  const { hashes, configSettings } = perRequirementOptions(options)
  return Object.freeze({
    kind: 'requirement' as const,
    ...base,
    text,
    ...target,
    hashes: freezeRecord(hashes),
    configSettings: freezeRecord(configSettings),
  })
}

function editableEntry(context: Context, base: EntryBase, text: string, options: readonly ParsedOption[]): EditableEntry {
  let target: EditableTarget
  try {
    target = parseEditable(text, { cwd: context.cwd, stat: (path) => context.fs.stat(path) })
  } catch (error) {
    if (!(error instanceof RequirementLineFailure)) throw error
    throw new RequirementsFileError({ file: base.file, line: base.line, message: error.message, hint: error.hint, cause: error.cause })
  }
  const { configSettings } = perRequirementOptions(options)
  return Object.freeze({ kind: 'editable' as const, ...base, text, ...target, configSettings: freezeRecord(configSettings) })
}

function globalOptions(context: Context, location: string, options: readonly ParsedOption[]): GlobalOption[] {
  const result: GlobalOption[] = []
  const lastIndexUrl = options.findLast((o) => o.name === 'index-url')
  const firstFindLinks = options.find((o) => o.name === 'find-links')
  for (const option of options) {
    switch (option.name) {
      case 'index-url':
        if (option === lastIndexUrl) result.push({ name: 'index-url', value: option.value! })
        break
      case 'find-links':
        if (option === firstFindLinks) {
          let value = option.value!
          if (!REMOTE.test(location)) {
            // pip: a find-links path relative to the requirements file wins when it exists.
            const relative = resolve(dirname(resolve(context.cwd, location)), value)
            if (context.fs.stat(relative) !== null) value = relative
          }
          result.push({ name: 'find-links', value })
        }
        break
      case 'extra-index-url':
      case 'no-binary':
      case 'only-binary':
      case 'trusted-host':
      case 'use-feature':
        result.push({ name: option.name, value: option.value! })
        break
      case 'no-index':
      case 'pre':
      case 'prefer-binary':
      case 'require-hashes':
        result.push({ name: option.name })
        break
      default:
        // --hash / --config-settings without a requirement: pip warns and ignores them.
        break
    }
  }
  return result.map((o) => Object.freeze(o))
}
