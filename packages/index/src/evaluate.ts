/**
 * Link evaluation and candidate ordering, as pip's `LinkEvaluator` and
 * `CandidateEvaluator` do them.
 *
 * A file becomes a candidate when its extension is an archive pip knows, a
 * wheel's name is this project's and one of its tags is supported by the
 * target, the version in its name parses, and its `Requires-Python` (from the
 * index) admits the target Python (an invalid `Requires-Python` is ignored,
 * as pip does). Yanked files stay candidates; selection decides (PEP 592).
 *
 * Candidates of the same version are ranked: a wheel by its best tag's place
 * in the supported list (earlier is better), an sdist below every wheel,
 * then by build tag; across versions, the higher version wins first (unless
 * `preferBinary`), so a newer sdist beats an older wheel, as in pip.
 */
import { canonicalizeName } from '@pipette/requirements/names'
import type { DistributionFile } from './simple-api.js'
import { ARCHIVE_EXTENSIONS, splitExtension, sdistVersion, WHEEL_EXTENSION, wheelName } from './filenames.js'
import type { VersionScheme } from './versions.js'

/** What the files are evaluated for: the target interpreter. */
export interface TargetPython {
  /** The full Python version for Requires-Python checks, e.g. `3.11.7`. */
  readonly pythonVersion: string
  /** Supported tags, most preferred first (`cp311-cp311-manylinux_2_17_x86_64`, ...). */
  readonly supportedTags: readonly string[]
}

export interface Candidate<V = unknown> {
  /** The normalized project name. */
  readonly name: string
  readonly version: V
  /** The version as written in the file name. */
  readonly versionText: string
  readonly kind: 'wheel' | 'sdist'
  readonly file: DistributionFile
  /** The place of the wheel's best tag in the supported list; `supportedTags.length` for an sdist. */
  readonly tagRank: number
  readonly build: { readonly number: number; readonly suffix: string } | null
}

export type SkipReason = 'not-archive' | 'invalid-name' | 'other-project' | 'unsupported-tags' | 'invalid-version' | 'requires-python' | 'format-not-allowed' | 'python-version'

export type Evaluation<V = unknown> =
  | { readonly ok: true; readonly candidate: Candidate<V> }
  | { readonly ok: false; readonly reason: SkipReason; readonly detail: string; readonly file: DistributionFile }

export interface EvaluateOptions<V> {
  /** The project (any spelling). */
  readonly project: string
  readonly target: TargetPython
  readonly versions: VersionScheme<V>
  readonly ignoreRequiresPython?: boolean | undefined
  /** `--only-binary`/`--no-binary` outcome for this project (default: both allowed). */
  readonly allowBinary?: boolean | undefined
  readonly allowSource?: boolean | undefined
}

/**
 * Tag -> place in the supported list, built once per list (an interpreter
 * supports ~1000 tags; a finder evaluates hundreds of projects against one list).
 */
const rankTables = new WeakMap<readonly string[], ReadonlyMap<string, number>>()

function tagRanks(supportedTags: readonly string[]): ReadonlyMap<string, number> {
  let ranks = rankTables.get(supportedTags)
  if (ranks === undefined) {
    const table = new Map<string, number>()
    supportedTags.forEach((tag, index) => {
      if (!table.has(tag)) table.set(tag, index)
    })
    rankTables.set(supportedTags, (ranks = table))
  }
  return ranks
}

/** Builds an evaluator for one project (the tag ranks are computed once per supported-tags list). */
export function createEvaluator<V>(options: EvaluateOptions<V>): (file: DistributionFile) => Evaluation<V> {
  const project = canonicalizeName(options.project)
  const ranks = tagRanks(options.target.supportedTags)
  const python = options.versions.parse(options.target.pythonVersion)
  const pyVersion = options.target.pythonVersion.split('.').slice(0, 2).join('.')
  const sdistRank = options.target.supportedTags.length
  const pythonAllows = new Map<string, boolean | undefined>()

  return (file) => {
    const skip = (reason: SkipReason, detail: string): Evaluation<V> => ({ ok: false, reason, detail, file })
    const [stem, ext] = splitExtension(file.filename)
    if (ext === '') return skip('not-archive', 'not a file')
    if (!ARCHIVE_EXTENSIONS.includes(ext)) return skip('not-archive', `unsupported archive format: ${ext}`)
    let versionText: string | undefined
    let tagRank = sdistRank
    let build: Candidate['build'] = null
    let kind: Candidate['kind'] = 'sdist'
    if (ext === WHEEL_EXTENSION) {
      if (options.allowBinary === false) return skip('format-not-allowed', `No binaries permitted for ${options.project}`)
      const wheel = wheelName(file.filename)
      if (wheel === undefined) return skip('invalid-name', 'invalid wheel filename')
      if (wheel.canonicalName !== project) return skip('other-project', `wrong project name (not ${options.project})`)
      let best = Infinity
      for (const tag of wheel.tags) best = Math.min(best, ranks.get(tag) ?? Infinity)
      if (best === Infinity) return skip('unsupported-tags', `none of the wheel's tags (${wheel.tags.join(', ')}) are compatible`)
      versionText = wheel.version
      tagRank = best
      build = wheel.build
      kind = 'wheel'
    } else {
      if (options.allowSource === false) return skip('format-not-allowed', `No sources permitted for ${options.project}`)
      versionText = sdistVersion(stem, project)
      if (versionText === undefined) return skip('invalid-version', `Missing project version for ${options.project}`)
      const pyTag = /-py([123]\.?[0-9]?)$/.exec(versionText)
      if (pyTag !== null) {
        versionText = versionText.slice(0, pyTag.index)
        if (pyTag[1] !== pyVersion) return skip('python-version', 'Python version is incorrect')
      }
    }
    if (file.requiresPython !== undefined && python !== undefined && !options.ignoreRequiresPython) {
      // An invalid Requires-Python is ignored, as pip does. A page repeats a few texts on every file: each is checked once.
      let allowed = pythonAllows.get(file.requiresPython)
      if (allowed === undefined && !pythonAllows.has(file.requiresPython)) {
        allowed = options.versions.contains(file.requiresPython, python)
        pythonAllows.set(file.requiresPython, allowed)
      }
      if (allowed === false) {
        return skip('requires-python', `${versionText} Requires-Python ${file.requiresPython}`)
      }
    }
    const version = options.versions.parse(versionText)
    if (version === undefined) return skip('invalid-version', `invalid version ${JSON.stringify(versionText)}`)
    return { ok: true, candidate: Object.freeze({ name: project, version, versionText, kind, file, tagRank, build }) }
  }
}

/**
 * pip's candidate sort key, as a comparator (positive when `a` is better):
 * not yanked, then (with `preferBinary`) wheels, then version, then tag rank,
 * then build tag.
 */
export function compareCandidates<V>(versions: VersionScheme<V>, options: { readonly preferBinary?: boolean | undefined } = {}) {
  return (a: Candidate<V>, b: Candidate<V>): number => {
    if (a.file.yanked !== b.file.yanked) return a.file.yanked ? -1 : 1
    if (options.preferBinary && a.kind !== b.kind) return a.kind === 'wheel' ? 1 : -1
    const byVersion = versions.compare(a.version, b.version)
    if (byVersion !== 0) return byVersion
    if (a.tagRank !== b.tagRank) return a.tagRank < b.tagRank ? 1 : -1
    const an = a.build
    const bn = b.build
    if (an === null || bn === null) return an === bn ? 0 : an === null ? -1 : 1
    if (an.number !== bn.number) return an.number - bn.number
    return an.suffix < bn.suffix ? -1 : an.suffix > bn.suffix ? 1 : 0
  }
}

export interface SelectOptions {
  /** A PEP 440 specifier set (`>=1,<2`; empty for any). */
  readonly specifier?: string | undefined
  /** `--pre`: allow pre-releases (otherwise packaging's rule: only when nothing else matches or the specifier names one). */
  readonly pre?: boolean | undefined
  readonly preferBinary?: boolean | undefined
}

/**
 * The candidates a requirement may use, best first: filtered by the specifier
 * with packaging's pre-release rules, then yanked files dropped unless the
 * specifier pins a version (`==` or `===`) that only yanked files match (PEP 592).
 */
export function applicableCandidates<V>(candidates: readonly Candidate<V>[], versions: VersionScheme<V>, options: SelectOptions = {}): Candidate<V>[] {
  const allVersions = candidates.map((c) => c.version)
  const allowed = new Set(versions.filter(options.specifier ?? '', allVersions, options.pre ? true : undefined))
  const applicable = candidates.filter((c) => allowed.has(c.version))
  applicable.sort(compareCandidates(versions, options)).reverse()
  const allYanked = applicable.length > 0 && applicable.every((c) => c.file.yanked)
  const pinned = isPinned(options.specifier ?? '')
  return applicable.filter((c) => !c.file.yanked || (allYanked && pinned))
}

/** pip's `is_pinned`: `===`, or `==` without a wildcard. */
export function isPinned(specifier: string): boolean {
  return specifier
    .split(',')
    .map((s) => s.trim())
    .some((s) => s.startsWith('===') || (s.startsWith('==') && !s.endsWith('.*')))
}
