/**
 * The URL check packaging 23.0 applies to `name @ url` requirements, which
 * relies on Python's `urllib.parse.urlparse` (3.11): a `file:` URL must come
 * back unchanged from `urlunparse(urlparse(url))`, any other URL needs both a
 * scheme and a network location. urlparse's own ValueErrors (unbalanced IPv6
 * brackets, a bad bracketed host, a netloc that NFKC-normalizes into URL
 * delimiters) make the requirement invalid too. This is a port of just the
 * parts of urlsplit/urlunsplit that decide that answer.
 */
import { isIPv4, isIPv6 } from 'node:net'

const SCHEME_CHARS = /^[A-Za-z0-9+.-]+$/
const USES_NETLOC = new Set(['', 'ftp', 'http', 'gopher', 'nntp', 'telnet', 'imap', 'wais', 'file', 'mms', 'https', 'shttp', 'snews', 'prospero', 'rtsp', 'rtspu', 'rsync', 'svn', 'svn+ssh', 'sftp', 'nfs', 'git', 'git+ssh', 'ws', 'wss'])
const USES_PARAMS = new Set(['', 'ftp', 'hdl', 'prospero', 'http', 'imap', 'https', 'shttp', 'rtsp', 'rtspu', 'sip', 'sips', 'mms', 'sftp', 'tel'])

export interface SplitUrl {
  readonly scheme: string
  readonly netloc: string
  readonly path: string
  readonly params: string
  readonly query: string
  readonly fragment: string
}

/** Python's `urllib.parse.urlparse(url)`; returns a string (the ValueError message) where Python raises. */
export function pythonUrlParse(input: string): SplitUrl | string {
  let url = input.replace(/^[\x00-\x20]+/, '').replace(/[\t\r\n]/g, '')
  let scheme = ''
  let netloc = ''
  let query = ''
  let fragment = ''
  const colon = url.indexOf(':')
  if (colon > 0 && /^[A-Za-z]/.test(url) && SCHEME_CHARS.test(url.slice(0, colon))) {
    scheme = url.slice(0, colon).toLowerCase()
    url = url.slice(colon + 1)
  }
  if (url.startsWith('//')) {
    let delim = url.length
    for (const c of '/?#') {
      const at = url.indexOf(c, 2)
      if (at >= 0) delim = Math.min(delim, at)
    }
    netloc = url.slice(2, delim)
    url = url.slice(delim)
    const open = netloc.includes('[')
    const close = netloc.includes(']')
    if (open !== close) return 'Invalid IPv6 URL'
    if (open && close) {
      const problem = checkBracketedNetloc(netloc)
      if (problem !== undefined) return problem
    }
  }
  const hash = url.indexOf('#')
  if (hash >= 0) {
    fragment = url.slice(hash + 1)
    url = url.slice(0, hash)
  }
  const question = url.indexOf('?')
  if (question >= 0) {
    query = url.slice(question + 1)
    url = url.slice(0, question)
  }
  const netlocProblem = checkNetloc(netloc)
  if (netlocProblem !== undefined) return netlocProblem
  let params = ''
  if (USES_PARAMS.has(scheme) && url.includes(';')) {
    let at: number
    if (url.includes('/')) at = url.indexOf(';', url.lastIndexOf('/'))
    else at = url.indexOf(';')
    if (at >= 0) {
      params = url.slice(at + 1)
      url = url.slice(0, at)
    }
  }
  return { scheme, netloc, path: url, params, query, fragment }
}

/** Python's `urllib.parse.urlunparse`. */
export function pythonUrlUnparse(parts: SplitUrl): string {
  let url = parts.params ? `${parts.path};${parts.params}` : parts.path
  if (parts.netloc || (parts.scheme && USES_NETLOC.has(parts.scheme) && !url.startsWith('//'))) {
    if (url && !url.startsWith('/')) url = `/${url}`
    url = `//${parts.netloc}${url}`
  }
  if (parts.scheme) url = `${parts.scheme}:${url}`
  if (parts.query) url = `${url}?${parts.query}`
  if (parts.fragment) url = `${url}#${parts.fragment}`
  return url
}

function checkBracketedNetloc(netloc: string): string | undefined {
  const hostAndPort = netloc.slice(netloc.lastIndexOf('@') + 1)
  const open = hostAndPort.indexOf('[')
  let hostname: string
  if (open >= 0) {
    if (open > 0) return 'Invalid IPv6 URL'
    const bracketed = hostAndPort.slice(open + 1)
    const close = bracketed.indexOf(']')
    hostname = close >= 0 ? bracketed.slice(0, close) : bracketed
    const port = close >= 0 ? bracketed.slice(close + 1) : ''
    if (port && !port.startsWith(':')) return 'Invalid IPv6 URL'
  } else {
    const colon = hostAndPort.indexOf(':')
    hostname = colon >= 0 ? hostAndPort.slice(0, colon) : hostAndPort
  }
  if (hostname.startsWith('v')) {
    return /^v[a-fA-F0-9]+\..+$/s.test(hostname) && !/\n/.test(hostname) ? undefined : 'IPvFuture address is invalid'
  }
  if (isIPv6(hostname)) return undefined
  if (isIPv4(hostname)) return 'An IPv4 address cannot be in brackets'
  return `'${hostname}' does not appear to be an IPv4 or IPv6 address`
}

function checkNetloc(netloc: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (!netloc || /^[\x00-\x7f]*$/.test(netloc)) return undefined
  const n = netloc.replace(/[@:#?]/g, '')
  const normalized = n.normalize('NFKC')
  if (n === normalized) return undefined
  for (const c of '/?#@:') {
    if (normalized.includes(c)) return `netloc '${netloc}' contains invalid characters under NFKC normalization`
  }
  return undefined
}

/** packaging 23.0's check of a requirement URL; returns the reason it is invalid, or undefined. */
export function checkRequirementUrl(url: string): string | undefined {
  const parsed = pythonUrlParse(url)
  if (typeof parsed === 'string') return parsed
  if (parsed.scheme === 'file') {
    return pythonUrlUnparse(parsed) === url ? undefined : 'Invalid URL given'
  }
  if (!parsed.scheme || !parsed.netloc) return `Invalid URL: ${url}`
  return undefined
}
