/**
 * Finding the candidates of a project across indexes and `--find-links`.
 *
 * Index semantics:
 * - `--index-url` (default PyPI) and `--extra-index-url`s are the indexes;
 *   `--no-index` drops them all, leaving `--find-links`.
 * - `--index-strategy first-index` (the default, as uv's): the indexes are
 *   asked in order, extra indexes first (earlier flags first), then
 *   `--index-url`, and the first one that has a page for the project (not 404)
 *   is the only index used for it. A name published on a public index cannot
 *   shadow the same name on a private extra index (dependency confusion).
 * - `--index-strategy unsafe-best-match` (pip's behaviour): every index is
 *   asked and all their files compete; the best version wins wherever it is.
 * - `--find-links` files always join the candidates, whatever the strategy.
 *
 * Results are memoized per project for the life of the finder, so a resolver
 * asking again costs nothing.
 */
import { canonicalizeName } from '@pipette/requirements/names'
import type { Candidate, Evaluation, SelectOptions, TargetPython } from './evaluate.js'
import { applicableCandidates, createEvaluator } from './evaluate.js'
import type { HttpClient } from './http.js'
import type { DistributionFile } from './simple-api.js'
import type { FindLinksResult, PageResult, SourceContext } from './sources.js'
import { createFindLinksSource, fetchProjectPage } from './sources.js'
import type { VersionScheme } from './versions.js'

export const PYPI_SIMPLE_URL = 'https://pypi.org/simple'

export type IndexStrategy = 'first-index' | 'unsafe-best-match'

export interface IndexSettings {
  /** `--index-url` (default PyPI). */
  readonly indexUrl?: string | undefined
  readonly extraIndexUrls?: readonly string[] | undefined
  readonly noIndex?: boolean | undefined
  readonly findLinks?: readonly string[] | undefined
  readonly indexStrategy?: IndexStrategy | undefined
}

/** The indexes in the order they are searched for `first-index` (extra indexes first, as uv). */
export function indexSearchOrder(settings: IndexSettings): readonly string[] {
  if (settings.noIndex) return []
  const urls = [...(settings.extraIndexUrls ?? []), settings.indexUrl ?? PYPI_SIMPLE_URL]
  return [...new Set(urls)]
}

export interface FinderOptions<V> extends IndexSettings {
  readonly http: HttpClient
  readonly target: TargetPython
  readonly versions: VersionScheme<V>
  readonly trustedHosts?: readonly string[] | undefined
  readonly ignoreRequiresPython?: boolean | undefined
  /** `--only-binary` / `--no-binary` for a project. */
  readonly formats?: ((project: string) => { readonly allowBinary: boolean; readonly allowSource: boolean }) | undefined
  readonly warn?: ((message: string) => void) | undefined
}

export interface ProjectCandidates<V> {
  /** The normalized name. */
  readonly project: string
  /** Every usable file, in no particular order. */
  readonly candidates: readonly Candidate<V>[]
  /** Files that were not usable, with pip's reasons (for `-v`). */
  readonly skipped: readonly Extract<Evaluation<V>, { ok: false }>[]
  /** Every page read (or not found) for the project. */
  readonly pages: readonly PageResult[]
  /** The index whose page was used (`first-index`), if any had one. */
  readonly index: string | undefined
}

export interface BestCandidate<V> {
  readonly best: Candidate<V> | undefined
  /** Usable for the requirement, best first. */
  readonly applicable: readonly Candidate<V>[]
  readonly found: ProjectCandidates<V>
}

export interface Finder<V> {
  readonly indexUrls: readonly string[]
  readonly findLinks: readonly string[]
  readonly findAll: (project: string) => Promise<ProjectCandidates<V>>
  readonly findBest: (project: string, options?: SelectOptions) => Promise<BestCandidate<V>>
}

export function createFinder<V>(options: FinderOptions<V>): Finder<V> {
  const context: SourceContext = { http: options.http, trustedHosts: options.trustedHosts, warn: options.warn }
  const indexUrls = indexSearchOrder(options)
  const strategy = options.indexStrategy ?? 'first-index'
  const findLinks = (options.findLinks ?? []).map((location) => createFindLinksSource(context, location))
  const memo = new Map<string, Promise<ProjectCandidates<V>>>()

  async function collect(project: string): Promise<ProjectCandidates<V>> {
    const linkResults: FindLinksResult[] = await Promise.all(findLinks.map((source) => source(project)))
    const pages: PageResult[] = linkResults.flatMap((r) => r.pages)
    const files: DistributionFile[] = linkResults.flatMap((r) => r.files)
    let index: string | undefined
    if (strategy === 'first-index') {
      for (const url of indexUrls) {
        const result = await fetchProjectPage(context, url, project)
        pages.push(result)
        if (result.status === 'found') {
          files.push(...result.page.files)
          index = url
          break
        }
      }
    } else {
      const results = await Promise.all(indexUrls.map((url) => fetchProjectPage(context, url, project)))
      for (const [i, result] of results.entries()) {
        pages.push(result)
        if (result.status === 'found') {
          files.push(...result.page.files)
          index ??= indexUrls[i]
        }
      }
    }
    const evaluate = createEvaluator({
      project,
      target: options.target,
      versions: options.versions,
      ignoreRequiresPython: options.ignoreRequiresPython,
      ...options.formats?.(project),
    })
    const seen = new Set<string>()
    const candidates: Candidate<V>[] = []
    const skipped: Extract<Evaluation<V>, { ok: false }>[] = []
    for (const file of files) {
      if (seen.has(file.url)) continue
      seen.add(file.url)
      const evaluation = evaluate(file)
      if (evaluation.ok) candidates.push(evaluation.candidate)
      else skipped.push(evaluation)
    }
    return Object.freeze({ project, candidates: Object.freeze(candidates), skipped: Object.freeze(skipped), pages: Object.freeze(pages), index })
  }

  const findAll = (name: string): Promise<ProjectCandidates<V>> => {
    const project = canonicalizeName(name)
    let pending = memo.get(project)
    if (pending === undefined) {
      pending = collect(project)
      memo.set(project, pending)
      pending.catch(() => memo.delete(project))
    }
    return pending
  }

  return {
    indexUrls,
    findLinks: options.findLinks ?? [],
    findAll,
    async findBest(name, select = {}) {
      const found = await findAll(name)
      const applicable = applicableCandidates(found.candidates, options.versions, select)
      return { best: applicable[0], applicable, found }
    },
  }
}
