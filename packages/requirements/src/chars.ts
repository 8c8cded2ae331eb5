/**
 * Character classes with the meaning Python's `re` module gives them for str
 * patterns, which is what packaging's tokenizer uses: `\s` is Unicode
 * whitespace (str.isspace), `\w` is a Unicode letter, digit or underscore, and
 * IGNORECASE lets a few non-ASCII letters match ASCII ones (İ ı for i, K for k,
 * ſ for s). Every function takes a UTF-16 code unit or a code point.
 */

/** Python's `\s` for str patterns. */
export function isPythonSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x1f)
  if (code < 0x85) return false
  return (
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  )
}

const WORD = /[\p{L}\p{N}_]/u

/** Python's `\w` for str patterns (letters, digits, underscore), by code point. */
export function isWordCodePoint(code: number): boolean {
  if (code < 128) {
    return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95
  }
  return WORD.test(String.fromCodePoint(code))
}

/** The code point that ends just before `index` (-1 at the start). */
export function codePointBefore(text: string, index: number): number {
  if (index <= 0) return -1
  const low = text.charCodeAt(index - 1)
  if (low >= 0xdc00 && low <= 0xdfff && index >= 2) {
    const high = text.charCodeAt(index - 2)
    if (high >= 0xd800 && high <= 0xdbff) return (high - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000
  }
  return low
}

/** The code point that starts at `index` (-1 at the end). */
export function codePointAt(text: string, index: number): number {
  return index >= text.length ? -1 : text.codePointAt(index)!
}

/** Python's `\b` at `index`: a word character on exactly one side. */
export function isWordBoundary(text: string, index: number): boolean {
  const before = codePointBefore(text, index)
  const after = codePointAt(text, index)
  return (before !== -1 && isWordCodePoint(before)) !== (after !== -1 && isWordCodePoint(after))
}

/**
 * Whether the code unit matches the lower-case ASCII letter `letter` under
 * Python's re.IGNORECASE for str patterns.
 */
export function matchesLetterIgnoreCase(code: number, letter: number): boolean {
  if (code === letter || code === letter - 32) return true
  if (code < 128) return false
  if (letter === 105 /* i */) return code === 0x130 || code === 0x131
  if (letter === 107 /* k */) return code === 0x212a
  if (letter === 115 /* s */) return code === 0x17f
  return false
}

/** `[a-z]` under re.IGNORECASE. */
export function isLetterIgnoreCase(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 0x130 || code === 0x131 || code === 0x17f || code === 0x212a
}

export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57
}

/** Number of code points in `text.slice(0, index)` (Python's column). */
export function codePointColumn(text: string, index: number): number {
  let column = 0
  for (let i = 0; i < index; i++) {
    const code = text.charCodeAt(i)
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < index) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) i++
    }
    column++
  }
  return column
}

/** Compares two strings by code point, as Python compares str. */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length)
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x === y) continue
    // Surrogates (astral code points) sort after every BMP code unit in Python.
    const xs = x >= 0xd800 && x <= 0xdfff
    const ys = y >= 0xd800 && y <= 0xdfff
    if (xs !== ys) {
      const cx = a.codePointAt(i)!
      const cy = b.codePointAt(i)!
      return cx < cy ? -1 : 1
    }
    return x < y ? -1 : 1
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1
}
