export { PipetteError, isPipetteError } from './pipette-error.js'
export type { PipetteErrorOptions } from './pipette-error.js'
export { redactUrl, redactText } from './redact.js'
