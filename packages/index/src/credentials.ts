/**
 * Where credentials come from and which requests get them.
 *
 * Sources, first match wins:
 *   1. `user:password@` in the URL being requested;
 *   2. `user:password@` in an index URL (`--index-url`, `--extra-index-url`,
 *      `--find-links`) on the same origin: the longest such URL that is a
 *      prefix of the request, else any of them on that origin. This is how a
 *      file hosted next to its index (`/packages/...`) gets the index's
 *      credentials, as pip's per-netloc password cache does;
 *   3. environment variables named after the host:
 *      `PIPETTE_INDEX_<HOST>_USERNAME` / `PIPETTE_INDEX_<HOST>_PASSWORD`, where
 *      `<HOST>` is the host name (then host and port) upper-cased with every
 *      character that is not a letter or digit turned into `_`: for
 *      `https://pypi.example.com:8443/simple` pipette reads
 *      `PIPETTE_INDEX_PYPI_EXAMPLE_COM_8443_USERNAME`, then
 *      `PIPETTE_INDEX_PYPI_EXAMPLE_COM_USERNAME` (uv's
 *      `UV_INDEX_<NAME>_USERNAME`, with the host as the name since pip's
 *      indexes have none);
 *   4. `.netrc` (`$NETRC`, else `~/.netrc`), by host name, else `default`.
 *
 * Credentials are keyed by origin (scheme, host, port): a request to another
 * origin, including a redirect target, never receives them.
 */
import type { Netrc } from './netrc.js'
import { netrcLookup } from './netrc.js'
import { originOf, stripCredentials, unquote } from './urls.js'

export interface Credentials {
  readonly username: string
  readonly password: string
}

export interface CredentialStore {
  /** The credentials to send with a request to `url` (which may itself carry `user:password@`). */
  readonly forUrl: (url: string) => Credentials | undefined
}

export interface CredentialStoreOptions {
  /** Index and find-links URLs, possibly with `user:password@`. */
  readonly urls?: readonly string[] | undefined
  readonly env?: NodeJS.ProcessEnv | undefined
  readonly netrc?: Netrc | undefined
}

/** The `user:password` a URL carries, percent-decoded, or undefined. */
export function credentialsInUrl(url: string): Credentials | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  if (parsed.username === '' && parsed.password === '') return undefined
  return Object.freeze({ username: unquote(parsed.username), password: unquote(parsed.password) })
}

/** The `<HOST>` part of `PIPETTE_INDEX_<HOST>_USERNAME` for a URL, most specific first. */
export function credentialEnvNames(url: string): readonly string[] {
  const parsed = new URL(url)
  const key = (text: string) => text.toUpperCase().replace(/[^A-Z0-9]/g, '_')
  const host = parsed.hostname.replace(/^\[|\]$/g, '')
  return parsed.port ? [key(`${host}_${parsed.port}`), key(host)] : [key(host)]
}

export function createCredentialStore(options: CredentialStoreOptions = {}): CredentialStore {
  const env = options.env ?? {}
  const byOrigin = new Map<string, { prefix: string; credentials: Credentials }[]>()
  for (const url of options.urls ?? []) {
    const credentials = credentialsInUrl(url)
    if (credentials === undefined) continue
    const origin = originOf(url)
    const list = byOrigin.get(origin) ?? []
    list.push({ prefix: stripCredentials(url), credentials })
    byOrigin.set(origin, list)
  }
  for (const list of byOrigin.values()) list.sort((a, b) => b.prefix.length - a.prefix.length)

  // The environment and .netrc answer per host (and port): looked up once per origin.
  const fromEnvironment = new Map<string, Credentials | undefined>()
  const environmentFor = (parsed: URL, origin: string): Credentials | undefined => {
    if (fromEnvironment.has(origin)) return fromEnvironment.get(origin)
    let found: Credentials | undefined
    for (const name of credentialEnvNames(parsed.href)) {
      const username = env[`PIPETTE_INDEX_${name}_USERNAME`]
      const password = env[`PIPETTE_INDEX_${name}_PASSWORD`]
      if (username !== undefined || password !== undefined) {
        found = Object.freeze({ username: username ?? '', password: password ?? '' })
        break
      }
    }
    if (found === undefined && options.netrc !== undefined) {
      const entry = netrcLookup(options.netrc, parsed.hostname)
      if (entry !== undefined) found = Object.freeze({ username: entry.login || entry.account, password: entry.password })
    }
    fromEnvironment.set(origin, found)
    return found
  }

  return {
    forUrl(url) {
      let parsed: URL
      try {
        parsed = new URL(url)
      } catch {
        return undefined
      }
      if (parsed.username !== '' || parsed.password !== '') return Object.freeze({ username: unquote(parsed.username), password: unquote(parsed.password) })
      const origin = originOf(parsed)
      const known = byOrigin.get(origin)
      if (known !== undefined) {
        const bare = parsed.href
        return (known.find((entry) => bare.startsWith(entry.prefix)) ?? known[known.length - 1]!).credentials
      }
      return environmentFor(parsed, origin)
    },
  }
}

/** The `Authorization` header value for basic auth. */
export function basicAuthorization(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`
}
