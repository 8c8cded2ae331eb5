/**
 * The small part of HTML a PEP 503 page needs: the first `<base href>` and the
 * attributes of every `<a>`, read the way Python's `html.parser.HTMLParser`
 * (which pip uses) reads them. Tag and attribute names are lower-cased,
 * attribute values may be double-, single- or un-quoted, character references
 * in values are decoded as `html.unescape` does, comments, declarations and the
 * raw text of `<script>`/`<style>` are skipped, and when an attribute is
 * repeated the last one wins (pip builds a dict from the attribute list).
 *
 * It is a single forward scan with `indexOf`, no DOM and no regular
 * expression per character, so a 10 MB page of links is parsed in a few
 * milliseconds.
 */

export interface HtmlAnchors {
  /** The href of the first `<base>` that has one. */
  readonly baseHref: string | undefined
  /** The attributes of each `<a>`, in document order. A valueless attribute maps to null. */
  readonly anchors: readonly Readonly<Record<string, string | null>>[]
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 12 || code === 13
}

function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122)
}

/** Reads `<base href>` and every anchor's attributes from an HTML document. */
export function scanAnchors(html: string): HtmlAnchors {
  const anchors: Record<string, string | null>[] = []
  let baseHref: string | undefined
  let i = 0
  const n = html.length
  while (i < n) {
    const lt = html.indexOf('<', i)
    if (lt === -1) break
    i = lt + 1
    if (html.startsWith('!--', i)) {
      const end = html.indexOf('-->', i + 3)
      if (end === -1) break
      i = end + 3
      continue
    }
    const next = html.charCodeAt(i)
    if (next === 33 /* ! */ || next === 63 /* ? */ || next === 47 /* / */) {
      const end = html.indexOf('>', i)
      if (end === -1) break
      i = end + 1
      continue
    }
    if (!isAsciiLetter(next)) continue
    let j = i
    while (j < n) {
      const code = html.charCodeAt(j)
      if (isSpace(code) || code === 47 || code === 62 || code === 0) break
      j++
    }
    const tag = html.slice(i, j).toLowerCase()
    const { attributes, end } = readAttributes(html, j)
    i = end
    if (tag === 'a') anchors.push(attributes)
    else if (tag === 'base' && baseHref === undefined && typeof attributes['href'] === 'string') baseHref = attributes['href']
    else if (tag === 'script' || tag === 'style') {
      const close = html.toLowerCase().indexOf(`</${tag}`, i)
      i = close === -1 ? n : close
    }
  }
  return { baseHref, anchors }
}

function readAttributes(html: string, start: number): { attributes: Record<string, string | null>; end: number } {
  const attributes: Record<string, string | null> = Object.create(null) as Record<string, string | null>
  const n = html.length
  let i = start
  for (;;) {
    while (i < n) {
      const code = html.charCodeAt(i)
      if (isSpace(code) || (code === 47 && html.charCodeAt(i + 1) !== 62)) i++
      else break
    }
    if (i >= n) return { attributes, end: n }
    if (html.charCodeAt(i) === 62) return { attributes, end: i + 1 }
    if (html.startsWith('/>', i)) return { attributes, end: i + 2 }
    const nameStart = i
    i++
    while (i < n) {
      const code = html.charCodeAt(i)
      if (isSpace(code) || code === 47 || code === 61 || code === 62) break
      i++
    }
    const name = html.slice(nameStart, i).toLowerCase()
    let k = i
    while (k < n && isSpace(html.charCodeAt(k))) k++
    if (html.charCodeAt(k) !== 61 /* = */) {
      attributes[name] = null
      continue
    }
    while (html.charCodeAt(k) === 61) k++
    while (k < n && isSpace(html.charCodeAt(k))) k++
    const quoteChar = html[k]
    let raw: string
    if (quoteChar === '"' || quoteChar === "'") {
      const close = html.indexOf(quoteChar, k + 1)
      if (close === -1) return { attributes, end: n }
      raw = html.slice(k + 1, close)
      i = close + 1
    } else {
      let e = k
      while (e < n && !isSpace(html.charCodeAt(e)) && html.charCodeAt(e) !== 62) e++
      raw = html.slice(k, e)
      i = e
    }
    attributes[name] = raw === '' ? raw : unescapeHtml(raw)
  }
}

/** Named references pip meets in index pages; the ones valid without `;` are the HTML5 legacy ones. */
const NAMED: Readonly<Record<string, string>> = {
  'amp;': '&', amp: '&', 'lt;': '<', lt: '<', 'gt;': '>', gt: '>', 'quot;': '"', quot: '"',
  'apos;': "'", 'nbsp;': '\u00a0', nbsp: '\u00a0', 'excl;': '!', 'equals;': '=', 'comma;': ',',
  'period;': '.', 'sol;': '/', 'colon;': ':', 'semi;': ';', 'num;': '#', 'lpar;': '(', 'rpar;': ')',
  'tilde;': '~', 'Hat;': '^', 'ast;': '*', 'plus;': '+', 'verbar;': '|', 'vert;': '|', 'lsqb;': '[', 'rsqb;': ']',
  'copy;': '\u00a9', copy: '\u00a9', 'reg;': '\u00ae', reg: '\u00ae',
}

/** Windows-1252 meanings of the C1 range, as `html.unescape` decodes `&#128;`..`&#159;`. */
const INVALID_CHARREFS: Readonly<Record<number, string>> = {
  0x00: '\ufffd', 0x0d: '\r', 0x80: '\u20ac', 0x81: '\x81', 0x82: '\u201a', 0x83: '\u0192', 0x84: '\u201e',
  0x85: '\u2026', 0x86: '\u2020', 0x87: '\u2021', 0x88: '\u02c6', 0x89: '\u2030', 0x8a: '\u0160', 0x8b: '\u2039',
  0x8c: '\u0152', 0x8d: '\x8d', 0x8e: '\u017d', 0x8f: '\x8f', 0x90: '\x90', 0x91: '\u2018', 0x92: '\u2019',
  0x93: '\u201c', 0x94: '\u201d', 0x95: '\u2022', 0x96: '\u2013', 0x97: '\u2014', 0x98: '\u02dc', 0x99: '\u2122',
  0x9a: '\u0161', 0x9b: '\u203a', 0x9c: '\u0153', 0x9d: '\x9d', 0x9e: '\u017e', 0x9f: '\u0178',
}

function isInvalidCodePoint(code: number): boolean {
  return (
    (code >= 0x1 && code <= 0x8) ||
    code === 0xb ||
    (code >= 0xe && code <= 0x1f) ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0xfdd0 && code <= 0xfdef) ||
    (code & 0xfffe) === 0xfffe
  )
}

const CHARREF = /&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)/g

/** Python's `html.unescape` for the references index pages use (numeric ones fully, named ones from a short table). */
export function unescapeHtml(text: string): string {
  if (!text.includes('&')) return text
  return text.replace(CHARREF, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const hex = ref[1] === 'x' || ref[1] === 'X'
      const digits = ref.slice(hex ? 2 : 1).replace(/;$/, '')
      const code = parseInt(digits, hex ? 16 : 10)
      if (code in INVALID_CHARREFS) return INVALID_CHARREFS[code]!
      if ((code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff || !Number.isFinite(code)) return '\ufffd'
      if (isInvalidCodePoint(code)) return ''
      return String.fromCodePoint(code)
    }
    const exact = NAMED[ref]
    if (exact !== undefined) return exact
    for (let length = ref.length - 1; length > 1; length--) {
      const value = NAMED[ref.slice(0, length)]
      if (value !== undefined) return value + ref.slice(length)
    }
    return whole
  })
}
