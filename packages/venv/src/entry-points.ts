/**
 * entry_points.txt, read as importlib.metadata reads it: lines stripped,
 * empty lines and `#` comments skipped, `[group]` headers, `name = value`
 * entries split at the first `=` (entries before any group are ignored, and
 * lines without `=` are skipped).
 */
import { pySplitLines } from './record.js'

export interface EntryPoint {
  readonly group: string
  readonly name: string
  readonly value: string
}

export function parseEntryPoints(text: string): EntryPoint[] {
  const out: EntryPoint[] = []
  let group: string | null = null
  for (const raw of pySplitLines(text)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    if (line.startsWith('[') && line.endsWith(']')) {
      group = line.replace(/^\[+|\]+$/g, '')
      continue
    }
    if (group === null) continue
    const eq = line.indexOf('=')
    if (eq === -1) continue
    out.push(Object.freeze({ group, name: line.slice(0, eq).trim(), value: line.slice(eq + 1).trim() }))
  }
  return out
}
