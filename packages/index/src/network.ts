/**
 * pip's network options, read once for both transports (transport.ts):
 * `--proxy` (else `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`, in either case), a
 * CA bundle (`--cert`, else `REQUESTS_CA_BUNDLE` or `CURL_CA_BUNDLE` as
 * requests reads them; it replaces the system roots, as in pip), a client
 * certificate (one PEM file holding the key and the certificate), and
 * `--trusted-host`s, whose certificates are not verified. The undici
 * dispatchers built here (`EnvHttpProxyAgent` for proxies) are imported
 * lazily, so nothing that only parses, prints or talks to an index directly
 * loads undici.
 */
import type { Dispatcher } from 'undici'
import { readFile } from 'node:fs/promises'
import { invalidCertFile } from './errors.js'

export interface NetworkOptions {
  /** `--proxy`: `scheme://[user:passwd@]proxy.server:port`, used for http and https. */
  readonly proxy?: string | undefined
  /** `--cert`: a PEM CA bundle used instead of the system's. */
  readonly cert?: string | undefined
  /** `--client-cert`: a PEM file with the client's private key and certificate. */
  readonly clientCert?: string | undefined
  /** `--trusted-host`: `host` or `host:port` whose TLS certificates are not checked (and where plain http is allowed). */
  readonly trustedHosts?: readonly string[] | undefined
  /** Seconds for connecting (pip's `--timeout`). */
  readonly timeout?: number | undefined
  /** Environment for proxy and CA-bundle variables (default: process.env). */
  readonly env?: NodeJS.ProcessEnv | undefined
  /**
   * Connections kept per origin (default 10, as requests' pool). More requests
   * than that wait for a free connection: on loopback and on most servers a
   * few warm connections beat dozens of new ones (each costs a connect and a
   * parser instance).
   */
  readonly connectionsPerOrigin?: number | undefined
}

/** Splits a `--trusted-host` value: `host`, `host:port`, `[v6]` or `[v6]:port`. */
export function parseTrustedHost(entry: string): { readonly host: string; readonly port: string | undefined } {
  const text = entry.trim().toLowerCase()
  const v6 = /^\[([^\]]*)\](?::(\d+))?$/.exec(text)
  if (v6 !== null) return { host: v6[1]!, port: v6[2] }
  const withPort = /^([^:]+):(\d+)$/.exec(text)
  if (withPort !== null) return { host: withPort[1]!, port: withPort[2] }
  return { host: text, port: undefined }
}

/** True when `url`'s host (any port) or host:port is one of the trusted hosts, as pip mounts them. */
export function isTrustedHost(url: URL, trustedHosts: readonly string[] | undefined): boolean {
  if (trustedHosts === undefined || trustedHosts.length === 0) return false
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '')
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  return trustedHosts.some((entry) => {
    const trusted = parseTrustedHost(entry)
    return trusted.host === host && (trusted.port === undefined || trusted.port === port)
  })
}

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()]
  return value === undefined || value === '' ? undefined : value
}

async function readPem(path: string, option: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (cause) {
    throw invalidCertFile(path, option, cause)
  }
}

export interface Dispatchers {
  /** The dispatcher for a URL: the verifying one, or the non-verifying one for trusted hosts. */
  readonly forUrl: (url: URL) => Dispatcher
  readonly close: () => Promise<void>
}

/** The proxies in effect: `--proxy` for both schemes, else `http_proxy` / `https_proxy` (any case), and `no_proxy`. */
export function proxySettings(options: NetworkOptions = {}): { readonly http: string | undefined; readonly https: string | undefined; readonly noProxy: string | undefined; readonly any: boolean } {
  const env = options.env ?? process.env
  const http = options.proxy ?? envValue(env, 'http_proxy')
  const https = options.proxy ?? envValue(env, 'https_proxy')
  return { http, https, noProxy: envValue(env, 'no_proxy'), any: http !== undefined || https !== undefined }
}

/** The PEM texts of the CA bundle (`--cert`, else `REQUESTS_CA_BUNDLE` / `CURL_CA_BUNDLE`) and of `--client-cert`. */
export async function readTlsFiles(options: NetworkOptions = {}): Promise<{ readonly ca: string | undefined; readonly client: string | undefined }> {
  const env = options.env ?? process.env
  const caPath = options.cert ?? envValue(env, 'REQUESTS_CA_BUNDLE') ?? envValue(env, 'CURL_CA_BUNDLE')
  const ca = caPath === undefined ? undefined : await readPem(caPath, options.cert !== undefined ? '--cert' : 'REQUESTS_CA_BUNDLE')
  const client = options.clientCert === undefined ? undefined : await readPem(options.clientCert, '--client-cert')
  return { ca, client }
}

/**
 * undici dispatchers for the network options (an `EnvHttpProxyAgent` when a
 * proxy is set, else an `Agent`). The HTTP client uses them for proxies only
 * (see transport.ts); they stay available to callers who want undici.
 */
export async function createDispatchers(options: NetworkOptions = {}): Promise<Dispatchers> {
  const undici = await import('undici')
  const { ca, client } = await readTlsFiles(options)
  const timeoutMs = Math.max(1, (options.timeout ?? 15) * 1000)
  const proxies = proxySettings(options)
  const httpProxy = proxies.http
  const httpsProxy = proxies.https
  const noProxy = proxies.noProxy

  const build = (verify: boolean): Dispatcher => {
    const tls = {
      timeout: timeoutMs,
      ...(ca === undefined ? {} : { ca }),
      ...(client === undefined ? {} : { cert: client, key: client }),
      ...(verify ? {} : { rejectUnauthorized: false }),
    }
    const pool = { keepAliveTimeout: 10_000, connections: options.connectionsPerOrigin ?? 10 }
    if (httpProxy !== undefined || httpsProxy !== undefined) {
      return new undici.EnvHttpProxyAgent({
        ...pool,
        httpProxy: httpProxy ?? '',
        httpsProxy: httpsProxy ?? '',
        noProxy: noProxy ?? '',
        connect: tls,
        requestTls: tls,
      })
    }
    return new undici.Agent({ ...pool, connect: tls })
  }

  const verifying = build(true)
  let lax: Dispatcher | undefined
  return {
    forUrl(url) {
      if (url.protocol === 'https:' && isTrustedHost(url, options.trustedHosts)) return (lax ??= build(false))
      return verifying
    },
    async close() {
      await Promise.all([verifying.close(), lax?.close()])
    },
  }
}
