import { Flags } from '@oclif/core'
import { withPip } from './specs.js'

/**
 * `pipette install` options for requirements resolved from indexes (pip's
 * names and defaults; `PIP_<NAME>` and pip.conf feed them through layer.ts). The index and network
 * options are in index-options.ts, the wheel-install options in install.ts.
 */
export const requirementOptions = {
  requirement: Flags.string({
    char: 'r',
    helpValue: '<file>',
    multiple: true,
    multipleNonGreedy: true,
    description: 'Install from the given requirements file. This option can be used multiple times.',
  }),
  constraint: Flags.string({
    char: 'c',
    helpValue: '<file>',
    multiple: true,
    multipleNonGreedy: true,
    description: 'Constrain versions using the given constraints file. This option can be used multiple times.',
  }),
} as const

export const resolveOptions = {
  'dry-run': Flags.boolean({
    description: "Don't actually install anything, just print what would be. Can be used in combination with --ignore-installed to 'resolve' the requirements.",
  }),
  report: Flags.string({
    helpValue: '<file>',
    description: "Generate a JSON file describing what pipette did to install the provided requirements. Can be used in combination with --dry-run and --ignore-installed to 'resolve' the requirements. When - is used as file name it writes to stdout.",
  }),
  'upgrade-strategy': Flags.string({
    helpValue: '<upgrade_strategy>',
    options: ['only-if-needed', 'eager'],
    default: 'only-if-needed',
    description:
      'Determines how dependency upgrading should be handled [default: only-if-needed]. "eager" - dependencies are upgraded regardless of whether the currently installed version satisfies the requirements of the upgraded package(s). "only-if-needed" - are upgraded only when they do not satisfy the requirements of the upgraded package(s).',
  }),
  'ignore-installed': Flags.boolean({
    char: 'I',
    description: 'Ignore the installed packages, overwriting them. This can break your system if the existing package is of a different version or was installed with a different package manager!',
  }),
  'only-binary': withPip(
    Flags.string({
    helpValue: '<format_control>',
    multiple: true,
    multipleNonGreedy: true,
    description:
      'Do not use source packages. Can be supplied multiple times, and each time adds to the existing value. Accepts either ":all:" to disable all source packages, ":none:" to empty the set, or one or more package names with commas between them.',
  }),
    { action: 'append_raw' },
  ),
  'no-binary': withPip(
    Flags.string({
    helpValue: '<format_control>',
    multiple: true,
    multipleNonGreedy: true,
    description:
      'Do not use binary packages. Can be supplied multiple times, and each time adds to the existing value. Accepts either ":all:" to disable all binary packages, ":none:" to empty the set, or one or more package names with commas between them. pipette builds a source package only when it needs no build requirements.',
  }),
    { action: 'append_raw' },
  ),
  'require-hashes': Flags.boolean({
    description: 'Require a hash to check each requirement against, for repeatable installs. This option is implied when any package in a requirements file has a --hash option.',
  }),
  'python-version': Flags.string({
    helpValue: '<python_version>',
    description: 'The Python interpreter version to resolve for (for example 3.12 or 3.12.1): Requires-Python, environment markers and wheel tags follow it. Use it with --dry-run (or --target): what is installed must run on the interpreter of --python.',
  }),
} as const
