import { Args, Flags } from '@oclif/core'

/**
 * `pipette install` (pip's install options that apply to local wheel files).
 * Names, defaults and environment variables are pip's: `PIP_<DEST>`.
 */
export const installOptions = {
  'no-deps': Flags.boolean({
    description: "Don't install package dependencies.",
    env: 'PIP_NO_DEPS',
  }),
  compile: Flags.boolean({
    description: 'Compile Python source files to bytecode (the default; --no-compile turns it off).',
    default: true,
    allowNo: true,
    env: 'PIP_COMPILE',
  }),
  'force-reinstall': Flags.boolean({
    description: 'Reinstall all packages even if they are already up-to-date.',
    env: 'PIP_FORCE_REINSTALL',
  }),
  upgrade: Flags.boolean({
    char: 'U',
    description: 'Upgrade all specified packages to the newest available version. With --target, replace existing entries.',
    env: 'PIP_UPGRADE',
  }),
  target: Flags.string({
    char: 't',
    description: 'Install packages into <dir>. By default this will not replace existing files/folders in <dir>. Use --upgrade to replace existing packages in <dir> with new versions.',
    helpValue: '<dir>',
    env: 'PIP_TARGET',
    exclusive: ['prefix'],
  }),
  prefix: Flags.string({
    description: "Installation prefix where lib, bin and other top-level folders are placed. Note that the resulting installation may contain scripts and other resources which reference the Python interpreter of pipette, and not that of ``--prefix``.",
    helpValue: '<dir>',
    env: 'PIP_PREFIX',
  }),
  'warn-script-location': Flags.boolean({
    description: 'Warn when installing scripts outside PATH (the default; --no-warn-script-location turns it off).',
    default: true,
    allowNo: true,
    env: 'PIP_WARN_SCRIPT_LOCATION',
  }),
  'root-user-action': Flags.string({
    description: 'Action if pipette is run as a root user [warn, ignore] (default: warn).',
    options: ['warn', 'ignore'],
    default: 'warn',
    env: 'PIP_ROOT_USER_ACTION',
  }),
} as const

export const installArgs = {
  wheels: Args.string({ description: "Requirements to install: names with versions ('requests>=2.31'), wheel files (path/to/x.whl), name @ URL.", required: false }),
} as const
