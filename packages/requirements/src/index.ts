export { canonicalizeName, isValidName, isNormalizedName, normalizeExtra } from './names.js'
export type { NormalizedName } from './names.js'
export { InvalidRequirementError, InvalidMarkerError, MarkerEvaluationError } from './errors.js'
export type { Span, MarkerEvaluationReason } from './errors.js'
export { Requirement, parseRequirement } from './requirement.js'
export { Marker, parseMarker } from './marker.js'
export type { MarkerEnvironment, MarkerEnvironmentInput, EvaluateOptions, MarkerOperator } from './marker.js'
export { markerEnvironment, MARKER_VARIABLES } from './environment.js'
export type { InterpreterMarkerSource, MarkerVariable } from './environment.js'
export { parseRequirementsFile, RequirementsFileError, nodeFileSystem } from './requirements-file.js'
export type {
  RequirementsFileEntry,
  RequirementEntry,
  EditableEntry,
  OptionEntry,
  GlobalOption,
  ParseRequirementsFileOptions,
  RequirementsFileSystem,
  FetchedFile,
} from './requirements-file.js'
export { parseRequirementLine, parseEditable, isUrl, pathToUrl, RequirementLineFailure } from './requirement-line.js'
export type { RequirementTarget, EditableTarget, LinkKind, StatKind, LineOptions } from './requirement-line.js'
export { parsePyproject, resolveDependencyGroup, PyprojectError } from './pyproject.js'
export type { Pyproject, BuildSystem, ProjectMetadata, DependencyGroupItem } from './pyproject.js'
export { parseScriptMetadata, findMetadataBlocks } from './script-metadata.js'
export type { ScriptMetadata, MetadataBlock } from './script-metadata.js'
