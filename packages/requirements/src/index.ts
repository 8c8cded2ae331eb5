export { canonicalizeName, isValidName, isNormalizedName, normalizeExtra } from './names.js'
export type { NormalizedName } from './names.js'
