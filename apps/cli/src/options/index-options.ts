/**
 * pip's "Package Index Options" and the network options of its "General
 * Options", with pip's names, defaults and environment variables
 * (`PIP_<LONG_NAME>`, lists separated by whitespace, booleans as pip reads
 * them: 1/true/yes/on), plus `--index-strategy` (uv's, default
 * `first-index`).
 *
 * oclif reads one value per environment variable, so list options are
 * declared without `env` here and `resolveIndexOptions` applies every
 * `PIP_*` fallback in one place.
 */
import { Flags } from '@oclif/core'
import { PipetteError, redactUrl } from '@pipette/errors'

export const DEFAULT_INDEX_URL = 'https://pypi.org/simple'

/** Flags of the index options group (pip's `index_group`, plus `--index-strategy`). */
export const indexOptions = {
  'index-url': Flags.string({
    char: 'i',
    helpValue: '<url>',
    description: `Base URL of the Python Package Index (default ${DEFAULT_INDEX_URL}). This should point to a repository compliant with PEP 503 (the simple repository API) or a local directory laid out in the same format. [env: PIP_INDEX_URL]`,
    helpGroup: 'PACKAGE INDEX',
  }),
  'extra-index-url': Flags.string({
    helpValue: '<url>',
    multiple: true,
    multipleNonGreedy: true,
    description: 'Extra URLs of package indexes to use in addition to --index-url. Should follow the same rules as --index-url. With --index-strategy first-index they are searched before --index-url. [env: PIP_EXTRA_INDEX_URL, space-separated]',
    helpGroup: 'PACKAGE INDEX',
  }),
  'no-index': Flags.boolean({
    description: 'Ignore package index (only looking at --find-links URLs instead). [env: PIP_NO_INDEX]',
    helpGroup: 'PACKAGE INDEX',
  }),
  'find-links': Flags.string({
    char: 'f',
    helpValue: '<url>',
    multiple: true,
    multipleNonGreedy: true,
    description: "If a URL or path to an html file, then parse for links to archives such as sdist (.tar.gz) or wheel (.whl) files. If a local path or file:// URL that's a directory, then look for archives in the directory listing. Links to VCS project URLs are not supported. [env: PIP_FIND_LINKS, space-separated]",
    helpGroup: 'PACKAGE INDEX',
  }),
  'index-strategy': Flags.string({
    helpValue: '<strategy>',
    options: ['first-index', 'unsafe-best-match'],
    description: 'How to use several indexes: first-index (default) takes every version of a project from the first index that has it (extra indexes first); unsafe-best-match takes the best version across all indexes, as pip does. [env: PIP_INDEX_STRATEGY]',
    helpGroup: 'PACKAGE INDEX',
  }),
} as const

/** Network options (pip's general options that shape requests). */
export const networkOptions = {
  proxy: Flags.string({
    helpValue: '<proxy>',
    description: 'Specify a proxy in the form scheme://[user:passwd@]proxy.server:port. Without it, HTTPS_PROXY, HTTP_PROXY and NO_PROXY are honoured. [env: PIP_PROXY]',
    helpGroup: 'NETWORK',
  }),
  retries: Flags.string({
    helpValue: '<retries>',
    description: 'Maximum attempts to establish a new HTTP connection. (default: 5) [env: PIP_RETRIES]',
    helpGroup: 'NETWORK',
  }),
  timeout: Flags.string({
    aliases: ['default-timeout'],
    helpValue: '<sec>',
    description: 'Set the socket timeout (default 15 seconds). [env: PIP_TIMEOUT, PIP_DEFAULT_TIMEOUT]',
    helpGroup: 'NETWORK',
  }),
  'trusted-host': Flags.string({
    helpValue: '<hostname>',
    multiple: true,
    multipleNonGreedy: true,
    description: 'Mark this host or host:port pair as trusted, even though it does not have valid or any HTTPS. [env: PIP_TRUSTED_HOST, space-separated]',
    helpGroup: 'NETWORK',
  }),
  cert: Flags.string({
    helpValue: '<path>',
    description: 'Path to PEM-encoded CA certificate bundle. If provided, overrides the default. [env: PIP_CERT; else REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE]',
    helpGroup: 'NETWORK',
  }),
  'client-cert': Flags.string({
    helpValue: '<path>',
    description: 'Path to SSL client certificate, a single file containing the private key and the certificate in PEM format. [env: PIP_CLIENT_CERT]',
    helpGroup: 'NETWORK',
  }),
} as const

/** Which distributions may be chosen. */
export const selectionOptions = {
  pre: Flags.boolean({
    description: 'Include pre-release and development versions. By default, pip only finds stable versions. [env: PIP_PRE]',
  }),
  'prefer-binary': Flags.boolean({
    description: 'Prefer binary packages over source packages, even if the source packages are newer. [env: PIP_PREFER_BINARY]',
  }),
  'ignore-requires-python': Flags.boolean({
    description: 'Ignore the Requires-Python information. [env: PIP_IGNORE_REQUIRES_PYTHON]',
  }),
} as const

type Values<T> = { [K in keyof T]?: unknown }

/** The index, network and selection options after pip's defaults and `PIP_*` variables. */
export interface IndexOptions {
  readonly indexUrl: string
  readonly extraIndexUrls: readonly string[]
  readonly noIndex: boolean
  readonly findLinks: readonly string[]
  readonly indexStrategy: 'first-index' | 'unsafe-best-match'
  readonly proxy: string | undefined
  readonly retries: number
  readonly timeout: number
  readonly trustedHosts: readonly string[]
  readonly cert: string | undefined
  readonly clientCert: string | undefined
  readonly pre: boolean
  readonly preferBinary: boolean
  readonly ignoreRequiresPython: boolean
}

/** pip's strtobool for PIP_* switches. */
function envBool(value: string | undefined): boolean | undefined {
  if (value === undefined || value.trim() === '') return undefined
  const v = value.trim().toLowerCase()
  if (['1', 'true', 'yes', 'y', 'on', 't'].includes(v)) return true
  if (['0', 'false', 'no', 'n', 'off', 'f'].includes(v)) return false
  return undefined
}

function envList(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(/\s+/).filter((s) => s !== '')
}

function optionError(message: string, hint: string): PipetteError {
  return new PipetteError('ERR_INVALID_OPTION', message, { hint })
}

function number(value: string, option: string, integer: boolean, example: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
    throw optionError(`invalid ${option} value: '${value}'`, `give a ${integer ? 'whole number' : 'number'}, example: ${option} ${example}`)
  }
  return n
}

/** Turns parsed flags and the environment into `IndexOptions`: flags first, then `PIP_*`, then pip's defaults. */
export function resolveIndexOptions(
  flags: Values<typeof indexOptions & typeof networkOptions & typeof selectionOptions>,
  env: NodeJS.ProcessEnv = process.env,
): IndexOptions {
  const str = (name: string) => (typeof flags[name as keyof typeof flags] === 'string' ? (flags[name as keyof typeof flags] as string) : undefined)
  const list = (name: string) => {
    const value = flags[name as keyof typeof flags]
    return Array.isArray(value) && value.length > 0 ? (value as string[]) : undefined
  }
  const bool = (name: string, envName: string) => (flags[name as keyof typeof flags] === true ? true : (envBool(env[envName]) ?? false))
  const strategy = str('index-strategy') ?? env['PIP_INDEX_STRATEGY'] ?? 'first-index'
  if (strategy !== 'first-index' && strategy !== 'unsafe-best-match') {
    throw optionError(`invalid --index-strategy value: '${strategy}'`, 'use first-index or unsafe-best-match, example: --index-strategy unsafe-best-match')
  }
  const retries = str('retries') ?? env['PIP_RETRIES']
  const timeout = str('timeout') ?? env['PIP_TIMEOUT'] ?? env['PIP_DEFAULT_TIMEOUT']
  return {
    indexUrl: str('index-url') ?? env['PIP_INDEX_URL'] ?? DEFAULT_INDEX_URL,
    extraIndexUrls: list('extra-index-url') ?? envList(env['PIP_EXTRA_INDEX_URL']),
    noIndex: bool('no-index', 'PIP_NO_INDEX'),
    findLinks: list('find-links') ?? envList(env['PIP_FIND_LINKS']),
    indexStrategy: strategy,
    proxy: str('proxy') ?? env['PIP_PROXY'],
    retries: retries === undefined ? 5 : number(retries, '--retries', true, '5'),
    timeout: timeout === undefined ? 15 : number(timeout, '--timeout', false, '15'),
    trustedHosts: list('trusted-host') ?? envList(env['PIP_TRUSTED_HOST']),
    cert: str('cert') ?? env['PIP_CERT'],
    clientCert: str('client-cert') ?? env['PIP_CLIENT_CERT'],
    pre: bool('pre', 'PIP_PRE'),
    preferBinary: bool('prefer-binary', 'PIP_PREFER_BINARY'),
    ignoreRequiresPython: bool('ignore-requires-python', 'PIP_IGNORE_REQUIRES_PYTHON'),
  }
}

/** pip's "Looking in indexes: ..." / "Looking in links: ..." lines, credentials redacted. */
export function lookingIn(options: IndexOptions): string[] {
  const lines: string[] = []
  const indexes = options.noIndex ? [] : [options.indexUrl, ...options.extraIndexUrls]
  if (indexes.length > 0 && !(indexes.length === 1 && indexes[0] === DEFAULT_INDEX_URL)) lines.push(`Looking in indexes: ${indexes.map(redactUrl).join(', ')}`)
  if (options.findLinks.length > 0) lines.push(`Looking in links: ${options.findLinks.map(redactUrl).join(', ')}`)
  return lines
}
