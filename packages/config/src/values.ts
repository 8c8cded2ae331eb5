/**
 * How pip turns the text of a configuration value or a command-line argument
 * into a value: its `strtobool` for switches, optparse's `int` and `float`
 * converters (Python's `int(text, radix)` after optparse picks the radix from
 * a `0x`/`0b`/`0` prefix, and `float(text)`), and `os.path.expanduser` for
 * options of pip's `path` type.
 */
import { pyLower, pyStrip } from './python-text.js'

const TRUE = new Set(['y', 'yes', 't', 'true', 'on', '1'])
const FALSE = new Set(['n', 'no', 'f', 'false', 'off', '0'])

/**
 * pip's `strtobool`: `y yes t true on 1` are 1, `n no f false off 0` are 0, in
 * any case and without surrounding whitespace; anything else is null (pip
 * raises `ValueError("invalid truth value 'x'")`).
 */
export function strtobool(value: string): 0 | 1 | null {
  const lower = pyLower(value)
  if (TRUE.has(lower)) return 1
  if (FALSE.has(lower)) return 0
  return null
}

/** The value of a Unicode decimal digit (`\p{Nd}`), as Python's `int()` reads it, or -1. */
function digitValue(char: string): number {
  const code = char.codePointAt(0) as number
  if (code >= 48 && code <= 57) return code - 48
  if (!/\p{Nd}/u.test(char)) return -1
  // Decimal digits come in runs that start at a zero: count back to the run's start.
  let start = code
  while (start > 0 && /\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--
  return (code - start) % 10
}

function letterValue(char: string): number {
  const digit = digitValue(char)
  if (digit >= 0) return digit
  const code = char.toLowerCase().charCodeAt(0)
  return code >= 97 && code <= 122 && char.length === 1 ? code - 87 : -1
}

/** Python's `int(text, radix)`, or null where Python raises ValueError. */
export function pythonInt(text: string, radix: number): number | null {
  let body = pyStrip(text)
  let sign = 1
  if (body.startsWith('+') || body.startsWith('-')) {
    if (body.startsWith('-')) sign = -1
    body = body.slice(1)
  }
  const prefix = body.slice(0, 2).toLowerCase()
  if ((radix === 16 && prefix === '0x') || (radix === 8 && prefix === '0o') || (radix === 2 && prefix === '0b')) {
    body = body.slice(2)
    // After a prefix, one underscore may come first: 0x_1f.
    if (body.startsWith('_')) body = body.slice(1)
  }
  if (body === '' || body.startsWith('_') || body.endsWith('_') || body.includes('__')) return null
  let value = 0n
  for (const char of body) {
    if (char === '_') continue
    const digit = letterValue(char)
    if (digit < 0 || digit >= radix) return null
    value = value * BigInt(radix) + BigInt(digit)
  }
  return sign * Number(value)
}

/** optparse's `int` type: the radix from the value's prefix (`0x` hex, `0b` binary, `0` octal), then `int()`. */
export function optparseInt(value: string): number | null {
  const head = value.slice(0, 2).toLowerCase()
  if (head === '0x') return pythonInt(value, 16)
  if (head === '0b') return pythonInt(value.slice(2) === '' ? '0' : value.slice(2), 2)
  if (value.startsWith('0')) return pythonInt(value, 8)
  return pythonInt(value, 10)
}

const FLOAT = /^[+-]?(?:(?:\d(?:_?\d)*)(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/
const SPECIAL = /^[+-]?(?:inf|infinity|nan)$/i

/** Python's `float(text)` (optparse's `float` type), or null where Python raises ValueError. */
export function pythonFloat(text: string): number | null {
  let body = pyStrip(text)
  // Unicode decimal digits read as their ASCII digits.
  body = body.replace(/\p{Nd}/gu, (char) => String(digitValue(char)))
  if (SPECIAL.test(body)) {
    const lower = body.toLowerCase()
    if (lower.endsWith('nan')) return Number.NaN
    return lower.startsWith('-') ? -Infinity : Infinity
  }
  if (!FLOAT.test(body)) return null
  return Number(body.replaceAll('_', ''))
}

/** `os.path.expanduser` for `~` and `~/...` (a `~user` prefix is kept as written). */
export function expandUser(path: string, home: string): string {
  if (path !== '~' && !path.startsWith('~/')) return path
  return `${home.replace(/\/+$/, '')}${path.slice(1)}` || '/'
}
