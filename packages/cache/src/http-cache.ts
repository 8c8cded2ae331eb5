/**
 * The HTTP cache (RFC 9111), on disk, shared by processes.
 *
 * Freshness and revalidation are decided by `http-cache-semantics` (a private
 * cache: `shared: false`), never by hand: a response fresh for the request is
 * served from disk without a request; a stale one comes back with the
 * conditional headers (`If-None-Match`, `If-Modified-Since`) to send; a 304
 * updates the stored policy; anything else replaces the entry. Heuristic
 * freshness (10% of the age of `Last-Modified`, which RFC 9111 allows) is off
 * by default: a static index served without `Cache-Control` (nginx on a
 * directory) is revalidated every time instead of served stale for days.
 * `--refresh` / `--refresh-package NAME` make entries (all, or those of the
 * project the caller names) stale once per process: an entry stored or
 * revalidated after the cache was opened counts as checked.
 *
 * Layout: `http-v1/<k0k1>/<k2k3>/<key>.json` (the policy, the URL, the body's
 * sha256 and size) next to `<key>.<sha256[0:16]>.body`. The key is the sha256
 * of the method and the URL without credentials and fragment, so no password
 * or token ever reaches a file name; credential headers (`Authorization`,
 * `Cookie`) and `Set-Cookie` are dropped before the policy is serialised.
 *
 * Safety: a body streams into a temporary file of the shard directory while it
 * is hashed, then is renamed to a name carrying its hash; the metadata is then
 * written atomically (temporary + rename) and points at that body. A reader
 * reads the metadata, then the body it names, and checks the body's sha256 and
 * size: it never sees a half-written entry, and a damaged one is evicted and
 * reported as a miss. Bodies are immutable; replacing an entry (new body,
 * metadata, removal of the old body) runs under a per-key lock so that two
 * writers never delete each other's body; a reader that lost the race (its
 * body was just replaced) reads the metadata again.
 *
 * Bodies are returned as Buffers: this cache is for index pages and metadata
 * files. Wheels go to the content-addressed wheel store instead.
 */
import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { readdir, readFile, rename, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Readable, Transform } from 'node:stream'
import CachePolicy from 'http-cache-semantics'
import { ensureDir, tempPath, writeFileAtomic } from './fs-atomic.js'
import { withLock } from './lock.js'

export type HttpHeaders = Readonly<Record<string, string | readonly string[] | undefined>>

export interface HttpCacheRequest {
  readonly url: string
  /** GET (the default) is cached; anything else is passed through. */
  readonly method?: string
  readonly headers?: HttpHeaders
  /** The project this URL is about (any spelling), so that `--refresh-package NAME` can find it. */
  readonly project?: string
}

export interface HttpResponseHead {
  readonly status: number
  readonly headers: HttpHeaders
}

export interface CachedResponse {
  readonly url: string
  readonly status: number
  readonly headers: Readonly<Record<string, string | readonly string[]>>
  readonly body: Buffer
  /** True when the response is (now) in the cache. */
  readonly stored: boolean
}

export type HttpLookup =
  | { readonly kind: 'fresh'; readonly response: CachedResponse }
  | {
      readonly kind: 'stale'
      readonly response: CachedResponse
      /** Conditional headers to add to the request (may be empty when there is no validator). */
      readonly conditionalHeaders: Readonly<Record<string, string>>
      readonly revision: string
    }
  | { readonly kind: 'miss' }

export interface RefreshPolicy {
  /** `--refresh`: revalidate every entry once in this process. */
  readonly all?: boolean
  /** `--refresh-package NAME`: revalidate the entries of these projects. */
  readonly packages?: Iterable<string>
}

export interface HttpCacheOptions {
  /** The bucket directory (`<cache>/http-v1`); `null` for a disabled cache (every lookup misses, nothing is stored). */
  readonly dir: string | null
  readonly refresh?: RefreshPolicy
  /** The clock (ms since the epoch); tests pass their own. */
  readonly now?: () => number
  /** Heuristic freshness as a fraction of the age of Last-Modified (default 0: off). */
  readonly heuristicFraction?: number
}

export interface HttpCache {
  readonly enabled: boolean
  readonly dir: string | null
  lookup(request: HttpCacheRequest): Promise<HttpLookup>
  /** Whether a response to this request would be stored. */
  isStorable(request: HttpCacheRequest, head: HttpResponseHead): boolean
  /**
   * Consumes `body`, streaming it to disk when storable, and returns the
   * response (stored or not).
   */
  store(request: HttpCacheRequest, head: HttpResponseHead, body: AsyncIterable<Uint8Array>): Promise<CachedResponse>
  /**
   * After a 304 answering the conditional request of a `stale` lookup: updates
   * the stored policy and returns the stored response, or `undefined` when the
   * 304 does not match the stored entry (then request again unconditionally).
   */
  revalidated(request: HttpCacheRequest, stale: Extract<HttpLookup, { kind: 'stale' }>, head: HttpResponseHead): Promise<CachedResponse | undefined>
  /** Removes the entry of a URL; true when there was one. */
  evict(request: HttpCacheRequest | string): Promise<boolean>
  /** Checks the stored body of a URL against its recorded hash and size. */
  verify(request: HttpCacheRequest | string): Promise<'ok' | 'missing' | 'corrupt'>
}

interface StoredMeta {
  readonly v: 1
  readonly url: string
  readonly project: string | null
  readonly policy: CachePolicy.CachePolicyObject
  readonly body: { readonly sha256: string; readonly size: number; readonly file: string }
  /** When the entry was last stored or revalidated (ms). */
  readonly checkedAt: number
}

const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie'])
const RESPONSE_HEADERS_DROPPED = new Set(['set-cookie', 'set-cookie2'])

/** PEP 503 normalisation of a project name (`Foo.Bar_baz` -> `foo-bar-baz`). */
export function normalizeProjectName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase()
}

/** The URL a cache entry is filed under: no user name, password or fragment. */
export function cacheUrl(url: string): string {
  const parsed = new URL(url)
  parsed.username = ''
  parsed.password = ''
  parsed.hash = ''
  return parsed.href
}

/** The cache key of a request: sha256 of `METHOD URL` (credentials removed). */
export function httpCacheKey(request: HttpCacheRequest | string): string {
  const url = typeof request === 'string' ? request : request.url
  const method = typeof request === 'string' ? 'GET' : (request.method ?? 'GET').toUpperCase()
  return createHash('sha256').update(`${method} ${cacheUrl(url)}`).digest('hex')
}

function lowerHeaders(headers: HttpHeaders | undefined, drop: ReadonlySet<string>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  if (headers === undefined) return out
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase()
    if (value === undefined || drop.has(lower)) continue
    out[lower] = typeof value === 'string' ? value : [...value]
  }
  return out
}

function policyRequest(request: HttpCacheRequest): CachePolicy.HttpRequest {
  const url = cacheUrl(request.url)
  const headers = lowerHeaders(request.headers, CREDENTIAL_HEADERS)
  headers.host = new URL(url).host
  return { url, method: (request.method ?? 'GET').toUpperCase(), headers }
}

function isCacheableRequest(request: HttpCacheRequest): boolean {
  if ((request.method ?? 'GET').toUpperCase() !== 'GET') return false
  const headers = lowerHeaders(request.headers, new Set())
  return headers.range === undefined
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex')

export function createHttpCache(options: HttpCacheOptions): HttpCache {
  const now = options.now ?? Date.now
  const openedAt = now()
  const refreshAll = options.refresh?.all === true
  const refreshPackages = new Set([...(options.refresh?.packages ?? [])].map(normalizeProjectName))
  const policyOptions: CachePolicy.Options = { shared: false, cacheHeuristic: options.heuristicFraction ?? 0 }
  // http-cache-semantics reads the time through `now()` (documented as the hook for tests).
  class Policy extends CachePolicy {
    now(): number {
      return now()
    }
  }
  const dir = options.dir

  const paths = (key: string) => {
    const shard = join(dir as string, key.slice(0, 2), key.slice(2, 4))
    return { shard, meta: join(shard, `${key}.json`), lock: join(shard, `.${key}.lock`) }
  }

  const toResponse = (meta: StoredMeta, policy: CachePolicy, body: Buffer): CachedResponse =>
    Object.freeze({
      url: meta.url,
      status: meta.policy.st,
      headers: Object.freeze(policy.responseHeaders() as Record<string, string | string[]>),
      body,
      stored: true,
    })

  async function readMeta(key: string): Promise<StoredMeta | undefined | 'corrupt'> {
    let text: string
    try {
      text = await readFile(paths(key).meta, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw error
    }
    try {
      const meta = JSON.parse(text) as StoredMeta
      if (meta.v !== 1 || typeof meta.body?.sha256 !== 'string') return 'corrupt'
      return meta
    } catch {
      return 'corrupt'
    }
  }

  /** Reads an entry with its verified body: undefined when absent, 'corrupt' when damaged. */
  async function readEntry(key: string): Promise<{ meta: StoredMeta; body: Buffer } | undefined | 'corrupt'> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const meta = await readMeta(key)
      if (meta === undefined || meta === 'corrupt') return meta
      let body: Buffer
      try {
        body = await readFile(join(paths(key).shard, meta.body.file))
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
        const again = await readMeta(key)
        if (again !== undefined && again !== 'corrupt' && again.body.sha256 !== meta.body.sha256) continue // replaced meanwhile
        return 'corrupt'
      }
      if (body.byteLength !== meta.body.size || sha256(body) !== meta.body.sha256) return 'corrupt'
      return { meta, body }
    }
    return undefined
  }

  async function evictKey(key: string): Promise<boolean> {
    const { shard, meta } = paths(key)
    let removed = false
    try {
      await unlink(meta)
      removed = true
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
    for (const name of await readdir(shard).catch(() => [] as string[])) {
      if (name.startsWith(`${key}.`) && name.endsWith('.body')) {
        await unlink(join(shard, name)).catch(() => undefined)
        removed = true
      }
    }
    return removed
  }

  /** Evicts a damaged entry, unless a writer replaced it with a good one meanwhile. */
  async function evictCorrupt(key: string): Promise<void> {
    await withLock(paths(key).lock, async () => {
      if ((await readEntry(key)) === 'corrupt') await evictKey(key)
    })
  }

  function mustRefresh(meta: StoredMeta, request: HttpCacheRequest): boolean {
    if (meta.checkedAt >= openedAt) return false
    if (refreshAll) return true
    const project = request.project ?? meta.project
    return project !== undefined && project !== null && refreshPackages.has(normalizeProjectName(project))
  }

  function isStorable(request: HttpCacheRequest, head: HttpResponseHead): boolean {
    if (dir === null || !isCacheableRequest(request)) return false
    const policy = new Policy(policyRequest(request), { status: head.status, headers: lowerHeaders(head.headers, RESPONSE_HEADERS_DROPPED) }, policyOptions)
    if (!policy.storable()) return false
    const headers = lowerHeaders(head.headers, new Set())
    // A response that is never fresh and has no validator could never be used.
    return policy.timeToLive() > 0 || headers.etag !== undefined || headers['last-modified'] !== undefined
  }

  async function lookup(request: HttpCacheRequest): Promise<HttpLookup> {
    if (dir === null || !isCacheableRequest(request)) return { kind: 'miss' }
    const key = httpCacheKey(request)
    const entry = await readEntry(key)
    if (entry === undefined) return { kind: 'miss' }
    if (entry === 'corrupt') {
      await evictCorrupt(key)
      return { kind: 'miss' }
    }
    const policy = Policy.fromObject(entry.meta.policy)
    const req = policyRequest(request)
    const response = toResponse(entry.meta, policy, entry.body)
    const evaluation = policy.evaluateRequest(req)
    if (evaluation.revalidation === undefined && !mustRefresh(entry.meta, request)) return { kind: 'fresh', response }
    const revalidation = policy.revalidationHeaders(req)
    const conditionalHeaders: Record<string, string> = {}
    for (const name of ['if-none-match', 'if-modified-since']) {
      const value = revalidation[name]
      if (typeof value === 'string') conditionalHeaders[name] = value
    }
    return { kind: 'stale', response, conditionalHeaders: Object.freeze(conditionalHeaders), revision: entry.meta.body.sha256 }
  }

  async function store(request: HttpCacheRequest, head: HttpResponseHead, body: AsyncIterable<Uint8Array>): Promise<CachedResponse> {
    const url = cacheUrl(request.url)
    if (!isStorable(request, head)) {
      const chunks: Buffer[] = []
      for await (const chunk of body) chunks.push(Buffer.from(chunk))
      const headers = lowerHeaders(head.headers, RESPONSE_HEADERS_DROPPED)
      return Object.freeze({ url, status: head.status, headers: Object.freeze(headers), body: Buffer.concat(chunks), stored: false })
    }
    const key = httpCacheKey(request)
    const { shard, meta: metaPath, lock } = paths(key)
    await ensureDir(shard)
    const temp = tempPath(shard, 'body')
    const hash = createHash('sha256')
    const chunks: Buffer[] = []
    let size = 0
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk)
        chunks.push(chunk)
        size += chunk.byteLength
        callback(null, chunk)
      },
    })
    try {
      await pipeline(Readable.from(body, { objectMode: false }), tap, createWriteStream(temp, { flags: 'wx' }))
    } catch (error) {
      await unlink(temp).catch(() => undefined)
      throw error
    }
    const digest = hash.digest('hex')
    const file = `${key}.${digest.slice(0, 16)}.body`
    const policy = new Policy(policyRequest(request), { status: head.status, headers: lowerHeaders(head.headers, RESPONSE_HEADERS_DROPPED) }, policyOptions)
    const meta: StoredMeta = {
      v: 1,
      url,
      project: request.project === undefined ? null : normalizeProjectName(request.project),
      policy: policy.toObject(),
      body: { sha256: digest, size, file },
      checkedAt: now(),
    }
    await withLock(lock, async () => {
      await rename(temp, join(shard, file))
      await writeFileAtomic(metaPath, JSON.stringify(meta))
      for (const name of await readdir(shard)) {
        if (name !== file && name.startsWith(`${key}.`) && name.endsWith('.body')) await unlink(join(shard, name)).catch(() => undefined)
      }
    }).catch(async (error: unknown) => {
      await unlink(temp).catch(() => undefined)
      throw error
    })
    return toResponse(meta, policy, Buffer.concat(chunks))
  }

  async function revalidated(
    request: HttpCacheRequest,
    stale: Extract<HttpLookup, { kind: 'stale' }>,
    head: HttpResponseHead,
  ): Promise<CachedResponse | undefined> {
    if (dir === null) return undefined
    const key = httpCacheKey(request)
    const { meta: metaPath, lock } = paths(key)
    return withLock(lock, async () => {
      const current = await readMeta(key)
      if (current === undefined || current === 'corrupt' || current.body.sha256 !== stale.revision) return undefined
      const old = Policy.fromObject(current.policy)
      const result = old.revalidatedPolicy(policyRequest(request), {
        status: head.status,
        headers: lowerHeaders(head.headers, RESPONSE_HEADERS_DROPPED),
      })
      if (result.modified || !result.matches) return undefined
      const meta: StoredMeta = { ...current, policy: result.policy.toObject(), checkedAt: now() }
      await writeFileAtomic(metaPath, JSON.stringify(meta))
      return toResponse(meta, result.policy, stale.response.body)
    })
  }

  async function evict(request: HttpCacheRequest | string): Promise<boolean> {
    if (dir === null) return false
    return evictKey(httpCacheKey(request))
  }

  async function verify(request: HttpCacheRequest | string): Promise<'ok' | 'missing' | 'corrupt'> {
    if (dir === null) return 'missing'
    const entry = await readEntry(httpCacheKey(request))
    if (entry === undefined) return 'missing'
    return entry === 'corrupt' ? 'corrupt' : 'ok'
  }

  return Object.freeze({ enabled: dir !== null, dir, lookup, isStorable, store, revalidated, evict, verify })
}

/** What `cachedRequest` gives the network: the request to send. */
export interface OutgoingRequest {
  readonly url: string
  readonly method: string
  readonly headers: Readonly<Record<string, string | readonly string[]>>
}

/** What the network gives back; an undici `request()` result maps onto it directly. */
export interface IncomingResponse extends HttpResponseHead {
  readonly body: AsyncIterable<Uint8Array>
}

export interface CachedRequestResult extends CachedResponse {
  /** `cache`: no request was made; `revalidated`: a 304 confirmed the stored body; `network`: a full response. */
  readonly from: 'cache' | 'revalidated' | 'network'
}

/**
 * One GET through the cache: serves a fresh entry without any request,
 * revalidates a stale one with its conditional headers, stores a new
 * response. `send` does the HTTP (with the caller's credentials, proxies and
 * retries); the cache never sees more than it needs.
 */
export async function cachedRequest(
  cache: HttpCache,
  request: HttpCacheRequest,
  send: (request: OutgoingRequest) => Promise<IncomingResponse>,
): Promise<CachedRequestResult> {
  const found = await cache.lookup(request)
  if (found.kind === 'fresh') return { ...found.response, from: 'cache' }
  const base: Record<string, string | readonly string[]> = {}
  for (const [name, value] of Object.entries(request.headers ?? {})) if (value !== undefined) base[name] = value
  const method = request.method ?? 'GET'
  let response = await send({ url: request.url, method, headers: { ...base, ...(found.kind === 'stale' ? found.conditionalHeaders : {}) } })
  if (response.status === 304 && found.kind === 'stale') {
    for await (const chunk of response.body) void chunk
    const updated = await cache.revalidated(request, found, response)
    if (updated !== undefined) return { ...updated, from: 'revalidated' }
    response = await send({ url: request.url, method, headers: base })
  }
  const stored = await cache.store(request, response, response.body)
  return { ...stored, from: 'network' }
}
