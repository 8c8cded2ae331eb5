/**
 * URL handling as pip does it: links found on index pages are joined to their
 * base, then "cleaned" (every path segment unquoted and quoted again, so a
 * space becomes `%20` and nothing is double-quoted), hashes are read from
 * `#sha256=...` fragments, and a file's name is the unquoted last segment.
 */
import { fileURLToPath, pathToFileURL } from 'node:url'

/** Hash names pip accepts in links, strongest first. */
export const SUPPORTED_HASHES = ['sha512', 'sha384', 'sha256', 'sha224', 'sha1', 'md5'] as const
export type HashName = (typeof SUPPORTED_HASHES)[number]

const HASH_FRAGMENT = new RegExp(`[#&](${SUPPORTED_HASHES.join('|')})=([^&]*)`)

/** Characters Python's `urllib.parse.quote(s, safe='/')` leaves alone. */
const UNRESERVED = /[A-Za-z0-9_.\-~/]/
/** A text `quote` and `unquote` leave as it is (the usual index link: no `%`, `@` or other reserved character). */
const ALL_UNRESERVED = /^[A-Za-z0-9_.\-~/]*$/

/** Python's `unquote`: `%XX` sequences decoded as UTF-8, invalid bytes replaced, lone `%` kept. */
export function unquote(text: string): string {
  if (!text.includes('%')) return text
  const bytes: number[] = []
  const encoder = new TextEncoder()
  for (let i = 0; i < text.length; ) {
    const char = text[i]!
    if (char === '%' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16))
      i += 3
      continue
    }
    const codePoint = text.codePointAt(i)!
    const piece = String.fromCodePoint(codePoint)
    for (const byte of encoder.encode(piece)) bytes.push(byte)
    i += piece.length
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(new Uint8Array(bytes))
}

/** Python's `quote(text, safe='/')`: UTF-8 percent-encoding of everything but unreserved characters and `/`. */
export function quote(text: string): string {
  if (ALL_UNRESERVED.test(text)) return text
  let out = ''
  for (const char of text) {
    if (UNRESERVED.test(char)) {
      out += char
      continue
    }
    for (const byte of new TextEncoder().encode(char)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

/**
 * pip's `_clean_url_path`: split on `@` and `%2F` (kept as they are, so VCS
 * revisions and encoded slashes survive), and unquote-then-quote the rest.
 */
function cleanPath(path: string): string {
  if (ALL_UNRESERVED.test(path)) return path
  const parts = path.split(/(@|%2F)/i)
  return parts.map((part, index) => (index % 2 === 1 ? part.toUpperCase() : quote(unquote(part)))).join('')
}

/**
 * Makes a link fully quoted, as pip's `_clean_link`: `a b.whl` becomes
 * `a%20b.whl`, `a%20b.whl` stays, and `+` becomes `%2B`. Parameters of the
 * last path segment (`;x`) are kept unquoted, as `urlparse` separates them.
 */
export function cleanLink(url: string): string {
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*:)(\/\/[^/?#]*)?([^?#]*)(.*)$/.exec(url)
  if (match === null) return url
  const [, scheme, authority = '', rawPath = '', rest = ''] = match
  const lastSlash = rawPath.lastIndexOf('/')
  const semicolon = rawPath.indexOf(';', lastSlash + 1)
  const path = semicolon === -1 ? rawPath : rawPath.slice(0, semicolon)
  const params = semicolon === -1 ? '' : rawPath.slice(semicolon)
  return `${scheme}${authority}${cleanPath(path)}${params}${rest}`
}

/** Resolves an `href` against the page's base URL (WHATWG rules). Returns undefined for unparseable links. */
export function joinUrl(base: string, href: string): string | undefined {
  try {
    return new URL(href, base).href
  } catch {
    return undefined
  }
}

/** The hash a link carries in its fragment (`#sha256=abc`), as pip reads it (the first one found). */
export function hashFromFragment(url: string): { readonly name: HashName; readonly value: string } | undefined {
  const match = HASH_FRAGMENT.exec(url)
  if (match === null) return undefined
  return { name: match[1] as HashName, value: match[2]! }
}

/** Keeps only the hash algorithms pip supports; undefined when none is left. */
export function supportedHashes(hashes: Readonly<Record<string, unknown>> | undefined): Readonly<Record<string, string>> | undefined {
  if (hashes === undefined || hashes === null || typeof hashes !== 'object') return undefined
  const kept: Record<string, string> = {}
  for (const name of SUPPORTED_HASHES) {
    const value = hashes[name]
    if (typeof value === 'string') kept[name] = value.toLowerCase()
  }
  return Object.keys(kept).length === 0 ? undefined : Object.freeze(kept)
}

/** The URL without its fragment. */
export function withoutFragment(url: string): string {
  const hash = url.indexOf('#')
  return hash === -1 ? url : url.slice(0, hash)
}

/** The unquoted last path segment of a URL: the file name pip evaluates. */
export function filenameOf(url: string): string {
  const path = withoutFragment(url).replace(/\?.*$/, '').replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:(\/\/[^/]*)?/, '')
  const trimmed = path.endsWith('/') ? path.replace(/\/+$/, '') : path
  return unquote(trimmed.slice(trimmed.lastIndexOf('/') + 1))
}

/**
 * The project page of an index, as pip's `mkurl_pypi_url`: the index URL
 * joined with the quoted normalized name, always ending in `/`.
 */
export function projectUrl(indexUrl: string, normalizedName: string): string {
  const base = indexUrl.endsWith('/') ? indexUrl : `${indexUrl}/`
  return `${base}${quote(normalizedName)}/`
}

/** The origin key credentials and connection pools are kept under: `scheme://host:port` (default ports made explicit). */
export function originOf(url: string | URL): string {
  const parsed = typeof url === 'string' ? new URL(url) : url
  const port = parsed.port || (parsed.protocol === 'https:' ? '443' : parsed.protocol === 'http:' ? '80' : '')
  return `${parsed.protocol}//${parsed.hostname}${port ? `:${port}` : ''}`
}

/** A URL without its user information (the credentials are handled apart). */
export function stripCredentials(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.username === '' && parsed.password === '') return url
    parsed.username = ''
    parsed.password = ''
    return parsed.href
  } catch {
    return url
  }
}

export function isFileUrl(url: string): boolean {
  return /^file:/i.test(url)
}

export function isHttpUrl(url: string): boolean {
  return /^https?:\/\//i.test(url)
}

export function fileUrlToPath(url: string): string {
  return fileURLToPath(withoutFragment(url))
}

export function pathToUrl(path: string): string {
  return pathToFileURL(path).href
}
