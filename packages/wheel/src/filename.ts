import { tryParseVersion } from '@pipette/pep440'
import { canonicalizeName } from '@pipette/requirements/names'
import { WheelError } from './errors.js'
import { parseTag } from './tags.js'
import type { Tag } from './tags.js'

/** A wheel's build tag (PEP 427): a number, then any suffix; wheels sort by (number, suffix). */
export interface BuildTag {
  readonly number: number
  readonly suffix: string
}

/** The parts of a wheel file name, as `packaging.utils.parse_wheel_filename` reads them. */
export interface WheelFilename {
  /** The file name itself. */
  readonly filename: string
  /** The distribution name as written in the file name (escaped, PEP 491). */
  readonly name: string
  /** The name normalized (PEP 503): compare and look up with this. */
  readonly canonicalName: string
  /** The version as written in the file name. */
  readonly version: string
  readonly build: BuildTag | null
  /** The tag set as written (`py2.py3-none-any`). */
  readonly tagText: string
  /** Every tag the compressed tag set stands for. */
  readonly tags: readonly Tag[]
}

const NAME_PART = /^[\p{L}\p{N}_.]*$/u
const BUILD_TAG = /^(\d+)(.*)$/s

function invalid(filename: string, why: string, hint = 'a wheel file name looks like pipette_demo-1.0.2-1-py3-none-any.whl'): WheelError {
  return new WheelError('ERR_INVALID_WHEEL_FILENAME', `Invalid wheel filename (${why}): ${filename}`, { hint })
}

/**
 * Splits a wheel file name (PEP 427) into name, version, optional build tag
 * and tags, expanding compressed tag sets. Follows packaging's
 * `parse_wheel_filename`: 4 or 5 dashes, a name of word characters, dots and
 * single underscores, a build tag starting with a digit.
 */
export function parseWheelFilename(filename: string): WheelFilename {
  if (!filename.endsWith('.whl')) throw invalid(filename, "extension must be '.whl'")
  const stem = filename.slice(0, -4)
  const parts = stem.split('-')
  if (parts.length !== 5 && parts.length !== 6) throw invalid(filename, 'wrong number of parts')
  const [name, version] = parts as [string, string]
  if (name.includes('__') || !NAME_PART.test(name)) throw invalid(filename, 'invalid project name')
  if (tryParseVersion(version) === null) throw invalid(filename, `invalid version ${JSON.stringify(version)}`, 'the version part must be a PEP 440 version, e.g. 1.0.post1')
  let build: BuildTag | null = null
  if (parts.length === 6) {
    const match = BUILD_TAG.exec(parts[2]!)
    if (match === null) throw invalid(filename, `invalid build number ${JSON.stringify(parts[2])}`, 'a build tag starts with a digit: pipette_demo-1.0-2b-py3-none-any.whl')
    build = Object.freeze({ number: Number(match[1]), suffix: match[2]! })
  }
  const tagText = parts.slice(-3).join('-')
  if (parts.slice(-3).some((p) => p === '' || p.split('.').some((q) => q === ''))) throw invalid(filename, 'empty tag')
  return Object.freeze({
    filename,
    name,
    canonicalName: canonicalizeName(name),
    version,
    build,
    tagText,
    tags: parseTag(tagText),
  })
}

/** Compares build tags as installers do: no tag sorts first, then by number, then by suffix. */
export function compareBuildTags(a: BuildTag | null, b: BuildTag | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1
  if (a.number !== b.number) return a.number < b.number ? -1 : 1
  return a.suffix < b.suffix ? -1 : a.suffix > b.suffix ? 1 : 0
}

/** Escapes a distribution name for a wheel file name (PEP 491, as normalized by the binary distribution spec). */
export function escapeWheelName(name: string): string {
  return name.replace(/[-_.]+/g, '_').toLowerCase()
}

/** Escapes a version for a wheel file name: dashes become underscores. */
export function escapeWheelVersion(version: string): string {
  return version.replace(/-/g, '_')
}

/** Builds a wheel file name from its parts (escaping name and version). */
export function wheelFilename(parts: { readonly name: string; readonly version: string; readonly build?: BuildTag | null | undefined; readonly tag: string }): string {
  const build = parts.build ? `-${parts.build.number}${parts.build.suffix}` : ''
  return `${escapeWheelName(parts.name)}-${escapeWheelVersion(parts.version)}${build}-${parts.tag}.whl`
}
