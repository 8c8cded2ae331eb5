import { Args, Flags } from '@oclif/core'
import { withPip } from './specs.js'

/**
 * `pipette install` (pip's install options that apply to local wheel files).
 * Names and defaults are pip's; `PIP_<NAME>` and pip.conf feed them (layer.ts).
 */
export const installOptions = {
  'no-deps': Flags.boolean({
    description: "Don't install package dependencies.",
  }),
  compile: Flags.boolean({
    description: 'Compile Python source files to bytecode (the default; --no-compile turns it off).',
    default: true,
    allowNo: true,
  }),
  'force-reinstall': Flags.boolean({
    description: 'Reinstall all packages even if they are already up-to-date.',
  }),
  upgrade: Flags.boolean({
    char: 'U',
    description: 'Upgrade all specified packages to the newest available version. With --target, replace existing entries.',
  }),
  target: withPip(Flags.string({
    char: 't',
    description: 'Install packages into <dir>. By default this will not replace existing files/folders in <dir>. Use --upgrade to replace existing packages in <dir> with new versions.',
    helpValue: '<dir>',
    exclusive: ['prefix'],
  }), { type: 'path' }),
  prefix: withPip(Flags.string({
    description: "Installation prefix where lib, bin and other top-level folders are placed. Note that the resulting installation may contain scripts and other resources which reference the Python interpreter of pipette, and not that of ``--prefix``.",
    helpValue: '<dir>',
  }), { type: 'path' }),
  'warn-script-location': Flags.boolean({
    description: 'Warn when installing scripts outside PATH (the default; --no-warn-script-location turns it off).',
    default: true,
    allowNo: true,
  }),
  'root-user-action': Flags.string({
    description: 'Action if pipette is run as a root user [warn, ignore] (default: warn).',
    options: ['warn', 'ignore'],
    default: 'warn',
  }),
} as const

export const installArgs = {
  wheels: Args.string({ description: "Requirements to install: names with versions ('requests>=2.31'), wheel files (path/to/x.whl), name @ URL.", required: false }),
} as const
