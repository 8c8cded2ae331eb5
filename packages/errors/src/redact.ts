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

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@'"<>]*@[^\s'"<>]*/gi

/** Redacts every URL with credentials found anywhere in a piece of text. */
export function redactText(text: string): string {
  return text.replace(URL_IN_TEXT, (url) => redactUrl(url))
}
