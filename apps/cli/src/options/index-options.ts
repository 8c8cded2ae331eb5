/**
 * pip's "Package Index Options" and the network options of its "General
 * Options", with pip's names and defaults, plus `--index-strategy` (uv's,
 * default `first-index`). Their values, `PIP_<NAME>` variables and pip.conf
 * included, come from the configuration layer (layer.ts);
 * `resolveIndexOptions` only gathers them.
 */
import { Flags } from '@oclif/core'
import { PipetteError, redactUrl } from '@pipette/errors'
import { generalOptions } from './general-flags.js'

export const DEFAULT_INDEX_URL = 'https://pypi.org/simple'

/** Flags of the index options group (pip's `index_group`, plus `--index-strategy`). */
export const indexOptions = {
  'index-url': Flags.string({
    char: 'i',
    helpValue: '<url>',
    description: `Base URL of the Python Package Index (default ${DEFAULT_INDEX_URL}). This should point to a repository compliant with PEP 503 (the simple repository API) or a local directory laid out in the same format.`,
    helpGroup: 'PACKAGE INDEX',
  }),
  'extra-index-url': Flags.string({
    helpValue: '<url>',
    multiple: true,
    multipleNonGreedy: true,
    description: 'Extra URLs of package indexes to use in addition to --index-url. Should follow the same rules as --index-url. With --index-strategy first-index they are searched before --index-url.',
    helpGroup: 'PACKAGE INDEX',
  }),
  'no-index': Flags.boolean({
    description: 'Ignore package index (only looking at --find-links URLs instead).',
    helpGroup: 'PACKAGE INDEX',
  }),
  'find-links': Flags.string({
    char: 'f',
    helpValue: '<url>',
    multiple: true,
    multipleNonGreedy: true,
    description: "If a URL or path to an html file, then parse for links to archives such as sdist (.tar.gz) or wheel (.whl) files. If a local path or file:// URL that's a directory, then look for archives in the directory listing. Links to VCS project URLs are not supported.",
    helpGroup: 'PACKAGE INDEX',
  }),
  'index-strategy': Flags.string({
    helpValue: '<strategy>',
    options: ['first-index', 'unsafe-best-match'],
    description: 'How to use several indexes: first-index (default) takes every version of a project from the first index that has it (extra indexes first); unsafe-best-match takes the best version across all indexes, as pip does.',
    helpGroup: 'PACKAGE INDEX',
  }),
} as const

/** Network options (pip's general options that shape requests). */
export const networkOptions = {
  proxy: generalOptions.proxy,
  retries: generalOptions.retries,
  timeout: generalOptions.timeout,
  'trusted-host': generalOptions['trusted-host'],
  cert: generalOptions.cert,
  'client-cert': generalOptions['client-cert'],
} as const

/** Which distributions may be chosen. */
export const selectionOptions = {
  pre: Flags.boolean({
    description: 'Include pre-release and development versions. By default, pip only finds stable versions.',
  }),
  'prefer-binary': Flags.boolean({
    description: 'Prefer binary packages over source packages, even if the source packages are newer.',
  }),
  'ignore-requires-python': Flags.boolean({
    description: 'Ignore the Requires-Python information.',
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

function optionError(message: string, hint: string): PipetteError {
  return new PipetteError('ERR_INVALID_OPTION', message, { hint })
}

/** Gathers the index, network and selection options (already fed by the command line, `PIP_*` and pip.conf) with pip's defaults. */
export function resolveIndexOptions(flags: Values<typeof indexOptions & typeof networkOptions & typeof selectionOptions>): IndexOptions {
  const str = (name: string) => (typeof flags[name as keyof typeof flags] === 'string' ? (flags[name as keyof typeof flags] as string) : undefined)
  const num = (name: string, fallback: number) => (typeof flags[name as keyof typeof flags] === 'number' ? (flags[name as keyof typeof flags] as number) : fallback)
  const list = (name: string) => {
    const value = flags[name as keyof typeof flags]
    return Array.isArray(value) ? (value as string[]) : []
  }
  const bool = (name: string) => flags[name as keyof typeof flags] === true
  const strategy = str('index-strategy') ?? 'first-index'
  if (strategy !== 'first-index' && strategy !== 'unsafe-best-match') {
    throw optionError(`invalid --index-strategy value: '${strategy}'`, 'use first-index or unsafe-best-match, example: --index-strategy unsafe-best-match')
  }
  return {
    indexUrl: str('index-url') ?? DEFAULT_INDEX_URL,
    extraIndexUrls: list('extra-index-url'),
    noIndex: bool('no-index'),
    findLinks: list('find-links'),
    indexStrategy: strategy,
    proxy: str('proxy') || undefined,
    retries: num('retries', 5),
    timeout: num('timeout', 15),
    trustedHosts: list('trusted-host'),
    cert: str('cert'),
    clientCert: str('client-cert'),
    pre: bool('pre'),
    preferBinary: bool('prefer-binary'),
    ignoreRequiresPython: bool('ignore-requires-python'),
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
