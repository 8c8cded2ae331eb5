/**
 * What `pipette config list` and `pipette config debug` print, line for line
 * as pip prints them (values with Python's `repr()` in `list`, pip's
 * two-space log indentation in `debug`).
 */
import { pathExists } from './configuration.js'
import type { Configuration } from './configuration.js'
import { configurationItems } from './configuration.js'
import { pyRepr } from './python-text.js'

/** Python's ordering of strings: by code point. */
function compareCodePoints(a: string, b: string): number {
  const x = Array.from(a)
  const y = Array.from(b)
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i] as string).codePointAt(0)! - (y[i] as string).codePointAt(0)!
    if (d !== 0) return d
  }
  return x.length - y.length
}

/** `pip config list`: `section.name='value'` for every key, sorted. */
export function configListLines(configuration: Configuration): string[] {
  return [...configurationItems(configuration)].sort((x, y) => compareCodePoints(x[0], y[0]) || compareCodePoints(x[1], y[1])).map(([key, value]) => `${key}=${pyRepr(value)}`)
}

/** pip's log indentation: every line of a message gets the prefix. */
function indented(prefix: string, message: string): string[] {
  return message.split('\n').map((line) => prefix + line)
}

/**
 * `pip config debug`: the `PIP_*` variables, then each variant's files
 * (env, global, site, user: sorted by name) with whether they exist and, under
 * each existing one, the values of its variant.
 */
export function configDebugLines(configuration: Configuration, exists: (path: string) => boolean = pathExists): string[] {
  const lines = ['env_var:']
  const environ = [...configuration.environ].sort((x, y) => compareCodePoints(x[0], y[0]) || compareCodePoints(x[1], y[1]))
  for (const [name, value] of environ) lines.push(...indented('  ', `PIP_${name.toUpperCase()}=${pyRepr(value)}`))
  const lists = [...configuration.fileLists].sort((x, y) => compareCodePoints(x[0], y[0]))
  for (const [variant, files] of lists) {
    lines.push(`${variant}:`)
    for (const path of files) {
      const found = exists(path)
      lines.push(...indented('  ', `${path}, exists: ${found ? 'True' : 'False'}`))
      if (!found) continue
      for (const [key, value] of configuration.byVariant.get(variant) ?? []) lines.push(...indented('    ', `${key}: ${value}`))
    }
  }
  return lines
}
