export { findInterpreter, environmentExecutable } from './find-interpreter.js'
export type { FindInterpreterOptions, FoundInterpreter } from './find-interpreter.js'
export { queryInterpreter, defaultCacheDir } from './query-interpreter.js'
export type { QueryInterpreterOptions } from './query-interpreter.js'
export type { InterpreterInfo, MarkerEnvironment, SchemePaths, ElfInfo } from './interpreter-info.js'
export { installScheme, venvScheme } from './scheme.js'
export type { InstallSchemeOptions } from './scheme.js'
export { parseElf, parseMuslVersion } from './elf.js'
export { VenvError } from './errors.js'
export { createVenv } from './create-venv.js'
export type { CreateVenvOptions, CreatedVenv } from './create-venv.js'
export { parseCoreMetadata, metadataGet, metadataGetAll, metadataToJson } from './core-metadata.js'
export type { CoreMetadata } from './core-metadata.js'
export { scanEnvironment, installedDistributions, findDistribution, readDistText, parseDirectUrl, STDLIB_PACKAGES } from './distributions.js'
export type { InstalledDistribution, EnvironmentScan, ScanOptions, InstalledFilter, DirectUrl } from './distributions.js'
export { parseRecord, parseCsvLine, normalizePosixPath } from './record.js'
export type { RecordRow } from './record.js'
export { parseEntryPoints } from './entry-points.js'
export type { EntryPoint } from './entry-points.js'
export { planUninstall, uninstall, compactPaths, compressForRename, compressForOutputListing, pySorted } from './uninstall.js'
export type { UninstallPlan, UninstallResult, UninstallOptions } from './uninstall.js'
export {
  listPackages,
  freezeLines,
  showInfo,
  declaredFiles,
  inspectReport,
  directReference,
  directUrlToDict,
  distributionVersion,
  nameEqualsVersion,
  freezeHiddenPackages,
  wheelBuildTag,
} from './reports.js'
export type { ListOptions, ListEntry, FreezeOptions, ShowInfo, InspectOptions } from './reports.js'
export { pythonJson, tabulate, formatColumns } from './format.js'
export type { PythonJsonOptions } from './format.js'
export { collectUninstallRequests } from './requirement-names.js'
export { pythonRepr, shlexQuote } from './quote.js'
export { externallyManagedError } from './externally-managed.js'
export { distributionDependencies, showDependencies, requiredNames, checkEnvironment } from './dependencies.js'
export type { CheckOptions, CheckResult } from './dependencies.js'
