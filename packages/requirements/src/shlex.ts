/**
 * Python's `shlex.split(text)` (POSIX mode, no comments), which pip applies to
 * the options part of a requirements-file line: whitespace separates words,
 * single quotes are literal, double quotes allow `\"` and `\\` escapes, and a
 * backslash outside quotes escapes the next character. Returns a string (the
 * error) where shlex raises ValueError.
 */
const WHITESPACE = ' \t\r\n'

export function shlexSplit(text: string): string[] | string {
  const words: string[] = []
  let word = ''
  let inWord = false
  let i = 0
  while (i < text.length) {
    const ch = text[i]!
    if (WHITESPACE.includes(ch)) {
      if (inWord) {
        words.push(word)
        word = ''
        inWord = false
      }
      i++
    } else if (ch === '\\') {
      if (i + 1 >= text.length) return 'No escaped character'
      word += text[i + 1]
      inWord = true
      i += 2
    } else if (ch === "'") {
      const close = text.indexOf("'", i + 1)
      if (close === -1) return 'No closing quotation'
      word += text.slice(i + 1, close)
      inWord = true
      i = close + 1
    } else if (ch === '"') {
      i++
      let closed = false
      while (i < text.length) {
        const c = text[i]!
        if (c === '"') {
          closed = true
          i++
          break
        }
        if (c === '\\' && i + 1 < text.length && (text[i + 1] === '"' || text[i + 1] === '\\')) {
          word += text[i + 1]
          i += 2
          continue
        }
        if (c === '\\' && i + 1 >= text.length) return 'No escaped character'
        word += c
        i++
      }
      if (!closed) return 'No closing quotation'
      inWord = true
    } else {
      word += ch
      inWord = true
      i++
    }
  }
  if (inWord) words.push(word)
  return words
}
