/**
 * Where files come from: project pages of indexes and `--find-links`
 * locations, read as pip reads them.
 *
 * - An index project page is `<index>/<normalized name>/`, asked for with
 *   JSON preferred (PEP 691) and parsed by its Content-Type; 404 and 410 mean
 *   "not on this index". A `file:` index is a directory tree whose project
 *   directories hold an `index.html`.
 * - A `--find-links` location is a local directory (every archive in it
 *   whose name is the project's is a file; every `.html`/`.htm` file is a page
 *   of links), a local file (a page if it is HTML, else a file), or a URL
 *   (fetched as a page of links; the URL itself also counts as a file, which
 *   only matters when it names an archive).
 * - Plain `http:` locations that are neither local nor `--trusted-host` are
 *   skipped with pip's warning.
 */
import { readdir, readFile, stat } from 'node:fs/promises'
import { extname, join, resolve } from 'node:path'
import { canonicalizeName } from '@pipette/requirements/names'
import { projectOfFilename } from './filenames.js'
import type { HttpClient } from './http.js'
import { isTrustedHost } from './network.js'
import type { DistributionFile, ProjectPage } from './simple-api.js'
import { parseSimpleHtml, parseSimpleResponse, SIMPLE_ACCEPT } from './simple-api.js'
import { cleanLink, fileUrlToPath, filenameOf, isFileUrl, pathToUrl, projectUrl, stripCredentials } from './urls.js'

export interface SourceContext {
  readonly http: HttpClient
  readonly trustedHosts?: readonly string[] | undefined
  readonly warn?: ((message: string) => void) | undefined
}

export type PageResult =
  | { readonly status: 'found'; readonly page: ProjectPage }
  | { readonly status: 'not-found'; readonly url: string }
  | { readonly status: 'skipped'; readonly url: string; readonly why: string }

const LOCAL_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i

/** pip's secure origins: https, file, loopback, and trusted hosts. */
export function isSecureOrigin(url: string, trustedHosts: readonly string[] | undefined): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (parsed.protocol === 'https:' || parsed.protocol === 'file:') return true
  if (LOCAL_HOSTS.test(parsed.hostname)) return true
  return isTrustedHost(parsed, trustedHosts)
}

function insecureWarning(url: string): string {
  const host = new URL(url).host
  return `The repository located at ${host} is not a trusted or secure host and is being ignored. If this repository is available via HTTPS we recommend you use HTTPS instead, otherwise you may silence this warning and allow it anyway with '--trusted-host ${host}'.`
}

async function localPage(path: string, url: string): Promise<ProjectPage | undefined> {
  try {
    return parseSimpleHtml(await readFile(path, 'utf8'), url)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined
    throw error
  }
}

/** Reads a page of links at a URL (http(s) or file). */
export async function fetchPage(context: SourceContext, url: string, options: { readonly project?: string | undefined } = {}): Promise<PageResult> {
  if (isFileUrl(url)) {
    let path = fileUrlToPath(url)
    let pageUrl = url
    const info = await stat(path).catch(() => undefined)
    if (info?.isDirectory()) {
      path = join(path, 'index.html')
      pageUrl = pathToUrl(path)
    }
    const page = await localPage(path, pageUrl)
    return page === undefined ? { status: 'not-found', url } : { status: 'found', page }
  }
  if (!isSecureOrigin(url, context.trustedHosts)) {
    context.warn?.(insecureWarning(url))
    return { status: 'skipped', url, why: 'insecure' }
  }
  const response = await context.http.get(url, { headers: { accept: SIMPLE_ACCEPT }, acceptStatus: [404, 410], project: options.project })
  if (response.status === 404 || response.status === 410) return { status: 'not-found', url }
  try {
    return { status: 'found', page: parseSimpleResponse({ body: response.body, contentType: response.headers['content-type'], url: response.url }) }
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_INDEX_RESPONSE') throw error
    context.warn?.(`Skipping page ${stripCredentials(url)}: ${(error as Error).message.replace(/^[^:]*: /, '')}`)
    return { status: 'skipped', url, why: 'not a Simple API page' }
  }
}

/** The project page of one index. */
export function fetchProjectPage(context: SourceContext, indexUrl: string, project: string): Promise<PageResult> {
  return fetchPage(context, projectUrl(indexUrl, canonicalizeName(project)), { project })
}

function fileFromLocal(path: string): DistributionFile {
  return fileFromUrl(cleanLink(pathToUrl(path)))
}

function fileFromUrl(url: string): DistributionFile {
  return Object.freeze({
    filename: filenameOf(url),
    url,
    hashes: Object.freeze({}),
    requiresPython: undefined,
    yanked: false,
    yankedReason: undefined,
    coreMetadata: false as const,
    size: undefined,
    uploadTime: undefined,
    pageUrl: url,
  })
}

const isHtml = (name: string) => ['.html', '.htm'].includes(extname(name).toLowerCase())

export interface FindLinksResult {
  readonly files: readonly DistributionFile[]
  readonly pages: readonly PageResult[]
}

/**
 * A `--find-links` location, resolved once per process: local directories
 * are listed once (their archives grouped by project), pages fetched once.
 */
export function createFindLinksSource(context: SourceContext, location: string): (project: string) => Promise<FindLinksResult> {
  let prepared: Promise<(project: string) => Promise<FindLinksResult>> | undefined
  const prepare = async (): Promise<(project: string) => Promise<FindLinksResult>> => {
    const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(location)
    const path = isFileUrl(location) ? fileUrlToPath(location) : isUrl ? undefined : resolve(location)
    if (path === undefined) {
      if (!/^https?:/i.test(location)) {
        context.warn?.(`Location '${stripCredentials(location)}' is ignored: it is either a non-existing path or lacks a specific scheme.`)
        return async () => ({ files: [], pages: [] })
      }
      let page: Promise<PageResult> | undefined
      return async () => {
        page ??= fetchPage(context, location)
        const result = await page
        const own = filenameOf(location)
        const files = result.status === 'found' ? [...result.page.files] : []
        if (projectOfFilename(own) !== undefined) files.push(fileFromUrl(cleanLink(location)))
        return { files, pages: [result] }
      }
    }
    const info = await stat(path).catch(() => undefined)
    if (info === undefined) {
      context.warn?.(`Location '${location}' is ignored: it is either a non-existing path or lacks a specific scheme.`)
      return async () => ({ files: [], pages: [] })
    }
    if (info.isFile()) {
      if (isHtml(path)) {
        let page: Promise<PageResult> | undefined
        return async () => {
          page ??= fetchPage(context, pathToUrl(path))
          const result = await page
          return { files: result.status === 'found' ? result.page.files : [], pages: [result] }
        }
      }
      const file = fileFromLocal(path)
      return async (project) => ({ files: projectOfFilename(file.filename) === canonicalizeName(project) ? [file] : [], pages: [] })
    }
    const byProject = new Map<string, DistributionFile[]>()
    const pageUrls: string[] = []
    for (const entry of (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (!entry.isFile() && !entry.isSymbolicLink()) continue
      if (isHtml(entry.name)) {
        pageUrls.push(pathToUrl(join(path, entry.name)))
        continue
      }
      const project = projectOfFilename(entry.name)
      if (project === undefined) continue
      const list = byProject.get(project) ?? []
      list.push(fileFromLocal(join(path, entry.name)))
      byProject.set(project, list)
    }
    let pages: Promise<PageResult[]> | undefined
    return async (project) => {
      pages ??= Promise.all(pageUrls.map((url) => fetchPage(context, url)))
      const results = await pages
      const files = [...(byProject.get(canonicalizeName(project)) ?? [])]
      for (const result of results) if (result.status === 'found') files.push(...result.page.files)
      return { files, pages: results }
    }
  }
  return async (project) => {
    prepared ??= prepare()
    return (await prepared)(project)
  }
}

