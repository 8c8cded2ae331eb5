/**
 * One place that turns pip's index and network options into a working index
 * client: credentials (URLs, environment, `.netrc`), the HTTP client (with the
 * cache, retries, timeout, proxy, CA bundle, client certificate, trusted
 * hosts), the finder, and the metadata reader, sharing one connection pool.
 */
import type { Dispatcher } from 'undici'
import type { CredentialStore } from './credentials.js'
import { createCredentialStore } from './credentials.js'
import type { Candidate, TargetPython } from './evaluate.js'
import type { Finder, IndexSettings } from './finder.js'
import { createFinder } from './finder.js'
import type { Clock, HttpCacheLike, HttpClient, HttpEvent } from './http.js'
import { createHttpClient } from './http.js'
import type { RangeMemory, WheelMetadata } from './metadata.js'
import { createRangeMemory, fetchMetadata } from './metadata.js'
import { loadNetrc } from './netrc.js'
import type { VersionScheme } from './versions.js'

export interface IndexSessionOptions<V> extends IndexSettings {
  readonly target: TargetPython
  readonly versions: VersionScheme<V>
  /** pip's `--retries` (default 5). */
  readonly retries?: number | undefined
  /** pip's `--timeout` in seconds (default 15). */
  readonly timeout?: number | undefined
  readonly proxy?: string | undefined
  readonly cert?: string | undefined
  readonly clientCert?: string | undefined
  readonly trustedHosts?: readonly string[] | undefined
  /** Requests in flight at once (default 50). */
  readonly concurrency?: number | undefined
  readonly ignoreRequiresPython?: boolean | undefined
  readonly formats?: ((project: string) => { readonly allowBinary: boolean; readonly allowSource: boolean }) | undefined
  /** @pipette/cache's HTTP cache (or none). */
  readonly cache?: HttpCacheLike | undefined
  /** Origins known to refuse range requests (persist it to remember across runs). */
  readonly ranges?: RangeMemory | undefined
  /** An undici dispatcher to use instead of building one. */
  readonly dispatcher?: Dispatcher | undefined
  readonly clock?: Clock | undefined
  /** Environment for `.netrc` ($NETRC, $HOME), `PIPETTE_INDEX_<HOST>_*`, proxies and CA bundles (default: process.env). */
  readonly env?: NodeJS.ProcessEnv | undefined
  readonly userAgent?: string | undefined
  readonly warn?: ((message: string) => void) | undefined
  readonly onHttpEvent?: ((event: HttpEvent) => void) | undefined
}

export interface IndexSession<V> {
  readonly http: HttpClient
  readonly finder: Finder<V>
  readonly credentials: CredentialStore
  readonly ranges: RangeMemory
  /** The METADATA of a candidate (PEP 658 file, range requests, or the whole file). */
  readonly metadata: (candidate: Candidate<V>) => Promise<WheelMetadata>
  readonly close: () => Promise<void>
}

export async function openIndexSession<V>(options: IndexSessionOptions<V>): Promise<IndexSession<V>> {
  const env = options.env ?? process.env
  const netrc = await loadNetrc(env)
  const credentials = createCredentialStore({
    urls: [...(options.indexUrl === undefined ? [] : [options.indexUrl]), ...(options.extraIndexUrls ?? []), ...(options.findLinks ?? []).filter((l) => /^https?:/i.test(l))],
    env,
    netrc,
  })
  const http = createHttpClient({
    dispatcher: options.dispatcher,
    network: { proxy: options.proxy, cert: options.cert, clientCert: options.clientCert, trustedHosts: options.trustedHosts, timeout: options.timeout, env },
    credentials,
    cache: options.cache,
    clock: options.clock,
    retries: options.retries,
    timeout: options.timeout,
    concurrency: options.concurrency,
    userAgent: options.userAgent,
    onEvent: options.onHttpEvent,
  })
  const finder = createFinder({
    http,
    target: options.target,
    versions: options.versions,
    indexUrl: options.indexUrl,
    extraIndexUrls: options.extraIndexUrls,
    noIndex: options.noIndex,
    findLinks: options.findLinks,
    indexStrategy: options.indexStrategy,
    trustedHosts: options.trustedHosts,
    ignoreRequiresPython: options.ignoreRequiresPython,
    formats: options.formats,
    warn: options.warn,
  })
  const ranges = options.ranges ?? createRangeMemory()
  return {
    http,
    finder,
    credentials,
    ranges,
    metadata: (candidate) => fetchMetadata({ http, file: candidate.file, project: candidate.name, ranges }),
    close: () => http.close(),
  }
}
