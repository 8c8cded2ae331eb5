/**
 * What a distribution's file name says, as pip reads it when evaluating
 * links: the archive extension (`.tar.gz` and friends count as one), a
 * wheel's name, version, build tag and tags (through @pipette/wheel's
 * parser), and an sdist's version, found by the first `-` whose prefix
 * normalizes to the project's name (`foo-bar-1.0.tar.gz` is version `1.0` of
 * `foo-bar`, and `1.0` would be wrong for a project named `foo`).
 */
import { canonicalizeName } from '@pipette/requirements/names'
import { parseWheelFilename } from '@pipette/wheel/filename'
import { tagToString } from '@pipette/wheel/tags'

export const WHEEL_EXTENSION = '.whl'
/** pip's SUPPORTED_EXTENSIONS: zip, bz2, xz, tar and wheel archives. */
export const ARCHIVE_EXTENSIONS: readonly string[] = ['.zip', '.whl', '.tar.bz2', '.tbz', '.tar.xz', '.txz', '.tlz', '.tar.lz', '.tar.lzma', '.tar.gz', '.tgz', '.tar']

/** pip's `splitext`: `a.tar.gz` -> `['a', '.tar.gz']`. */
export function splitExtension(filename: string): readonly [string, string] {
  const dot = filename.lastIndexOf('.')
  let base = dot <= 0 ? filename : filename.slice(0, dot)
  let ext = dot <= 0 ? '' : filename.slice(dot)
  if (base.length >= 4 && base.slice(-4).toLowerCase() === '.tar') {
    ext = base.slice(-4) + ext
    base = base.slice(0, -4)
  }
  return [base, ext]
}

export interface ParsedWheelName {
  readonly canonicalName: string
  readonly version: string
  readonly build: { readonly number: number; readonly suffix: string } | null
  /** Every tag the file name stands for, as `interpreter-abi-platform` strings. */
  readonly tags: readonly string[]
}

/** A wheel file name's parts, or undefined when it is not a valid wheel name. */
export function wheelName(filename: string): ParsedWheelName | undefined {
  let parsed
  try {
    parsed = parseWheelFilename(filename)
  } catch {
    return undefined
  }
  let tags = tagStrings.get(parsed.tagText)
  if (tags === undefined) {
    tags = Object.freeze(parsed.tags.map(tagToString))
    if (tagStrings.size >= 1024) tagStrings.clear()
    tagStrings.set(parsed.tagText, tags)
  }
  return { canonicalName: parsed.canonicalName, version: parsed.version, build: parsed.build, tags }
}

/** Tag set text (`py2.py3-none-any`) -> its tags as strings: a page repeats a few tag sets on every file. */
const tagStrings = new Map<string, readonly string[]>()

/**
 * The version part of an sdist stem (`name-version` without extension) for a
 * project, as pip's `_extract_version_from_fragment`; undefined when no dash
 * splits off the project's name.
 */
export function sdistVersion(stem: string, normalizedProject: string): string | undefined {
  for (let i = 0; i < stem.length; i++) {
    if (stem[i] !== '-') continue
    if (canonicalizeName(stem.slice(0, i)) === normalizedProject) {
      const version = stem.slice(i + 1)
      return version === '' ? undefined : version
    }
  }
  return undefined
}

/**
 * The project a file in a `--find-links` directory belongs to, as pip 24.2+
 * indexes such directories: by wheel name, else by sdist name (`.tar.gz` or
 * `.zip`, split at the last `-`); undefined for any other file.
 */
export function projectOfFilename(filename: string): string | undefined {
  if (filename.endsWith(WHEEL_EXTENSION)) return wheelName(filename)?.canonicalName
  const stem = filename.endsWith('.tar.gz') ? filename.slice(0, -7) : filename.endsWith('.zip') ? filename.slice(0, -4) : undefined
  if (stem === undefined) return undefined
  const dash = stem.lastIndexOf('-')
  return dash <= 0 ? undefined : canonicalizeName(stem.slice(0, dash))
}
