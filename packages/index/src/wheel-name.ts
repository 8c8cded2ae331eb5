/**
 * Wheel file names, until @pipette/wheel's `parseWheelFilename` is on main:
 * the same rules (5 or 6 dash-separated parts, a build tag starting with a
 * digit, compressed tag sets expanded), returning undefined instead of
 * throwing. This file goes away when the index package imports wheel's parser.
 */
import { canonicalizeName } from '@pipette/requirements'
import type { ParsedWheelName } from './filenames.js'

const NAME_PART = /^[\p{L}\p{N}_.]*$/u

export function parseWheelName(filename: string): ParsedWheelName | undefined {
  if (!filename.endsWith('.whl')) return undefined
  const parts = filename.slice(0, -4).split('-')
  if (parts.length !== 5 && parts.length !== 6) return undefined
  const [name, version] = parts as [string, string]
  if (name.includes('__') || !NAME_PART.test(name) || version === '') return undefined
  let build: ParsedWheelName['build'] = null
  if (parts.length === 6) {
    const match = /^(\d+)(.*)$/s.exec(parts[2]!)
    if (match === null) return undefined
    build = { number: Number(match[1]), suffix: match[2]! }
  }
  const [interpreters, abis, platforms] = parts.slice(-3) as [string, string, string]
  if ([interpreters, abis, platforms].some((p) => p === '' || p.split('.').some((q) => q === ''))) return undefined
  const tags: string[] = []
  for (const i of interpreters.split('.')) for (const a of abis.split('.')) for (const p of platforms.split('.')) tags.push(`${i}-${a}-${p}`.toLowerCase())
  return Object.freeze({ canonicalName: canonicalizeName(name), version, build, tags: Object.freeze(tags) })
}
