import { Args, Flags } from '@oclif/core'

/** `pipette venv` (the options of `python -m venv` that apply without pip). */
export const venvOptions = {
  prompt: Flags.string({
    description: 'Provides an alternative prompt prefix for this environment ("." means the current directory\'s name).',
  }),
  'system-site-packages': Flags.boolean({
    description: 'Give the virtual environment access to the system site-packages dir.',
  }),
  clear: Flags.boolean({
    description: 'Delete the contents of the environment directory if it already exists, before environment creation.',
  }),
} as const

export const venvArgs = {
  dir: Args.string({ description: 'The directory to create the environment in.', default: '.venv', required: false }),
} as const

/** pip's `--local`, `--user` and `--path` of list, freeze and inspect. */
export const environmentSelectionOptions = {
  local: Flags.boolean({
    char: 'l',
    description: 'If in a virtualenv that has global access, do not list globally-installed packages.',
  }),
  user: Flags.boolean({ description: 'Only output packages installed in user-site.' }),
  path: Flags.string({
    description: 'Restrict to the specified installation path for listing packages (can be used multiple times).',
    multiple: true,
  }),
} as const

/** pip's `--exclude` (list, freeze). */
export const excludeOption = {
  exclude: Flags.string({ description: 'Exclude specified package from the output', multiple: true, helpValue: 'package' }),
} as const

/** pip's `--exclude-editable` (list, freeze). */
export const excludeEditableOption = {
  'exclude-editable': Flags.boolean({ description: 'Exclude editable package from output.' }),
} as const

/** `pipette list`. */
export const listOptions = {
  outdated: Flags.boolean({ char: 'o', description: 'List outdated packages' }),
  uptodate: Flags.boolean({ char: 'u', description: 'List uptodate packages' }),
  editable: Flags.boolean({ char: 'e', description: 'List editable projects.' }),
  pre: Flags.boolean({ description: 'Include pre-release and development versions. By default, pip only finds stable versions.' }),
  format: Flags.string({
    description: "Select the output format among: columns (default), freeze, or json. The 'freeze' format cannot be used with the --outdated option.",
    options: ['columns', 'freeze', 'json'],
    default: 'columns',
  }),
  'not-required': Flags.boolean({ description: 'List packages that are not dependencies of installed packages.' }),
  'include-editable': Flags.boolean({ description: 'Include editable package in output.' }),
} as const

/** `pipette freeze`. */
export const freezeOptions = {
  all: Flags.boolean({ description: 'Do not skip these packages in the output: pip (and setuptools, distribute, wheel before Python 3.12)' }),
} as const

/** `pipette show`. */
export const showOptions = {
  files: Flags.boolean({ char: 'f', description: 'Show the full list of installed files for each package.' }),
} as const

/** `pipette uninstall`. */
export const uninstallOptions = {
  requirement: Flags.string({
    char: 'r',
    description: 'Uninstall all the packages listed in the given requirements file.  This option can be used multiple times.',
    multiple: true,
    helpValue: 'file',
  }),
  yes: Flags.boolean({ char: 'y', description: "Don't ask for confirmation of uninstall deletions." }),
  'break-system-packages': Flags.boolean({
    description: 'Allow pip to modify an EXTERNALLY-MANAGED Python installation',
  }),
} as const
