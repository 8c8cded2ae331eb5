import { PipetteError, isPipetteError, redactText, redactUrl } from '@pipette/errors'
import type { PipetteErrorOptions } from '@pipette/errors'

/**
 * Errors of the index client. Every URL in a message goes through `redactUrl`
 * (and is stripped of its query string's secrets by nothing else: indexes that
 * put tokens in query strings are not supported).
 */
export class IndexError extends PipetteError {}

/** The index (or a file host) could not be reached: DNS, refused, reset, timed out, after every retry. */
export function unreachable(url: string, cause: unknown, attempts: number): IndexError {
  const reason = describeCause(cause)
  return new IndexError('ERR_INDEX_UNREACHABLE', `could not reach ${redactUrl(url)} (${reason}) after ${attempts} attempt${attempts === 1 ? '' : 's'}`, {
    hint: 'check the URL, your network and proxy settings; example: --index-url https://pypi.org/simple --retries 5 --timeout 15',
    cause,
  })
}

const TLS_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_TLS_|ERR_SSL_|HOSTNAME_MISMATCH|ERR_OSSL_)/

/** The code of a low-level error or of one of its causes. */
function codeOf(cause: unknown): string | undefined {
  for (let e: unknown = cause, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string') return code
  }
  return undefined
}

/** A request that failed below HTTP and is not worth retrying: a TLS problem, or anything else. */
export function networkFailure(url: string, cause: unknown): Error {
  if (isPipetteError(cause)) return cause
  const code = codeOf(cause) ?? ''
  if (TLS_CODES.test(code)) {
    return new IndexError('ERR_INDEX_TLS', `could not establish a trusted TLS connection to ${redactUrl(url)} (${describeCause(cause)})`, {
      hint: 'give the CA bundle that signed the server certificate (--cert /etc/ssl/certs/ca-certificates.crt), a client certificate if the server asks for one (--client-cert client.pem), or, for a host you trust, --trusted-host HOST',
      cause,
    })
  }
  return unreachable(url, cause, 1)
}

/** 401 or 403. */
export function authFailed(url: string, status: number, hadCredentials: boolean): IndexError {
  const what = status === 401 ? '401 Unauthorized' : '403 Forbidden'
  return new IndexError('ERR_INDEX_AUTH', `${what} from ${redactUrl(url)}${hadCredentials ? ' (credentials were sent)' : ' (no credentials were sent)'}`, {
    hint: hadCredentials
      ? 'check the user name and password for this host (in the URL, ~/.netrc or PIPETTE_INDEX_<HOST>_USERNAME/_PASSWORD)'
      : 'give credentials: --index-url https://USER:PASSWORD@host/simple, a ~/.netrc entry, or PIPETTE_INDEX_<HOST>_USERNAME and PIPETTE_INDEX_<HOST>_PASSWORD',
  })
}

/** Any other unexpected HTTP status, after retries. */
export function httpStatus(url: string, status: number, statusText: string): IndexError {
  return new IndexError('ERR_INDEX_HTTP', `HTTP ${status}${statusText ? ` ${statusText}` : ''} from ${redactUrl(url)}`, {
    hint: 'the server refused the request; check the index URL (example: --index-url https://pypi.org/simple) or try again later',
  })
}

export function tooManyRedirects(url: string, limit: number): IndexError {
  return new IndexError('ERR_INDEX_REDIRECTS', `more than ${limit} redirects starting at ${redactUrl(url)}`, {
    hint: 'the server redirects in a loop; check the index URL',
  })
}

export function badResponse(url: string, what: string, options: PipetteErrorOptions = {}): IndexError {
  return new IndexError('ERR_INDEX_RESPONSE', `${redactUrl(url)}: ${what}`, {
    hint: options.hint ?? 'the server did not answer as a PEP 503/691 simple index; check --index-url (example: https://pypi.org/simple)',
    cause: options.cause,
  })
}

export function hashMismatch(options: {
  readonly url: string
  readonly filename: string
  readonly expected: Readonly<Record<string, readonly string[]>>
  readonly actual: Readonly<Record<string, string>>
}): IndexError {
  const lines = Object.entries(options.expected).map(([algorithm, values]) => {
    return `    expected ${algorithm}: ${values.join(' or ')}\n         got ${algorithm}: ${options.actual[algorithm] ?? '?'}`
  })
  return new IndexError(
    'ERR_HASH_MISMATCH',
    `hash mismatch for ${options.filename} from ${redactUrl(options.url)}:\n${lines.join('\n')}`,
    { hint: 'the file changed or was tampered with; if you trust the new file, update the hash (example: --hash=sha256:<64 hex digits>)' },
  )
}

export function incomplete(url: string, received: number, expected: number): IndexError {
  return new IndexError('ERR_DOWNLOAD_INCOMPLETE', `download of ${redactUrl(url)} ended after ${received} of ${expected} bytes`, {
    hint: 'the connection was cut; run the command again (nothing incomplete was kept)',
  })
}

export function invalidUrl(value: string, option: string): IndexError {
  return new IndexError('ERR_INVALID_URL', `${option}: '${redactUrl(value)}' is not a valid URL`, {
    hint: `give an absolute URL, example: ${option} https://pypi.org/simple`,
  })
}

export function invalidCertFile(path: string, option: string, cause: unknown): IndexError {
  return new IndexError('ERR_CERT_FILE', `${option}: could not read the certificate file ${path}`, {
    hint: `give a PEM file, example: ${option} /etc/ssl/certs/ca-certificates.crt`,
    cause,
  })
}

export function noMatchingDistribution(requirement: string, versions: readonly string[]): IndexError {
  return new IndexError(
    'ERR_NO_MATCHING_DISTRIBUTION',
    `Could not find a version that satisfies the requirement ${requirement} (from versions: ${versions.length === 0 ? 'none' : versions.join(', ')})`,
    { hint: `check the name and the version specifier; example: ${requirement.split(/[<>=!~;\[ ]/)[0] ?? requirement}>=1.0, or add --pre for pre-releases` },
  )
}

export function metadataUnavailable(url: string, why: string, cause?: unknown): IndexError {
  return new IndexError('ERR_METADATA', `could not read the metadata of ${redactUrl(url)}: ${why}`, {
    hint: 'the wheel is damaged or is not a wheel; try again with --refresh, or report it to the index owner',
    cause,
  })
}

/** A short, credential-free description of a low-level network error. */
export function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code
    const message = redactText(cause.message.replace(/\s+/g, ' ').trim())
    return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message
  }
  return redactText(String(cause))
}
