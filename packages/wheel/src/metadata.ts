/**
 * The small text formats inside a wheel's `.dist-info`: WHEEL and METADATA
 * (RFC 822 style headers) and `entry_points.txt` (an INI-like file read the
 * way `importlib.metadata` reads it, which is how pip finds console scripts).
 */

/** Header fields in order; names keep their case, lookups ignore it. */
export interface Headers {
  readonly fields: ReadonlyArray<readonly [string, string]>
  get(name: string): string | undefined
  getAll(name: string): string[]
}

/**
 * Parses RFC 822 headers up to the first blank line, as `email.parser`
 * does: `Name: value`, continuation lines (starting with a space or tab)
 * appended to the previous value with their line break.
 */
export function parseHeaders(text: string): Headers {
  const fields: Array<[string, string]> = []
  for (const line of text.split(/\r\n|\n|\r/)) {
    if (line === '') break
    if ((line.startsWith(' ') || line.startsWith('\t')) && fields.length > 0) {
      const last = fields[fields.length - 1]!
      last[1] += `\n${line}`
      continue
    }
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    fields.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()])
  }
  const frozen = Object.freeze(fields.map((f) => Object.freeze([f[0], f[1]] as const)))
  return Object.freeze({
    fields: frozen,
    get: (name: string) => frozen.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1],
    getAll: (name: string) => frozen.filter(([key]) => key.toLowerCase() === name.toLowerCase()).map(([, v]) => v),
  })
}

/** What WHEEL says (PEP 427). */
export interface WheelInfo {
  /** `Wheel-Version` as numbers, e.g. `[1, 0]`. */
  readonly wheelVersion: readonly number[]
  /** `Root-Is-Purelib: true`: the root goes to purelib, else platlib. */
  readonly rootIsPurelib: boolean
  readonly generator: string | undefined
  readonly tags: readonly string[]
  readonly build: string | undefined
}

/** Reads WHEEL; `undefined` version parts mean the field is missing or not numeric. */
export function parseWheelInfo(text: string): { readonly info?: WheelInfo; readonly problem?: string } {
  const headers = parseHeaders(text)
  const versionText = headers.get('Wheel-Version')
  if (versionText === undefined) return { problem: 'WHEEL is missing Wheel-Version' }
  const parts = versionText.trim().split('.')
  if (parts.some((p) => !/^\s*[+-]?\d+\s*$/.test(p))) return { problem: `invalid Wheel-Version: ${JSON.stringify(versionText.trim())}` }
  return {
    info: Object.freeze({
      wheelVersion: Object.freeze(parts.map((p) => Number.parseInt(p, 10))),
      rootIsPurelib: (headers.get('Root-Is-Purelib') ?? '').toLowerCase() === 'true',
      generator: headers.get('Generator'),
      tags: Object.freeze(headers.getAll('Tag')),
      build: headers.get('Build'),
    }),
  }
}

export interface EntryPoint {
  readonly group: string
  readonly name: string
  readonly value: string
}

/**
 * Reads `entry_points.txt` as `importlib.metadata` does: lines are stripped,
 * blank lines and `#` comments skipped, `[group]` opens a section, other lines
 * are `name = value` split at the first `=`.
 */
export function parseEntryPoints(text: string): EntryPoint[] {
  const result: EntryPoint[] = []
  let group: string | undefined
  for (const raw of text.split(/\r\n|\n|\r/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    if (line.startsWith('[') && line.endsWith(']')) {
      group = line.replace(/^\[+|\]+$/g, '')
      continue
    }
    if (group === undefined) continue
    const eq = line.indexOf('=')
    const name = (eq === -1 ? line : line.slice(0, eq)).trim()
    const value = eq === -1 ? '' : line.slice(eq + 1).trim()
    result.push(Object.freeze({ group, name, value }))
  }
  return result
}
