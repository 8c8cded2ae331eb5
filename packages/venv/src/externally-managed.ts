/**
 * PEP 668: a Python that is not a virtual environment and has an
 * `EXTERNALLY-MANAGED` file in its standard library refuses changes unless
 * `--break-system-packages` is given. The message is the file's
 * `[externally-managed] Error` value (configparser syntax: continuation lines
 * are indented), else pip's default text.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { InterpreterInfo } from './interpreter-info.js'

/** The error text when the interpreter's environment is externally managed, else null. */
export async function externallyManagedError(info: InterpreterInfo): Promise<string | null> {
  if (info.isVirtualEnv) return null
  let text: string
  try {
    text = await readFile(join(info.paths['stdlib'] ?? '', 'EXTERNALLY-MANAGED'), 'utf8')
  } catch {
    return null
  }
  let section = ''
  let key: string | null = null
  const values = new Map<string, string[]>()
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (/^\s*[#;]/.test(line)) continue
    const header = /^\[([^\]]+)\]\s*$/.exec(line)
    if (header !== null) {
      section = header[1]!
      key = null
      continue
    }
    if (section !== 'externally-managed') continue
    if (/^\s/.test(line) && key !== null) {
      values.get(key)!.push(line.trim())
      continue
    }
    const pair = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line)
    if (pair !== null) {
      key = pair[1]!.toLowerCase()
      values.set(key, [pair[2]!])
    } else key = null
  }
  const error = values.get('error')
  if (error !== undefined) return error.join('\n').trim()
  return (
    `The Python environment under ${info.prefix} is managed externally, and may not be\n` +
    'manipulated by the user. Please use specific tooling from the distributor of\n' +
    'the Python installation to interact with this Python environment instead.'
  )
}
