/**
 * `pipette install` for requirements (names, `-r`, `-c`, URLs): turns the
 * parsed flags into @pipette/installer's options, runs the pipeline and
 * prints pip's lines. The command (commands/install.ts) decides when this
 * path runs; nothing here decides packaging questions.
 */
import { writeFile } from 'node:fs/promises'
import { PipetteError } from '@pipette/errors'
import type { InterpreterInfo } from '@pipette/venv'
import { createPrinter, displayPath } from './install-output.js'
import type { IndexOptions } from './options/index-options.js'
import { lookingIn } from './options/index-options.js'
import type { CacheFlags, CacheSettings } from './options/cache.js'
import { orderedOptions } from './options/layer.js'

export interface IndexInstallFlags extends CacheFlags {
  readonly requirement?: readonly string[] | undefined
  readonly constraint?: readonly string[] | undefined
  readonly 'dry-run'?: boolean | undefined
  readonly report?: string | undefined
  readonly 'upgrade-strategy'?: string | undefined
  readonly 'ignore-installed'?: boolean | undefined
  readonly 'require-hashes'?: boolean | undefined
  readonly 'python-version'?: string | undefined
  readonly 'no-deps'?: boolean | undefined
  readonly compile?: boolean | undefined
  readonly 'warn-script-location'?: boolean | undefined
  readonly 'force-reinstall'?: boolean | undefined
  readonly upgrade?: boolean | undefined
  readonly target?: string | undefined
  readonly prefix?: string | undefined
  readonly quiet?: boolean | undefined
  readonly verbose?: boolean | undefined
}

export interface IndexInstallIo {
  readonly log: (line: string) => void
  readonly logToStderr: (line: string) => void
}

interface RunArgs {
  readonly io: IndexInstallIo
  readonly flags: IndexInstallFlags
  readonly argv: readonly string[]
  readonly rawArgv: readonly string[]
  readonly cache: CacheSettings
  readonly index: IndexOptions
  readonly interpreter: InterpreterInfo
  readonly env: NodeJS.ProcessEnv
}

/** The resolution options every index command shares, from the flags. */
function resolveRequestOptions(args: RunArgs) {
  const { flags, env } = args
  return {
    interpreter: args.interpreter,
    args: args.argv,
    requirementFiles: flags.requirement,
    constraintFiles: flags.constraint,
    index: {
      indexUrl: args.index.indexUrl,
      extraIndexUrls: args.index.extraIndexUrls,
      noIndex: args.index.noIndex,
      findLinks: args.index.findLinks,
      indexStrategy: args.index.indexStrategy,
      trustedHosts: args.index.trustedHosts,
      retries: args.index.retries,
      timeout: args.index.timeout,
      proxy: args.index.proxy,
      cert: args.index.cert,
      clientCert: args.index.clientCert,
    },
    pre: args.index.pre,
    preferBinary: args.index.preferBinary,
    ignoreRequiresPython: args.index.ignoreRequiresPython,
    // --only-binary / --no-binary from pip.conf, PIP_* and the command line, in the order pip applies them.
    formatOptions: orderedOptions(flags).map(({ dest, value }) => ({ kind: dest as 'only-binary' | 'no-binary', value })),
    requireHashes: flags['require-hashes'],
    noDeps: flags['no-deps'],
    pythonVersion: flags['python-version'],
    env,
  }
}

/** `pipette download` with dependencies (see @pipette/installer's `download`). */
export async function runIndexDownload(args: RunArgs & { readonly dest: string }): Promise<void> {
  const { io, flags } = args
  const quiet = flags.quiet === true
  const out = (line: string) => {
    if (!quiet) io.log(line)
  }
  const [{ download }, { openCache }] = await Promise.all([import('@pipette/installer'), import('@pipette/cache')])
  const cache = await openCache(args.cache)
  const printer = createPrinter({ out, err: io.logToStderr, quiet, verbose: flags.verbose === true, tty: process.stdout.isTTY ? process.stdout : undefined, dryRun: true })
  try {
    for (const line of lookingIn(args.index)) out(line)
    const result = await download({
      ...resolveRequestOptions(args),
      cache,
      dest: args.dest,
      onEvent: (event) => {
        if (event.kind === 'saved') return out(`Saved ${displayPath(event.path)}`)
        if (event.kind === 'already-downloaded') return out(`File was already downloaded ${event.path}`)
        return printer.onEvent(event)
      },
    })
    printer.stop()
    if (result.saved.length > 0) out(`Successfully downloaded ${result.saved.map((s) => s.item.displayName).join(' ')}`)
  } finally {
    printer.stop()
    await cache.close()
  }
}

export async function runIndexInstall(args: RunArgs): Promise<void> {
  const { io, flags } = args
  const quiet = flags.quiet === true
  const dryRun = flags['dry-run'] === true
  if (flags['python-version'] !== undefined && !dryRun && flags.target === undefined) {
    throw new PipetteError('ERR_INVALID_OPTION', "Can not use any platform or abi specific options unless installing via '--target' or using '--dry-run'", {
      hint: 'add --dry-run to see what would be installed for that Python, example: pipette install --dry-run --python-version 3.12 requests',
    })
  }
  const strategy = flags['upgrade-strategy']
  if (strategy !== undefined && strategy !== 'only-if-needed' && strategy !== 'eager') {
    throw new PipetteError('ERR_INVALID_OPTION', `invalid --upgrade-strategy value: '${strategy}'`, { hint: 'use only-if-needed or eager, example: --upgrade-strategy eager' })
  }
  const reportToStdout = flags.report === '-'
  const [{ install, formatReport }, { openCache }, { resolve: resolvePath }] = await Promise.all([import('@pipette/installer'), import('@pipette/cache'), import('node:path')])
  const cache = await openCache(args.cache)
  const out = (line: string) => {
    if (!quiet && !reportToStdout) io.log(line)
  }
  const printer = createPrinter({
    out,
    err: io.logToStderr,
    quiet: quiet || reportToStdout,
    verbose: flags.verbose === true,
    tty: process.stdout.isTTY && !reportToStdout ? process.stdout : undefined,
    dryRun,
  })
  try {
    for (const line of lookingIn(args.index)) out(line)
    const result = await install({
      ...resolveRequestOptions(args),
      upgrade: flags.upgrade,
      upgradeStrategy: strategy as 'only-if-needed' | 'eager' | undefined,
      forceReinstall: flags['force-reinstall'],
      ignoreInstalled: flags['ignore-installed'],
      target: flags.target === undefined ? undefined : resolvePath(flags.target),
      prefix: flags.prefix === undefined ? undefined : resolvePath(flags.prefix),
      dryRun,
      compile: flags.compile !== false,
      warnScriptLocation: flags['warn-script-location'] !== false,
      cache,
      onEvent: printer.onEvent,
    })
    printer.stop()
    if (dryRun) {
      if (result.installed.length > 0) out(`Would install ${result.installed.map((d) => `${d.name}-${d.version}`).join(' ')}`)
    } else if (result.installed.length > 0) {
      out(`Successfully installed ${result.installed.map((d) => `${d.name}-${d.version}`).join(' ')}`)
    }
    if (flags.report !== undefined) {
      const text = formatReport(result.report)
      if (reportToStdout) io.log(text)
      else await writeFile(flags.report, text, 'utf8')
    }
  } finally {
    printer.stop()
    await cache.close()
  }
}
