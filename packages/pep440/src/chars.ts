/**
 * Character classes of Python's `re` module as packaging's patterns use them
 * (`re.VERBOSE | re.IGNORECASE` on `str`), which are wider than ASCII:
 * `\s` is every character for which `str.isspace()` is true, and under
 * IGNORECASE Python also matches `İ` (U+0130) and `ı` (U+0131) for `i`, `ſ`
 * (U+017F) for `s` and `K` (U+212A, Kelvin) for `k`. packaging therefore
 * accepts `1.0.poſt1` or `1.0+K`, and so do we.
 */

/** Python's `str.isspace()` (identical to `\s` in a `str` pattern). */
export function isPyWhitespace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f)
  if (c < 0x85) return false
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  )
}

/** Python's `str.strip()` with no argument. */
export function pyStrip(text: string): string {
  let start = 0
  let end = text.length
  while (start < end && isPyWhitespace(text.charCodeAt(start))) start++
  while (end > start && isPyWhitespace(text.charCodeAt(end - 1))) end--
  return start === 0 && end === text.length ? text : text.slice(start, end)
}

export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39
}

/** `-`, `_` or `.`: the separators PEP 440 allows between segments. */
export function isSeparator(c: number): boolean {
  return c === 0x2e || c === 0x2d || c === 0x5f
}

/** `[a-z0-9]` under Python's IGNORECASE. */
export function isLocalChar(c: number): boolean {
  if (c < 0x80) return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a)
  return c === 0x130 || c === 0x131 || c === 0x17f || c === 0x212a
}

/** Compares by Unicode code point, as Python compares `str` (JavaScript's `<` compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x === y) continue
    const xs = x >= 0xd800 && x <= 0xdfff
    const ys = y >= 0xd800 && y <= 0xdfff
    if (xs === ys) return x - y
    // A surrogate (astral code point) is greater than any BMP code unit outside the surrogate range.
    return xs ? 1 : -1
  }
  return a.length - b.length
}
