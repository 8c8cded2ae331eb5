import { readFileSync } from 'node:fs'

/**
 * Reads a case table (node-semver style): one case per line, columns
 * separated by tabs, `#` lines are comments (the first names the columns). A
 * column in double quotes is a JSON string, for whitespace and escapes.
 */
export function readCaseTable(file: URL | string): string[][] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split('\t').map((column) => (column.startsWith('"') ? (JSON.parse(column) as string) : column)))
}
