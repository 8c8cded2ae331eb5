/**
 * Every pipette option is declared once, here, with pip's flag name and pip's
 * destination name (`dest`). Commands pick the options they take from this
 * registry; the configuration layer (pip.conf, PIP_* environment variables)
 * maps `PIP_<DEST>` and `[section] dest = value` onto the same definitions, so
 * every option can be fed from every source the way pip does it.
 */
import { Flags } from '@oclif/core'

/** Options every command takes (pip's "General Options"). */
export const generalOptions = {
  python: Flags.string({
    description: 'Run against this Python: a path, a name on PATH (python3.12) or a virtual environment directory.',
    helpGroup: 'GENERAL',
    env: 'PIP_PYTHON',
  }),
  verbose: Flags.boolean({
    char: 'v',
    description: 'Give more output.',
    helpGroup: 'GENERAL',
  }),
  quiet: Flags.boolean({
    char: 'q',
    description: 'Give less output.',
    helpGroup: 'GENERAL',
  }),
  'no-color': Flags.boolean({
    description: 'Suppress colored output.',
    helpGroup: 'GENERAL',
  }),
} as const
export {
  venvOptions,
  venvArgs,
  environmentSelectionOptions,
  excludeOption,
  excludeEditableOption,
  listOptions,
  freezeOptions,
  showOptions,
  uninstallOptions,
} from './venv.js'

export {
  cacheDirOptions,
  cacheListOptions,
  cacheOptions,
  cacheSettings,
  hashOptions,
  refreshOptions,
  rejectExtraArguments,
  requireCacheDir,
} from './cache.js'
export type { CacheFlags, CacheSettings } from './cache.js'
export { installOptions, installArgs } from './install.js'
export { indexOptions, networkOptions, selectionOptions, resolveIndexOptions, lookingIn, DEFAULT_INDEX_URL } from './index-options.js'
export type { IndexOptions } from './index-options.js'
export { requirementOptions, resolveOptions } from './resolve.js'
