/**
 * The Simple Repository API, both serializations: PEP 503 HTML (with PEP 592
 * `data-yanked`, PEP 658/714 `data-core-metadata` and the older
 * `data-dist-info-metadata`, `data-requires-python`, `<base href>` and
 * `#sha256=` fragments) and PEP 691 JSON (api-version 1.0 and 1.1, with the
 * PEP 700 `versions`, `size` and `upload-time` fields). Both parse into the same
 * `ProjectPage`, built the way pip builds its `Link`s, so that what follows
 * (link evaluation, candidate selection) never knows which one it came from.
 */
import { badResponse } from './errors.js'
import { scanAnchors } from './html.js'
import { cleanLink, filenameOf, hashFromFragment, joinUrl, supportedHashes } from './urls.js'

/** What the client asks for: JSON first, HTML as the fallback (pip's order and weights). */
export const SIMPLE_ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01'

export const SIMPLE_JSON = 'application/vnd.pypi.simple.v1+json'
export const SIMPLE_HTML = 'application/vnd.pypi.simple.v1+html'

/** A PEP 658 metadata file: present, with the hashes the index gave for it (possibly none). */
export interface CoreMetadata {
  readonly hashes: Readonly<Record<string, string>> | undefined
}

/** One file listed on a project page or in a find-links location. */
export interface DistributionFile {
  /** The file name: the unquoted last segment of the URL. */
  readonly filename: string
  /** Absolute, fully quoted URL (pip's `_clean_link`), fragment included as the page gave it. */
  readonly url: string
  /** Hashes from the JSON `hashes` object and the URL fragment (the fragment wins, as in pip). */
  readonly hashes: Readonly<Record<string, string>>
  readonly requiresPython: string | undefined
  /** PEP 592: yanked files are skipped unless a pin (`==`) matches only yanked files. */
  readonly yanked: boolean
  readonly yankedReason: string | undefined
  /** PEP 658/714: a `<url>.metadata` file exists; false when the index did not say so. */
  readonly coreMetadata: CoreMetadata | false
  /** PEP 700 (JSON 1.1) size in bytes. */
  readonly size: number | undefined
  /** PEP 700 upload time, ISO 8601. */
  readonly uploadTime: string | undefined
  /** The page (or find-links location) the file was listed on. */
  readonly pageUrl: string
}

export interface ProjectPage {
  /** The URL the page was finally read from (after redirects). */
  readonly url: string
  readonly format: 'json' | 'html'
  /** `meta.api-version` of a JSON page. */
  readonly apiVersion: string | undefined
  /** The normalized name a JSON page declares. */
  readonly name: string | undefined
  readonly files: readonly DistributionFile[]
  /** PEP 700 list of versions (JSON 1.1), when present. */
  readonly versions: readonly string[] | undefined
}

interface FileInit {
  readonly url: string
  readonly pageUrl: string
  readonly hashes?: Readonly<Record<string, string>> | undefined
  readonly requiresPython?: string | null | undefined
  readonly yanked: boolean
  readonly yankedReason?: string | undefined
  readonly coreMetadata: CoreMetadata | false
  readonly size?: number | undefined
  readonly uploadTime?: string | undefined
}

function makeFile(init: FileInit): DistributionFile {
  const fragment = hashFromFragment(init.url)
  const hashes = Object.freeze({ ...init.hashes, ...(fragment === undefined ? {} : { [fragment.name]: fragment.value }) })
  return Object.freeze({
    filename: filenameOf(init.url),
    url: init.url,
    hashes,
    requiresPython: init.requiresPython ? init.requiresPython : undefined,
    yanked: init.yanked,
    yankedReason: init.yankedReason,
    coreMetadata: init.coreMetadata,
    size: init.size,
    uploadTime: init.uploadTime,
    pageUrl: init.pageUrl,
  })
}

/** `data-core-metadata="true"` or `"sha256=..."` (pip accepts any other value as "present, no hash"). */
function htmlMetadata(value: string | null | undefined): CoreMetadata | false {
  if (value === undefined) return false
  if (value === null || value === 'true') return Object.freeze({ hashes: undefined })
  const equals = value.indexOf('=')
  if (equals === -1) return Object.freeze({ hashes: undefined })
  return Object.freeze({ hashes: supportedHashes({ [value.slice(0, equals)]: value.slice(equals + 1) }) })
}

/** Parses a PEP 503 HTML project page (or a find-links HTML page). `url` is the page's own URL. */
export function parseSimpleHtml(html: string, url: string): ProjectPage {
  const { baseHref, anchors } = scanAnchors(html)
  const base = baseHref === undefined ? url : (joinUrl(url, baseHref) ?? url)
  const files: DistributionFile[] = []
  for (const anchor of anchors) {
    const href = anchor['href']
    if (!href) continue
    const joined = joinUrl(base, href)
    if (joined === undefined) continue
    const yankedValue = anchor['data-yanked']
    const metadataValue = 'data-core-metadata' in anchor ? anchor['data-core-metadata'] : anchor['data-dist-info-metadata']
    files.push(
      makeFile({
        url: cleanLink(joined),
        pageUrl: url,
        requiresPython: anchor['data-requires-python'],
        yanked: yankedValue !== undefined,
        yankedReason: yankedValue ? yankedValue : undefined,
        coreMetadata: htmlMetadata(metadataValue),
      }),
    )
  }
  return Object.freeze({ url, format: 'html', apiVersion: undefined, name: undefined, files: Object.freeze(files), versions: undefined })
}

function jsonMetadata(value: unknown): CoreMetadata | false {
  if (value !== null && typeof value === 'object') return Object.freeze({ hashes: supportedHashes(value as Record<string, unknown>) })
  return value ? Object.freeze({ hashes: undefined }) : false
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** Parses a PEP 691 JSON project page. Throws ERR_INDEX_RESPONSE on a document that is not one. */
export function parseSimpleJson(text: string, url: string): ProjectPage {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (cause) {
    throw badResponse(url, 'the JSON project page is not valid JSON', { cause })
  }
  if (!isRecord(data)) throw badResponse(url, 'the JSON project page is not an object')
  const meta = isRecord(data['meta']) ? data['meta'] : {}
  const apiVersion = typeof meta['api-version'] === 'string' ? meta['api-version'] : undefined
  const major = apiVersion === undefined ? 1 : Number(apiVersion.split('.')[0])
  if (major !== 1) {
    throw badResponse(url, `unsupported Simple API version ${apiVersion}`, { hint: 'this client reads api-version 1.x (PEP 691); use an index that serves it' })
  }
  const rawFiles = Array.isArray(data['files']) ? data['files'] : []
  const files: DistributionFile[] = []
  for (const file of rawFiles) {
    if (!isRecord(file) || typeof file['url'] !== 'string') continue
    const joined = joinUrl(url, file['url'])
    if (joined === undefined) continue
    const yanked = file['yanked']
    const metadata = 'core-metadata' in file && file['core-metadata'] !== undefined ? file['core-metadata'] : file['dist-info-metadata']
    files.push(
      makeFile({
        url: cleanLink(joined),
        pageUrl: url,
        hashes: isRecord(file['hashes']) ? stringEntries(file['hashes']) : undefined,
        requiresPython: typeof file['requires-python'] === 'string' ? file['requires-python'] : undefined,
        yanked: yanked === true || (typeof yanked === 'string' && yanked !== ''),
        yankedReason: typeof yanked === 'string' && yanked !== '' ? yanked : undefined,
        coreMetadata: jsonMetadata(metadata),
        size: typeof file['size'] === 'number' ? file['size'] : undefined,
        uploadTime: typeof file['upload-time'] === 'string' ? file['upload-time'] : undefined,
      }),
    )
  }
  const versions = Array.isArray(data['versions']) ? Object.freeze(data['versions'].filter((v): v is string => typeof v === 'string')) : undefined
  return Object.freeze({
    url,
    format: 'json',
    apiVersion,
    name: typeof data['name'] === 'string' ? data['name'] : undefined,
    files: Object.freeze(files),
    versions,
  })
}

function stringEntries(record: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(record)) if (typeof value === 'string') out[key] = value.toLowerCase()
  return out
}

/** The media type of a Content-Type header, lower-cased, and its charset. */
export function parseContentType(header: string | undefined): { readonly mediaType: string; readonly charset: string | undefined } {
  const [type = '', ...params] = (header ?? '').split(';')
  let charset: string | undefined
  for (const param of params) {
    const [key, value] = param.split('=')
    if (key?.trim().toLowerCase() === 'charset' && value !== undefined) charset = value.trim().replace(/^"|"$/g, '')
  }
  return { mediaType: type.trim().toLowerCase(), charset }
}

/** Which parser a response's Content-Type calls for; undefined for anything that is not a Simple API page. */
export function simpleFormatOf(contentType: string | undefined): 'json' | 'html' | undefined {
  const { mediaType } = parseContentType(contentType)
  if (mediaType === SIMPLE_JSON || mediaType === 'application/vnd.pypi.simple.latest+json') return 'json'
  if (mediaType === SIMPLE_HTML || mediaType === 'application/vnd.pypi.simple.latest+html' || mediaType === 'text/html') return 'html'
  return undefined
}

function decode(body: Uint8Array, charset: string | undefined): string {
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(body)
  } catch {
    // Node builds without full ICU know only the UTF encodings; Latin-1 is the one other charset indexes use.
    if (charset !== undefined && /^(latin-?1|iso[-_]?8859-1|l1|us-ascii|ascii|(windows|cp)-?1252)$/i.test(charset)) return Buffer.from(body).toString('latin1')
    return new TextDecoder('utf-8').decode(body)
  }
}

/**
 * Parses a response by its Content-Type, as pip does: JSON for
 * `application/vnd.pypi.simple.v1+json`, HTML for the two HTML types, and an
 * ERR_INDEX_RESPONSE error for anything else.
 */
export function parseSimpleResponse(response: { readonly body: Uint8Array; readonly contentType: string | undefined; readonly url: string }): ProjectPage {
  const format = simpleFormatOf(response.contentType)
  if (format === undefined) {
    throw badResponse(response.url, `unexpected Content-Type '${response.contentType ?? ''}' (expected ${SIMPLE_JSON}, ${SIMPLE_HTML} or text/html)`)
  }
  const text = decode(response.body, parseContentType(response.contentType).charset)
  return format === 'json' ? parseSimpleJson(text, response.url) : parseSimpleHtml(text, response.url)
}
