export { seededRandom } from './random.js'
export { readCaseTable } from './table.js'
