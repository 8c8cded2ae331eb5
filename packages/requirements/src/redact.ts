/**
 * Hides credentials in URLs found in a text (`https://user:secret@host` ->
 * `https://user:****@host`), like @pipette/errors' `redactText`, but in one
 * linear pass: error messages quote whole input lines, which may be long and
 * hostile, and a backtracking regular expression over them would be
 * quadratic. Each `://` is located with indexOf; the scheme is read backwards
 * and the user-info forwards, both stopping at characters that cannot be part
 * of them, so every character is looked at a bounded number of times.
 */
import { redactUrl } from '@pipette/errors'

function isSchemeChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 43 ||
    code === 46 ||
    code === 45
  )
}

function isLetter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90)
}

/** Characters that end a URL in free text, or the user-info part. */
function endsUserinfo(code: number): boolean {
  return code <= 32 || code === 47 || code === 63 || code === 35 || code === 39 || code === 34 || code === 60 || code === 62
}

function endsUrl(code: number): boolean {
  return code <= 32 || code === 39 || code === 34 || code === 60 || code === 62
}

export function redactCredentials(text: string): string {
  if (!text.includes('@')) return text
  let out = ''
  let copied = 0
  let from = 0
  for (;;) {
    const sep = text.indexOf('://', from)
    if (sep === -1) break
    from = sep + 3
    let start = sep
    while (start > copied && isSchemeChar(text.charCodeAt(start - 1))) start--
    while (start < sep && !isLetter(text.charCodeAt(start))) start++
    if (start === sep) continue
    let at = sep + 3
    while (at < text.length && !endsUserinfo(text.charCodeAt(at)) && text.charCodeAt(at) !== 64) at++
    if (text.charCodeAt(at) !== 64 /* @ */) continue
    let end = at + 1
    while (end < text.length && !endsUrl(text.charCodeAt(end))) end++
    out += text.slice(copied, start) + redactUrl(text.slice(start, end))
    copied = end
    from = end
  }
  return copied === 0 ? text : out + text.slice(copied)
}
