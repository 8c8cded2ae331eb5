import { Flags } from '@oclif/core'

/** `pipette config` (pip's file options and `--editor`); every `config` action takes them all, as pip's one command does. */
export const configOptions = {
  editor: Flags.string({
    description: 'Editor to use to edit the file. Uses VISUAL or EDITOR environment variables if not provided.',
    helpValue: '<editor>',
  }),
  global: Flags.boolean({ description: 'Use the system-wide configuration file only' }),
  user: Flags.boolean({ description: 'Use the user configuration file only' }),
  site: Flags.boolean({ description: 'Use the current environment configuration file only' }),
} as const

/** The actions of `pipette config`, as pip lists them. */
export const CONFIG_ACTIONS = ['debug', 'edit', 'get', 'list', 'set', 'unset'] as const
export type ConfigAction = (typeof CONFIG_ACTIONS)[number]

export interface ConfigCommandFlags {
  readonly global?: boolean | undefined
  readonly user?: boolean | undefined
  readonly site?: boolean | undefined
  readonly isolated?: boolean | undefined
  readonly python?: string | undefined
}

/**
 * The configuration `pipette config <action>` works on (pip's
 * `_determine_file` then `Configuration(isolated, load_only).load()`). The
 * site file is `pip.conf` in `sys.prefix` of the target environment: found
 * without Python when it is a virtual environment, else by asking the
 * interpreter (cached), as this command wants the true answer.
 */
export async function loadConfigurationFor(action: ConfigAction, flags: ConfigCommandFlags): Promise<import('@pipette/config').Configuration> {
  const { configFileVariant, configurationFiles, findTargetPrefix, loadConfiguration } = await import('@pipette/config')
  const { homedir } = await import('node:os')
  const env = process.env
  const home = homedir()
  let sitePrefix = findTargetPrefix({ python: flags.python, env, cwd: process.cwd() }).prefix
  if (sitePrefix === null) {
    try {
      const { findInterpreter, queryInterpreter } = await import('@pipette/venv')
      sitePrefix = (await queryInterpreter((await findInterpreter({ python: flags.python })).executable)).prefix
    } catch {
      sitePrefix = null
    }
  }
  const loadOnly = configFileVariant({
    user: flags.user === true,
    global: flags.global === true,
    site: flags.site === true,
    needValue: action === 'get' || action === 'set' || action === 'unset' || action === 'edit',
    siteFiles: configurationFiles({ env, home, sitePrefix }).site,
  })
  return loadConfiguration({ env, home, sitePrefix, isolated: flags.isolated === true, loadOnly })
}

/** pip config's check of the number of arguments of an action. */
export async function configArguments(args: readonly unknown[], count: number, example: string): Promise<string[]> {
  if (args.length !== count) {
    const { ConfigCommandError } = await import('@pipette/config')
    throw new ConfigCommandError(`Got unexpected number of arguments, expected ${count}. (example: "pipette config ${example}")`, `For example: pipette config ${example.replace('[name]', 'global.timeout').replace('[value]', '60')}`)
  }
  return args.map(String)
}
