/**
 * Every pipette option is declared once, in this directory, with pip's flag
 * name, default and type (pip's `dest` is the flag name). Commands pick the
 * options they take from here. The configuration layer (layer.ts over
 * @pipette/config) gives every declared option its value from the command
 * line, `PIP_<NAME>` variables and pip.conf files, with pip's precedence and
 * semantics; pip's general options (general.ts) are accepted by every command.
 */
export { generalOptions } from './general-flags.js'
export { GENERAL_OPTIONS, IGNORE_REQUIRE_VIRTUALENV } from './general.js'
export { specsFromFlags, withPip } from './specs.js'
export type { FlagDeclaration, PipFlagMeta } from './specs.js'
export { configOptions, configArguments, loadConfigurationFor, CONFIG_ACTIONS } from './config.js'
export type { ConfigAction, ConfigCommandFlags } from './config.js'
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
