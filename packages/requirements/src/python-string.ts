/**
 * The value of a quoted marker string, as packaging computes it with
 * `ast.literal_eval`: the text between the quotes is a Python string literal,
 * so backslash escapes are interpreted (`\n`, `\x41`, `\u00e9`, octal, a
 * backslash-newline continuation) and unknown escapes stay as written. Where
 * Python refuses the literal (a raw line break, a truncated escape, a trailing
 * backslash that escapes the closing quote, a NUL character) this returns
 * `undefined` and the caller reports a syntax error.
 *
 * Deliberate gap: `\N{UNICODE NAME}` escapes need Unicode's name table, which
 * Node does not ship; they are rejected.
 */

const SIMPLE_ESCAPES: Record<string, string> = {
  '\n': '',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
}

function hexValue(text: string, start: number, count: number): number {
  if (start + count > text.length) return -1
  let value = 0
  for (let i = start; i < start + count; i++) {
    const code = text.charCodeAt(i)
    let digit: number
    if (code >= 48 && code <= 57) digit = code - 48
    else if (code >= 97 && code <= 102) digit = code - 87
    else if (code >= 65 && code <= 70) digit = code - 55
    else return -1
    value = value * 16 + digit
  }
  return value
}

/**
 * Decodes the body of a Python string literal (the text between the quotes).
 * Returns `undefined` when Python would raise a SyntaxError or ValueError.
 */
export function decodePythonStringBody(body: string): string | undefined {
  let fast = true
  for (let i = 0; i < body.length; i++) {
    const code = body.charCodeAt(i)
    if (code === 92 /* \ */ || code === 10 || code === 13 || code === 0) {
      fast = false
      break
    }
  }
  if (fast) return body
  // Python's tokenizer reads "\r\n" and a lone "\r" as "\n".
  const text = body.replace(/\r\n?/g, '\n')
  let out = ''
  let i = 0
  while (i < text.length) {
    const ch = text[i]!
    if (ch === '\n' || ch === '\0') return undefined
    if (ch !== '\\') {
      out += ch
      i++
      continue
    }
    // A backslash at the very end escapes the closing quote: unterminated.
    if (i + 1 >= text.length) return undefined
    const next = text[i + 1]!
    const simple = SIMPLE_ESCAPES[next]
    if (simple !== undefined) {
      out += simple
      i += 2
      continue
    }
    if (next >= '0' && next <= '7') {
      let j = i + 1
      let value = 0
      while (j < text.length && j < i + 4 && text[j]! >= '0' && text[j]! <= '7') {
        value = value * 8 + (text.charCodeAt(j) - 48)
        j++
      }
      out += String.fromCodePoint(value)
      i = j
      continue
    }
    if (next === 'x' || next === 'u' || next === 'U') {
      const count = next === 'x' ? 2 : next === 'u' ? 4 : 8
      const value = hexValue(text, i + 2, count)
      if (value < 0 || value > 0x10ffff) return undefined
      out += String.fromCodePoint(value)
      i += 2 + count
      continue
    }
    if (next === 'N') return undefined
    if (next === '\0') return undefined
    // Unknown escape: Python keeps the backslash (with a DeprecationWarning).
    out += '\\'
    i++
  }
  return out
}
