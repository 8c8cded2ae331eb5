/**
 * The few pieces of Python's string semantics that pip's configuration
 * depends on: what `str.isspace()` calls whitespace (configparser strips
 * lines and values with it, and its `\s` and `\S` follow it), `str.lower()`
 * (option names are folded with it) and `repr()` of a string (`pip config
 * list` prints values with it).
 */

/** The characters for which Python's `str.isspace()` is true. */
const WHITESPACE = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000'

/** A character class of Python whitespace (`\s` of Python's `re` on str patterns). */
export const PY_SPACE = `[${WHITESPACE}]`
/** Its complement (`\S`). */
export const PY_NONSPACE = `[^${WHITESPACE}]`

const LEADING = new RegExp(`^${PY_SPACE}+`, 'u')
const TRAILING = new RegExp(`${PY_SPACE}+$`, 'u')

/** Python's `str.strip()` without arguments. */
export function pyStrip(text: string): string {
  return text.replace(LEADING, '').replace(TRAILING, '')
}

/** Python's `str.rstrip()` without arguments. */
export function pyRstrip(text: string): string {
  return text.replace(TRAILING, '')
}

/** Python's `str.split()` without arguments: runs of whitespace separate, none at the ends. */
export function pySplit(text: string): string[] {
  const stripped = pyStrip(text)
  return stripped === '' ? [] : stripped.split(new RegExp(`${PY_SPACE}+`, 'u'))
}

/** Python's `str.lower()`. JavaScript's full Unicode lower-casing gives the same answers. */
export function pyLower(text: string): string {
  return text.toLowerCase()
}

/** Characters `repr()` escapes: Python's `str.isprintable()` is false for them (space excepted). */
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u

/**
 * Python's `repr()` of a string: single quotes unless the text holds a single
 * quote and no double quote; backslash escapes for the quote, `\\`, `\t`, `\n`,
 * `\r` and every character Python does not consider printable.
 *
 * @example
 * pyRepr("it's")   // "\"it's\""
 * pyRepr('a\nb')   // "'a\\nb'"
 */
export function pyRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'"
  let out = quote
  for (const char of text) {
    const code = char.codePointAt(0) as number
    if (char === quote || char === '\\') out += `\\${char}`
    else if (char === '\t') out += '\\t'
    else if (char === '\n') out += '\\n'
    else if (char === '\r') out += '\\r'
    else if (char !== ' ' && NOT_PRINTABLE.test(char)) {
      if (code < 0x100) out += `\\x${code.toString(16).padStart(2, '0')}`
      else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`
      else out += `\\U${code.toString(16).padStart(8, '0')}`
    } else out += char
  }
  return out + quote
}
