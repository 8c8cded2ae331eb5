import { readFileSync } from 'node:fs'

/**
 * Reads a case table from test/fixtures: one case per line, columns separated
 * by tabs, `#` lines are comments (the first names the columns). A column in
 * double quotes is a JSON string, for whitespace and escapes.
 */
export function readTable(name: string): string[][] {
  const text = readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split('\t').map((column) => (column.startsWith('"') ? (JSON.parse(column) as string) : column)))
}
