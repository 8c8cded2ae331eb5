/**
 * The HTTP client every index request goes through.
 *
 * It is a factory over its dependencies: a transport (transport.ts: Node's
 * http/https with one keep-alive pool per origin by default, undici's proxy
 * agent when a proxy is set, or the undici `Dispatcher` a caller injects;
 * built lazily from the network options, on the first request), an optional
 * HTTP cache, a clock, and a credential store. On top of a single request it adds, in this order:
 *
 * - a concurrency limit (50 requests in flight by default), held for the
 *   whole life of a streamed body;
 * - credentials: `user:password@` is never sent in a request line; the
 *   credential store decides per origin which `Authorization` header a request
 *   carries;
 * - redirects, followed here rather than by undici so that the credentials of
 *   one origin are dropped when a redirect leads to another;
 * - retries with exponential backoff (urllib3's as pip configures it: no wait,
 *   then 0.5 s, 1 s, 2 s, 4 s, or the server's `Retry-After`) on connection
 *   errors, timeouts and 500, 502, 503, 504, 520 and 527;
 * - the HTTP cache, asked before a request (a fresh entry answers without any
 *   request; a stale one adds its validators) and told about every response;
 *   new responses are written behind the caller (the body is in hand), and
 *   `flush()` / `close()` wait for those writes.
 *
 * Errors come out as `IndexError`s with redacted URLs: unreachable after all
 * retries, 401/403, or an unexpected status.
 */
import type { CachedResponse, HttpCache, HttpCacheRequest, HttpLookup, HttpResponseHead } from '@pipette/cache'
import type { Dispatcher } from 'undici'
import { Readable } from 'node:stream'
import type { CredentialStore } from './credentials.js'
import { basicAuthorization } from './credentials.js'
import { authFailed, httpStatus, networkFailure, tooManyRedirects, unreachable } from './errors.js'
import type { NetworkOptions } from './network.js'
import type { Transport } from './transport.js'
import { createTransport, undiciTransport } from './transport.js'
import { createSemaphore } from './semaphore.js'
import type { Semaphore } from './semaphore.js'
import { originOf, stripCredentials } from './urls.js'

export type HeaderMap = Readonly<Record<string, string>>

/** A response whose body was read whole. */
export interface HttpResponse {
  /** The URL that answered, after redirects, without credentials. */
  readonly url: string
  readonly status: number
  readonly headers: HeaderMap
  readonly body: Uint8Array
  /** True when the cache answered without any request reaching the server. */
  readonly fromCache: boolean
}

/** A response whose body is still to be read. */
export interface HttpStream {
  readonly url: string
  readonly status: number
  readonly headers: HeaderMap
  readonly body: Readable
}

/**
 * What the client needs from an HTTP cache (RFC 9111): three methods of
 * `@pipette/cache`'s `HttpCache`. `lookup` answers fresh (use it, no
 * request), stale (revalidate with the given conditional headers) or miss;
 * `store` records a network response; `revalidated` applies a 304.
 */
export type HttpCacheLike = Pick<HttpCache, 'lookup' | 'store' | 'revalidated'>
export type { HttpCacheRequest as CacheRequest, HttpLookup as CacheLookup, CachedResponse as CachedBody, HttpResponseHead as CacheHead }

export interface Clock {
  readonly now: () => number
  readonly sleep: (ms: number) => Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}

export type HttpEvent =
  | { readonly type: 'request'; readonly method: string; readonly url: string; readonly status: number; readonly fromCache: boolean }
  | { readonly type: 'retry'; readonly url: string; readonly attempt: number; readonly reason: string; readonly delayMs: number }
  | { readonly type: 'redirect'; readonly from: string; readonly to: string; readonly credentialsDropped: boolean }
  | { readonly type: 'cache-error'; readonly url: string; readonly reason: string }

export interface HttpClientOptions {
  /** The undici dispatcher to use (tests pass their own); default: built from `network`. */
  readonly dispatcher?: Dispatcher | undefined
  /** Proxy, CA bundle, client certificate, trusted hosts: used to build the default dispatcher. */
  readonly network?: NetworkOptions | undefined
  readonly credentials?: CredentialStore | undefined
  readonly cache?: HttpCacheLike | undefined
  readonly clock?: Clock | undefined
  /** Retries after the first attempt (pip's `--retries`, default 5). */
  readonly retries?: number | undefined
  /** Seconds to wait for a connection, the headers, or the next body chunk (pip's `--timeout`, default 15). */
  readonly timeout?: number | undefined
  /** Requests in flight at once (default 50). */
  readonly concurrency?: number | undefined
  readonly maxRedirects?: number | undefined
  readonly userAgent?: string | undefined
  /** Called for each request, retry and redirect (for `-v` output). URLs are credential-free. */
  readonly onEvent?: ((event: HttpEvent) => void) | undefined
}

export interface RequestOptions {
  readonly headers?: HeaderMap | undefined
  /** `'default'`: use the cache as RFC 9111 says; `'no-store'`: bypass it. */
  readonly cache?: 'default' | 'no-store' | undefined
  /** The project the URL belongs to (for `--refresh-package`). */
  readonly project?: string | undefined
  /** Statuses returned to the caller instead of thrown (e.g. 404 for a missing project). */
  readonly acceptStatus?: readonly number[] | undefined
  readonly method?: 'GET' | 'HEAD' | undefined
}

export interface HttpClient {
  /** GET (or HEAD) a URL and read the whole body. */
  readonly get: (url: string, options?: RequestOptions) => Promise<HttpResponse>
  /** GET a URL and hand back the body as a stream (downloads); the cache is not used. */
  readonly open: (url: string, options?: RequestOptions) => Promise<HttpStream>
  /** Waits for the cache writes still in progress (responses are stored behind the caller's back). */
  readonly flush: () => Promise<void>
  /** Flushes, then closes the connection pools. */
  readonly close: () => Promise<void>
}

const RETRY_STATUSES = new Set([500, 502, 503, 504, 520, 527])
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])
const RETRYABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
])

/** Connection-level failures worth another attempt. */
export function isRetryableError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && RETRYABLE_CODES.has(code)) return true
  }
  return false
}

/** urllib3's backoff with pip's factor 0.25: 0, 0.5, 1, 2, 4 ... seconds, capped at 120. */
export function backoffMs(retryNumber: number): number {
  if (retryNumber <= 1) return 0
  return Math.min(120_000, 250 * 2 ** (retryNumber - 1))
}

function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

function flattenHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): HeaderMap {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined) continue
    out[key.toLowerCase()] = Array.isArray(value) ? value.join(key.toLowerCase() === 'set-cookie' ? '\n' : ', ') : value
  }
  return Object.freeze(out)
}

interface Hop {
  readonly url: string
  readonly status: number
  readonly statusText: string
  readonly headers: HeaderMap
  /** The body, still to be read (streamed requests). */
  readonly stream: Readable | undefined
  /** The body, read whole (buffered requests and cache answers). */
  readonly bytes: Uint8Array | undefined
  readonly fromCache: boolean
  /** Whether the request that produced this hop carried an Authorization header. */
  readonly authorized: boolean
  readonly release: () => void
}

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const clock = options.clock ?? systemClock
  const retries = options.retries ?? 5
  const timeoutMs = Math.max(1, (options.timeout ?? 15) * 1000)
  const maxRedirects = options.maxRedirects ?? 30
  const semaphore: Semaphore = createSemaphore(options.concurrency ?? 50)
  const emit = options.onEvent ?? (() => {})
  const pendingWrites = new Set<Promise<void>>()
  let transport: Promise<Transport> | undefined

  function getTransport(): Promise<Transport> {
    if (transport === undefined) {
      const injected = options.dispatcher
      transport =
        injected !== undefined
          ? Promise.resolve(undiciTransport(() => injected, async () => {}))
          : createTransport({ ...options.network, timeout: options.timeout })
      // A failure (an unreadable CA bundle) is reported to this caller and retried by the next.
      transport.catch(() => (transport = undefined))
    }
    return transport
  }

  /**
   * One request, no redirect, no retry. A streamed hop holds its concurrency
   * permit until its body ends or `release` is called; a buffered one reads
   * the body before returning (so a body cut short is retried like a refused
   * connection).
   */
  async function once(url: URL, method: 'GET' | 'HEAD', headers: Record<string, string>, buffered: boolean): Promise<Hop> {
    const { request } = await getTransport()
    const release = await semaphore.acquire()
    let released = false
    const releaseOnce = () => {
      if (!released) {
        released = true
        release()
      }
    }
    try {
      const response = await request(url, { method, headers, timeoutMs })
      const base = {
        url: url.href,
        status: response.statusCode,
        statusText: response.statusText,
        headers: flattenHeaders(response.headers),
        fromCache: false,
        authorized: headers['authorization'] !== undefined,
      }
      if (buffered || method === 'HEAD') {
        const bytes = await readAll(response.body)
        releaseOnce()
        return { ...base, stream: undefined, bytes, release: () => {} }
      }
      response.body.once('close', releaseOnce)
      response.body.once('end', releaseOnce)
      response.body.once('error', releaseOnce)
      return {
        ...base,
        stream: response.body,
        bytes: undefined,
        release: () => {
          if (!response.body.destroyed) response.body.destroy()
          releaseOnce()
        },
      }
    } catch (error) {
      releaseOnce()
      throw error
    }
  }

  /** One URL with retries (no redirects): returns the hop whose status is final for this URL. */
  async function withRetries(url: URL, method: 'GET' | 'HEAD', headers: Record<string, string>, buffered: boolean): Promise<Hop> {
    for (let attempt = 0; ; attempt++) {
      let reason: string
      let delay: number | undefined
      try {
        const hop = await once(url, method, headers, buffered)
        if (!RETRY_STATUSES.has(hop.status) || attempt >= retries) return hop
        reason = `HTTP ${hop.status}`
        delay = retryAfterMs(hop.headers['retry-after'], clock.now())
        hop.release()
      } catch (error) {
        if (!isRetryableError(error)) throw networkFailure(url.href, error)
        if (attempt >= retries) throw unreachable(url.href, error, attempt + 1)
        reason = (error as { code?: string }).code ?? 'connection error'
      }
      const wait = Math.min(60_000, delay ?? backoffMs(attempt + 1))
      emit({ type: 'retry', url: url.href, attempt: attempt + 1, reason, delayMs: wait })
      if (wait > 0) await clock.sleep(wait)
    }
  }

  function headersFor(url: URL, extra: HeaderMap, inline: { origin: string; value: string } | undefined): Record<string, string> {
    const headers: Record<string, string> = { 'user-agent': options.userAgent ?? 'pipette', 'accept-encoding': 'identity' }
    for (const [key, value] of Object.entries(extra)) headers[key.toLowerCase()] = value
    if (headers['authorization'] === undefined) {
      if (inline !== undefined && inline.origin === originOf(url)) headers['authorization'] = inline.value
      else {
        const credentials = options.credentials?.forUrl(url.href)
        if (credentials !== undefined) headers['authorization'] = basicAuthorization(credentials)
      }
    }
    return headers
  }

  /**
   * Follows redirects by hand. The caller's own `user:password@` is used on
   * its origin only; every other hop asks the credential store, which only
   * answers for the hop's own origin.
   */
  async function follow(startUrl: string, requestOptions: RequestOptions, buffered: boolean): Promise<Hop> {
    const method = requestOptions.method ?? 'GET'
    const extra = requestOptions.headers ?? {}
    let current = new URL(startUrl)
    const userinfo = current.username !== '' || current.password !== ''
    const inline = userinfo
      ? { origin: originOf(current), value: basicAuthorization({ username: safeDecode(current.username), password: safeDecode(current.password) }) }
      : undefined
    const cache = buffered && method === 'GET' && requestOptions.cache !== 'no-store' ? options.cache : undefined
    for (let redirects = 0; ; redirects++) {
      current.username = ''
      current.password = ''
      const url = current
      const headers = headersFor(url, extra, inline)
      const cacheRequest: HttpCacheRequest = { url: url.href, method: 'GET', headers: Object.freeze({ ...headers }), ...(requestOptions.project === undefined ? {} : { project: requestOptions.project }) }
      const lookup: HttpLookup = cache === undefined ? { kind: 'miss' } : await cache.lookup(cacheRequest)
      let hop: Hop
      if (lookup.kind === 'fresh') {
        hop = fromCached(lookup.response, url.href, true)
      } else {
        hop = await withRetries(url, method, lookup.kind === 'stale' ? { ...headers, ...lookup.conditionalHeaders } : headers, buffered)
        if (cache !== undefined) {
          const head: HttpResponseHead = { status: hop.status, headers: hop.headers }
          let settled = false
          if (hop.status === 304 && lookup.kind === 'stale') {
            const updated = await cache.revalidated(cacheRequest, lookup, head)
            if (updated !== undefined) {
              hop = { ...fromCached(updated, url.href, false), authorized: hop.authorized }
              settled = true
            } else hop = await withRetries(url, method, headers, buffered)
          }
          if (!settled && hop.status !== 304) {
            // Written behind: the caller has the body already; close() waits for the writes.
            const write = cache
              .store(cacheRequest, { status: hop.status, headers: hop.headers }, iterate([hop.bytes ?? new Uint8Array()]))
              .then(
                () => undefined,
                (error: unknown) => emit({ type: 'cache-error', url: url.href, reason: error instanceof Error ? error.message : String(error) }),
              )
            pendingWrites.add(write)
            void write.finally(() => pendingWrites.delete(write))
          }
        }
      }
      emit({ type: 'request', method, url: url.href, status: hop.status, fromCache: hop.fromCache })
      const location = hop.headers['location']
      if (!REDIRECT_STATUSES.has(hop.status) || location === undefined) return hop
      hop.release()
      if (redirects >= maxRedirects) throw tooManyRedirects(startUrl, maxRedirects)
      const next = new URL(location, url)
      emit({ type: 'redirect', from: url.href, to: stripCredentials(next.href), credentialsDropped: hop.authorized && originOf(next) !== originOf(url) })
      current = next
    }
  }

  function check(hop: Hop, requestOptions: RequestOptions): void {
    if (hop.status < 300 || hop.status === 304 || requestOptions.acceptStatus?.includes(hop.status)) return
    hop.release()
    if (hop.status === 401 || hop.status === 403) throw authFailed(hop.url, hop.status, hop.authorized)
    throw httpStatus(hop.url, hop.status, hop.statusText)
  }

  return {
    async get(url, requestOptions = {}) {
      const hop = await follow(url, requestOptions, true)
      check(hop, requestOptions)
      return Object.freeze({ url: hop.url, status: hop.status, headers: hop.headers, body: hop.bytes ?? new Uint8Array(), fromCache: hop.fromCache })
    },
    async open(url, requestOptions = {}) {
      const hop = await follow(url, requestOptions, false)
      check(hop, requestOptions)
      return { url: hop.url, status: hop.status, headers: hop.headers, body: hop.stream ?? Readable.from([]) }
    },
    async flush() {
      while (pendingWrites.size > 0) await Promise.all([...pendingWrites])
    },
    async close() {
      while (pendingWrites.size > 0) await Promise.all([...pendingWrites])
      if (transport !== undefined) await (await transport.catch(() => undefined))?.close()
    },
  }
}

async function* iterate<T>(items: readonly T[]): AsyncIterable<T> {
  yield* items
}

function fromCached(response: CachedResponse, url: string, fromCache: boolean): Hop {
  return {
    url,
    status: response.status,
    statusText: '',
    headers: flattenHeaders(response.headers as Record<string, string | string[] | undefined>),
    stream: undefined,
    bytes: response.body,
    fromCache,
    authorized: false,
    release: () => {},
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

async function readAll(body: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = []
  for await (const chunk of body) chunks.push(chunk as Buffer)
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
}
