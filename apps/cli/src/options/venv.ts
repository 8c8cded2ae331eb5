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
