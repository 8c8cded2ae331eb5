/**
 * What the commands that read indexes share: the target interpreter's tags
 * and version, the cache (HTTP cache, wheel store, the index bucket that
 * remembers servers refusing ranges), and an index session built from the
 * resolved options. Everything heavy is imported lazily.
 */
import { PipetteError } from '@pipette/errors'
import type { DownloadRequest, IndexSession } from '@pipette/index'
import type { Version } from '@pipette/pep440'
import type { InterpreterInfo } from '@pipette/venv'
import type { IndexOptions } from './options/index-options.js'
import type { CacheFlags } from './options/cache.js'
import { cacheSettings } from './options/cache.js'
import { resolveTarget } from './context.js'

export interface IndexCommandFlags extends CacheFlags {
  readonly python?: string | undefined
  /** The interpreter, when the command already asked for it. */
  readonly interpreter?: InterpreterInfo | undefined
}

export interface OpenedIndex {
  readonly session: IndexSession<Version>
  readonly store: import('@pipette/cache').WheelStore | undefined
  readonly close: () => Promise<void>
}

/** Opens the cache and an index session for a command (`argv`: the raw arguments, for pip's cache flag order). */
export async function openIndex(options: IndexOptions, flags: IndexCommandFlags, argv: readonly string[], warn: (message: string) => void): Promise<OpenedIndex> {
  const settings = await cacheSettings(flags, argv)
  // The wheel package's tag modules alone (the whole package would load the installer's modules too).
  const [{ openIndexSession, openRangeMemoryFile, pep440Versions }, { interpreterTags }, { tagToString }, { openCache }, info] = await Promise.all([
    import('@pipette/index'),
    import('@pipette/wheel/interpreter'),
    import('@pipette/wheel/tags'),
    import('@pipette/cache'),
    flags.interpreter ?? resolveTarget(flags, { cacheDir: settings.dir }).then((target) => target.info),
  ])
  const cache = await openCache(settings)
  const ranges = cache.enabled ? await openRangeMemoryFile(`${cache.bucketDir('index-v1')}/no-range-origins.json`) : undefined
  const session = await openIndexSession({
    ...options,
    target: { pythonVersion: info.version, supportedTags: interpreterTags(info).map(tagToString) },
    versions: pep440Versions,
    cache: cache.enabled ? cache.http : undefined,
    ranges,
    warn,
    onHttpEvent: (event) => {
      // pip warns about every retry; so does pipette (URLs are credential-free here).
      if (event.type === 'retry') warn(`Retrying (${event.attempt}/${options.retries}) after ${event.reason}${event.delayMs > 0 ? `, in ${event.delayMs / 1000} s` : ''}: ${event.url}`)
      if (event.type === 'cache-error') warn(`Could not store ${event.url} in the cache: ${event.reason}`)
    },
  })
  return {
    session,
    store: cache.enabled ? cache.wheels : undefined,
    close: async () => {
      await session.close()
      await cache.close()
    },
  }
}

export interface ReadRequestsOptions {
  /** Requirement specifiers from the command line. */
  readonly args: readonly string[]
  /** `-r` files (paths or URLs). */
  readonly files: readonly string[]
  readonly options: IndexOptions
  /** The target interpreter, for environment markers. */
  readonly interpreter: InterpreterInfo
  readonly env?: NodeJS.ProcessEnv | undefined
  /** Called for requirements whose markers do not match (pip's "Ignoring ..."). */
  readonly ignored?: ((name: string, marker: string) => void) | undefined
}

/**
 * The named requirements of the command line and of `-r` files, and the
 * index options after the files' own options (`--index-url`,
 * `--extra-index-url`, `--find-links`, `--no-index`, `--pre`,
 * `--prefer-binary`, `--trusted-host`), as pip applies them.
 */
export async function readRequests(options: ReadRequestsOptions): Promise<{ readonly requests: DownloadRequest[]; readonly options: IndexOptions }> {
  const [{ parseRequirement, parseRequirementsFile, markerEnvironment }, { createHttpClient }] = await Promise.all([import('@pipette/requirements'), import('@pipette/index')])
  const environment = markerEnvironment(options.interpreter)
  const requests: DownloadRequest[] = []
  let merged: IndexOptions = options.options
  const add = (requirement: import('@pipette/requirements').Requirement, text: string) => {
    if (requirement.url !== null) {
      throw new PipetteError('ERR_UNSUPPORTED_REQUIREMENT', `${text}: direct URL requirements are not supported by pipette download yet`, {
        hint: 'name the project and let the index provide it, example: requests==2.32.3',
      })
    }
    if (requirement.marker !== null && !requirement.marker.evaluate(environment)) {
      options.ignored?.(requirement.name, requirement.marker.toString())
      return
    }
    requests.push({ name: requirement.name, specifier: requirement.specifier.toString(), text })
  }
  for (const arg of options.args) add(parseRequirement(arg), arg)
  if (options.files.length > 0) {
    const http = createHttpClient({
      retries: merged.retries,
      timeout: merged.timeout,
      network: { proxy: merged.proxy, cert: merged.cert, clientCert: merged.clientCert, trustedHosts: merged.trustedHosts, env: options.env },
    })
    try {
      for (const file of options.files) {
        const entries = await parseRequirementsFile(file, {
          env: options.env,
          fetch: async (url) => {
            const response = await http.get(url)
            return { url: response.url, body: response.body }
          },
        })
        for (const entry of entries) {
          if (entry.kind === 'option') merged = applyFileOption(merged, entry.option)
          else if (entry.kind === 'requirement') {
            if (entry.requirement === null || entry.link !== null) {
              throw new PipetteError('ERR_UNSUPPORTED_REQUIREMENT', `${entry.text}: path and URL requirements are not supported by pipette download yet`, {
                hint: 'name the project and let the index (or --find-links) provide it, example: requests==2.32.3',
              })
            }
            const marker = entry.requirement.marker ?? entry.marker
            if (marker !== null && !marker.evaluate(environment)) {
              options.ignored?.(entry.requirement.name, marker.toString())
              continue
            }
            add(entry.requirement, entry.text)
          } else {
            throw new PipetteError('ERR_UNSUPPORTED_REQUIREMENT', `${entry.text}: editable requirements cannot be downloaded`, { hint: 'remove the -e line or download the project by name' })
          }
        }
      }
    } finally {
      await http.close()
    }
  }
  return { requests, options: merged }
}

function applyFileOption(options: IndexOptions, option: import('@pipette/requirements').GlobalOption): IndexOptions {
  switch (option.name) {
    case 'index-url':
      return { ...options, indexUrl: option.value }
    case 'extra-index-url':
      return { ...options, extraIndexUrls: [...options.extraIndexUrls, option.value] }
    case 'find-links':
      return { ...options, findLinks: [...options.findLinks, option.value] }
    case 'trusted-host':
      return { ...options, trustedHosts: [...options.trustedHosts, option.value] }
    case 'no-index':
      return { ...options, noIndex: true }
    case 'pre':
      return { ...options, pre: true }
    case 'prefer-binary':
      return { ...options, preferBinary: true }
    default:
      return options
  }
}
