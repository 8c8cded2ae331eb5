/**
 * The transport under the HTTP client: one request, one response head, a
 * body stream. Two implementations, chosen per client:
 *
 * - Node's own `http`/`https` with keep-alive agents (the default when no
 *   proxy is configured): one pool per origin (`host:port`), 10 connections
 *   each by default (as requests' pool), the CA bundle of `--cert` /
 *   `REQUESTS_CA_BUNDLE` (it replaces the system roots, as in pip), the client
 *   certificate of `--client-cert`, and a non-verifying agent for
 *   `--trusted-host`s. These modules are part of Node's start-up snapshot:
 *   loading them costs ~3 ms, where undici costs ~130 ms of module compilation
 *   per process, which was a third of a cold `pipette download`.
 * - undici, when a proxy is configured (`--proxy`, `HTTP(S)_PROXY`, with
 *   `NO_PROXY`: its `EnvHttpProxyAgent` does the CONNECT tunnels) or when the
 *   caller injects a `Dispatcher` (tests, embedders). It is loaded only then.
 *
 * Both report failures with the same error codes (`ECONNREFUSED`,
 * `ECONNRESET`, `ETIMEDOUT`, the TLS codes of `node:tls`), which the client
 * classifies for retries and messages. A timeout (pip's `--timeout`) applies
 * to connecting, to waiting for the head and to each pause in the body.
 */
import type { Agent as HttpAgent, IncomingMessage, RequestOptions as NodeRequestOptions } from 'node:http'
import type { Readable } from 'node:stream'
import type { Dispatcher } from 'undici'
import type { NetworkOptions } from './network.js'
import { createDispatchers, isTrustedHost, proxySettings, readTlsFiles } from './network.js'

export interface TransportRequest {
  readonly method: 'GET' | 'HEAD'
  readonly headers: Readonly<Record<string, string>>
  /** Milliseconds for connecting, for the head, and for each pause in the body. */
  readonly timeoutMs: number
}

export interface TransportResponse {
  readonly statusCode: number
  readonly statusText: string
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  readonly body: Readable
}

export interface Transport {
  readonly request: (url: URL, request: TransportRequest) => Promise<TransportResponse>
  readonly close: () => Promise<void>
}

/** A transport over undici dispatchers (a caller's own, or the proxy agents). */
export function undiciTransport(forUrl: (url: URL) => Dispatcher, close: () => Promise<void>): Transport {
  return {
    async request(url, request) {
      const response = await forUrl(url).request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers: request.headers,
        headersTimeout: request.timeoutMs,
        bodyTimeout: request.timeoutMs,
      })
      return { statusCode: response.statusCode, statusText: (response as { statusText?: string }).statusText ?? '', headers: response.headers, body: response.body }
    },
    close,
  }
}

function timeoutError(url: URL, ms: number): Error {
  return Object.assign(new Error(`no answer from ${url.origin} within ${ms / 1000} s`), { code: 'ETIMEDOUT' })
}

/** The default transport for the network options: Node's http/https, or undici when a proxy is set. */
export async function createTransport(options: NetworkOptions = {}): Promise<Transport> {
  if (proxySettings(options).any) {
    const dispatchers = await createDispatchers(options)
    return undiciTransport(dispatchers.forUrl, dispatchers.close)
  }
  const { ca, client } = await readTlsFiles(options)
  const connections = options.connectionsPerOrigin ?? 10
  const pool = { keepAlive: true, keepAliveMsecs: 1000, maxSockets: connections, maxFreeSockets: connections, scheduling: 'lifo' as const }
  let http: typeof import('node:http') | undefined
  let https: typeof import('node:https') | undefined
  let plainAgent: HttpAgent | undefined
  const tlsAgents = new Map<boolean, HttpAgent>()

  async function agentFor(url: URL): Promise<{ module: typeof import('node:http'); agent: HttpAgent }> {
    if (url.protocol === 'https:') {
      https ??= await import('node:https')
      const verify = !isTrustedHost(url, options.trustedHosts)
      let agent = tlsAgents.get(verify)
      if (agent === undefined) {
        agent = new https.Agent({
          ...pool,
          ...(ca === undefined ? {} : { ca }),
          ...(client === undefined ? {} : { cert: client, key: client }),
          ...(verify ? {} : { rejectUnauthorized: false }),
        })
        tlsAgents.set(verify, agent)
      }
      return { module: https as unknown as typeof import('node:http'), agent }
    }
    http ??= await import('node:http')
    plainAgent ??= new http.Agent(pool)
    return { module: http, agent: plainAgent }
  }

  return {
    async request(url, request) {
      const { module, agent } = await agentFor(url)
      return new Promise<TransportResponse>((resolve, reject) => {
        const init: NodeRequestOptions = {
          protocol: url.protocol,
          hostname: url.hostname.replace(/^\[|\]$/g, ''),
          port: url.port === '' ? undefined : Number(url.port),
          path: `${url.pathname}${url.search}`,
          method: request.method,
          headers: request.headers,
          agent,
          timeout: request.timeoutMs,
        }
        const req = module.request(init, (res: IncomingMessage) => {
          resolve({ statusCode: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: res.headers, body: res })
        })
        // The socket timeout covers connecting, the head, and every pause in the body.
        req.on('timeout', () => req.destroy(timeoutError(url, request.timeoutMs)))
        req.on('error', reject)
        req.end()
      })
    },
    async close() {
      plainAgent?.destroy()
      for (const agent of tlsAgents.values()) agent.destroy()
    },
  }
}
