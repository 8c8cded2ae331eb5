const SCHEME_USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@]*)@/i

/**
 * Hides the credentials of a URL: `https://user:secret@host/x` becomes
 * `https://user:****@host/x`, and a lone token `https://token@host` becomes
 * `https://****@host` (as pip's `redact_auth_from_url`). Anything that is not a
 * URL with credentials comes back unchanged.
 */
export function redactUrl(url: string): string {
  const match = SCHEME_USERINFO.exec(url)
  if (match === null) return url
  const [whole, scheme, userinfo] = match as unknown as [string, string, string]
  const colon = userinfo.indexOf(':')
  const hidden = colon === -1 ? '****' : `${userinfo.slice(0, colon)}:****`
  return `${scheme}${hidden}@${url.slice(whole.length)}`
}

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

/**
 * Redacts every URL with credentials found anywhere in a piece of text. One
 * linear pass (messages quote whole input lines, which may be long and
 * hostile, so no backtracking regular expression): each `://` is located with
 * indexOf, the scheme is read backwards and the user-info forwards, both
 * stopping at characters that cannot be part of them.
 */
export function redactText(text: string): string {
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
