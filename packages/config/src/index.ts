export { parseIni, iniItems, setIniOption, removeIniOption, formatIni, IniSyntaxError, EMPTY_INI, DEFAULT_SECTION } from './ini.js'
export type { IniFile } from './ini.js'
export { strtobool, pythonInt, pythonFloat, optparseInt, expandUser } from './values.js'
export { pyRepr, pyStrip, pySplit } from './python-text.js'
export { OptionError, ConfigCommandError } from './errors.js'
export type { OptionErrorKind } from './errors.js'
export { configDefaults, parseCommandLine } from './options.js'
export type { OptionSpec, OptionAction, OptionType, OptionValue, OptionValues, OrderedValue, ConfigDefaultsInput, ParseCommandLineInput, ParsedCommandLine } from './options.js'
export {
  configurationFiles,
  loadConfiguration,
  configurationItems,
  configSource,
  configGet,
  configSet,
  configUnset,
  fileToEdit,
  configFileVariant,
  environVars,
  normalizeName,
  readConfigFile,
  pathExists,
  OVERRIDE_ORDER,
  CONFIG_BASENAME,
} from './configuration.js'
export type { FileVariantInput, Variant, FileVariant, Configuration, LoadedFile, LoadConfigurationInput, ConfigLocationsInput, ConfigChange, Environment } from './configuration.js'
export { configListLines, configDebugLines } from './report.js'
export { saveConfigFile } from './save.js'
export { findTargetPrefix } from './site.js'
export type { TargetPrefix, TargetPrefixInput } from './site.js'
export { closeMatches } from './close-matches.js'
