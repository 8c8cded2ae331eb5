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
 * Layout: one file per entry, `http-cache-v2/<k0>/<key>`: a header line
 * (JSON: format version, URL, project, policy, the body's sha256 and size,
 * when it was checked) followed by the body's bytes. The key is the sha256 of
 * the method and the URL without credentials and fragment, so no password or
 * token ever reaches a file name; credential headers (`Authorization`,
 * `Cookie`) and `Set-Cookie` are dropped before the policy is serialised.
 *
 * Safety without locks: an entry is written whole under a temporary name
 * (`.tmp-<pid>.<host>-...`) in its shard directory, then renamed over
 * `<key>`. `rename(2)` is atomic, so a reader opens either the previous
 * complete entry or the new complete one, never a mix, and a process killed
 * mid-write leaves only a temporary (swept by `cache purge`). Two processes
 * storing the same URL each rename their own complete entry: the last one
 * wins, and either is a valid answer, so no lock is needed (a lock would only
 * serialise two writes that are already safe). A 304 rewrites the whole entry
 * (the body is in hand) the same way. Every read checks the body's size and
 * sha256 against the header: a torn or edited file is evicted and reported as
 * a miss, and the caller fetches again. There is no `fsync`: a cache may lose
 * entries on power loss, and a half-flushed one fails its hash.
 *
 * Cost: a hit is one file read (open, fstat, read, close), done synchronously:
 * these are small files in the page cache (~10 µs), where an asynchronous read
 * costs four thread-pool round trips. A store is one write and one rename
 * (asynchronous: creating a file allocates an inode, the dearest file
 * operation, ~20 µs here but up to ~0.8 ms while the file system reclaims
 * inodes freed by large deletions; on the thread pool it overlaps the network);
 * one of 16 shard directories is created only when the first write into it
 * fails with ENOENT. Before this format (`http-v1`), an entry was a metadata
 * file, a body file and a lock file in one of 65536 shard directories: ~15
 * file operations and up to five new inodes per store.
 *
 * Bodies are returned as Buffers: this cache is for index pages and metadata
 * files. Wheels go to the content-addressed wheel store instead.
 */
import { hash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdir, open, rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import CachePolicy from 'http-cache-semantics'
import { tempPath, writeAll } from './fs-atomic.js'

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
  /** The bucket directory (`<cache>/http-cache-v2`); `null` for a disabled cache (every lookup misses, nothing is stored). */
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
  readonly v: 2
  readonly url: string
  readonly project: string | null
  readonly policy: CachePolicy.CachePolicyObject
  readonly body: { readonly sha256: string; readonly size: number }
  /** When the entry was last stored or revalidated (ms). */
  readonly checkedAt: number
}

const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie'])
const RESPONSE_HEADERS_DROPPED = new Set(['set-cookie', 'set-cookie2'])
const NOTHING_DROPPED = new Set<string>()
const NEWLINE = 0x0a

/** PEP 503 normalisation of a project name (`Foo.Bar_baz` -> `foo-bar-baz`). */
export function normalizeProjectName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase()
}

/** The URL a cache entry is filed under: no user name, password or fragment. */
export function cacheUrl(url: string): string {
  const parsed = new URL(url)
  // URL setters re-serialise the whole URL: only used when there is something to remove.
  if (parsed.username === '' && parsed.password === '' && !parsed.href.includes('#')) return parsed.href
  parsed.username = ''
  parsed.password = ''
  parsed.hash = ''
  return parsed.href
}

/** The cache key of a request: sha256 of `METHOD URL` (credentials removed). */
export function httpCacheKey(request: HttpCacheRequest | string): string {
  const url = typeof request === 'string' ? request : request.url
  const method = typeof request === 'string' ? 'GET' : (request.method ?? 'GET').toUpperCase()
  return hash('sha256', `${method} ${cacheUrl(url)}`, 'hex')
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
  const headers = lowerHeaders(request.headers, NOTHING_DROPPED)
  return headers.range === undefined
}

// One-shot `hash` (Node 20.12+): no Hash object per call, a few times faster on small inputs.
const sha256 = (data: Uint8Array) => hash('sha256', data, 'hex')

/** Parses an entry file: the header line and the body it announces; 'corrupt' when they do not agree. */
function parseEntry(file: Buffer): { meta: StoredMeta; body: Buffer } | 'corrupt' {
  const newline = file.indexOf(NEWLINE)
  if (newline === -1) return 'corrupt'
  let meta: StoredMeta
  try {
    meta = JSON.parse(file.toString('utf8', 0, newline)) as StoredMeta
  } catch {
    return 'corrupt'
  }
  if (meta?.v !== 2 || typeof meta.body?.sha256 !== 'string' || typeof meta.policy !== 'object' || meta.policy === null) return 'corrupt'
  const body = file.subarray(newline + 1)
  if (body.byteLength !== meta.body.size || sha256(body) !== meta.body.sha256) return 'corrupt'
  return { meta, body }
}

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
    // 16 shard directories: creating a directory costs as much as a file (an inode), and a cold
    // cache pays for every one; directories of thousands of entries are cheap on every current file system.
    const shard = join(dir as string, key.slice(0, 1))
    return { shard, entry: join(shard, key) }
  }

  const toResponse = (meta: StoredMeta, policy: CachePolicy, body: Buffer): CachedResponse =>
    Object.freeze({
      url: meta.url,
      status: meta.policy.st,
      headers: Object.freeze(policy.responseHeaders() as Record<string, string | string[]>),
      body,
      stored: true,
    })

  /** Reads an entry with its verified body: undefined when absent, 'corrupt' when damaged. */
  function readEntry(key: string): { meta: StoredMeta; body: Buffer } | undefined | 'corrupt' {
    let file: Buffer
    try {
      file = readFileSync(paths(key).entry)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
      throw error
    }
    return parseEntry(file)
  }

  /** Writes an entry whole under a temporary name, then renames it over the entry (atomic; the last writer wins). */
  async function writeEntry(key: string, meta: StoredMeta, body: Uint8Array): Promise<void> {
    const { shard, entry } = paths(key)
    const head = Buffer.from(`${JSON.stringify(meta)}\n`, 'utf8')
    const temp = tempPath(shard)
    let handle
    try {
      handle = await open(temp, 'wx')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      await mkdir(shard, { recursive: true })
      handle = await open(temp, 'wx')
    }
    try {
      try {
        await writeAll(handle, [head, body])
      } finally {
        await handle.close()
      }
      await rename(temp, entry)
    } catch (error) {
      await unlink(temp).catch(() => undefined)
      throw error
    }
  }

  async function evictKey(key: string): Promise<boolean> {
    try {
      await unlink(paths(key).entry)
      return true
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT' || code === 'ENOTDIR') return false
      throw error
    }
  }

  /**
   * Evicts a damaged entry, unless a writer replaced it with a good one
   * meanwhile (read again first). Losing that race only costs a refetch.
   */
  async function evictCorrupt(key: string): Promise<void> {
    if (readEntry(key) === 'corrupt') await evictKey(key)
  }

  function mustRefresh(meta: StoredMeta, request: HttpCacheRequest): boolean {
    if (meta.checkedAt >= openedAt) return false
    if (refreshAll) return true
    const project = request.project ?? meta.project
    return project !== undefined && project !== null && refreshPackages.has(normalizeProjectName(project))
  }

  /** The policy of a response when it is worth storing, else undefined. */
  function storablePolicy(request: HttpCacheRequest, head: HttpResponseHead): CachePolicy | undefined {
    if (dir === null || !isCacheableRequest(request)) return undefined
    const policy = new Policy(policyRequest(request), { status: head.status, headers: lowerHeaders(head.headers, RESPONSE_HEADERS_DROPPED) }, policyOptions)
    if (!policy.storable()) return undefined
    const headers = lowerHeaders(head.headers, NOTHING_DROPPED)
    // A response that is never fresh and has no validator could never be used.
    return policy.timeToLive() > 0 || headers.etag !== undefined || headers['last-modified'] !== undefined ? policy : undefined
  }

  function isStorable(request: HttpCacheRequest, head: HttpResponseHead): boolean {
    return storablePolicy(request, head) !== undefined
  }

  async function lookup(request: HttpCacheRequest): Promise<HttpLookup> {
    if (dir === null || !isCacheableRequest(request)) return { kind: 'miss' }
    const key = httpCacheKey(request)
    const entry = readEntry(key)
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
    const chunks: Buffer[] = []
    for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))
    const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)
    const policy = storablePolicy(request, head)
    if (policy === undefined) {
      const headers = lowerHeaders(head.headers, RESPONSE_HEADERS_DROPPED)
      return Object.freeze({ url, status: head.status, headers: Object.freeze(headers), body: bytes, stored: false })
    }
    const meta: StoredMeta = {
      v: 2,
      url,
      project: request.project === undefined ? null : normalizeProjectName(request.project),
      policy: policy.toObject(),
      body: { sha256: sha256(bytes), size: bytes.byteLength },
      checkedAt: now(),
    }
    await writeEntry(httpCacheKey(request), meta, bytes)
    return toResponse(meta, policy, bytes)
  }

  async function revalidated(
    request: HttpCacheRequest,
    stale: Extract<HttpLookup, { kind: 'stale' }>,
    head: HttpResponseHead,
  ): Promise<CachedResponse | undefined> {
    if (dir === null) return undefined
    const key = httpCacheKey(request)
    const current = readEntry(key)
    if (current === undefined || current === 'corrupt' || current.meta.body.sha256 !== stale.revision) return undefined
    const old = Policy.fromObject(current.meta.policy)
    const result = old.revalidatedPolicy(policyRequest(request), {
      status: head.status,
      headers: lowerHeaders(head.headers, RESPONSE_HEADERS_DROPPED),
    })
    if (result.modified || !result.matches) return undefined
    const meta: StoredMeta = { ...current.meta, policy: result.policy.toObject(), checkedAt: now() }
    await writeEntry(key, meta, current.body)
    return toResponse(meta, result.policy, current.body)
  }

  async function evict(request: HttpCacheRequest | string): Promise<boolean> {
    if (dir === null) return false
    return evictKey(httpCacheKey(request))
  }

  async function verify(request: HttpCacheRequest | string): Promise<'ok' | 'missing' | 'corrupt'> {
    if (dir === null) return 'missing'
    const entry = readEntry(httpCacheKey(request))
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
