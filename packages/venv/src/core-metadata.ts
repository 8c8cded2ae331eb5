/**
 * Core metadata files (METADATA, PKG-INFO) are RFC 822 style: header lines
 * `Name: value`, continuation lines that start with a space or a tab, an empty
 * line, then a free-form body (the long description). pip reads them with
 * Python's `email` parser in its compat32 mode, through importlib.metadata,
 * and what it prints depends on that parser's quirks, so this follows it:
 *
 * - text is read as UTF-8 with universal newlines (`\r\n` and `\r` become `\n`);
 * - a header line is `From `, or printable ASCII without `:` or space up to a
 *   `:`, or a continuation; the first line that is none of these ends the
 *   headers and starts the body (an empty line ends them and is dropped);
 * - a value is the first line after the colon with leading blanks removed,
 *   followed by its continuation lines as they are (newline and indentation
 *   kept), with trailing newlines removed;
 * - a continuation before any header is dropped, a line starting with `:` is
 *   dropped, a first line starting with `From ` is the envelope (dropped);
 * - names compare case-insensitively; a name may repeat (`Classifier`).
 */

export interface CoreMetadata {
  /** Every header in order, as `[name, value]` (the name as written). */
  readonly headers: ReadonlyArray<readonly [string, string]>
  /** The body (the description), `''` when there is none. */
  readonly body: string
}

const HEADER = /^(From |[\x21-\x39\x3b-\x7e]*:|[\t ])/

/** Parses METADATA / PKG-INFO text as Python's `email.message_from_string` (compat32) does. */
export function parseCoreMetadata(text: string): CoreMetadata {
  const normalized = text.replace(/\r\n?/g, '\n')
  const lines = normalized.split(/(?<=\n)/)
  const headerLines: string[] = []
  let index = 0
  for (; index < lines.length; index++) {
    const line = lines[index]!
    if (!HEADER.test(line)) {
      if (line === '\n') index++
      break
    }
    headerLines.push(line)
  }
  let body = lines.slice(index).join('')
  const headers: Array<readonly [string, string]> = []
  let current: string[] = []
  const flush = () => {
    if (current.length === 0) return
    const first = current[0]!
    const colon = first.indexOf(':')
    const value = (first.slice(colon + 1).replace(/^[ \t]+/, '') + current.slice(1).join('')).replace(/[\r\n]+$/, '')
    headers.push(Object.freeze([first.slice(0, colon), value] as const))
    current = []
  }
  for (let lineNumber = 0; lineNumber < headerLines.length; lineNumber++) {
    const line = headerLines[lineNumber]!
    if (line[0] === ' ' || line[0] === '\t') {
      if (current.length > 0) current.push(line)
      continue
    }
    flush()
    if (line.startsWith('From ')) {
      // The envelope line (first) is dropped; on the last header line it is
      // the start of the body; anywhere else it is a misplaced envelope, dropped.
      if (lineNumber !== 0 && lineNumber === headerLines.length - 1) {
        body = line + body
        break
      }
      continue
    }
    if (line.startsWith(':')) continue
    current = [line]
  }
  flush()
  return Object.freeze({ headers: Object.freeze(headers), body })
}

/** The first value of a header (case-insensitive), as `Message.get`. */
export function metadataGet(metadata: CoreMetadata, name: string): string | undefined {
  const matches = headerMatcher(name)
  for (const [key, value] of metadata.headers) if (matches(key)) return value
  return undefined
}

/** Every value of a header, in order, as `Message.get_all` (empty when absent). */
export function metadataGetAll(metadata: CoreMetadata, name: string): readonly string[] {
  const matches = headerMatcher(name)
  const values: string[] = []
  for (const [key, value] of metadata.headers) if (matches(key)) values.push(value)
  return values
}

/**
 * Case-insensitive header name comparison. For an ASCII name (every caller's),
 * a key of another length cannot match: the only characters that lower-case to
 * ASCII are one UTF-16 unit each (ASCII letters and the Kelvin sign), so the
 * length test skips most `toLowerCase` calls (a resolution reads thousands of headers).
 */
function headerMatcher(name: string): (key: string) => boolean {
  const lower = name.toLowerCase()
  // eslint-disable-next-line no-control-regex
  if (!/^[\x00-\x7f]*$/.test(lower)) return (key) => key.toLowerCase() === lower
  return (key) => key.length === lower.length && (key === name || key.toLowerCase() === lower)
}

/** Returns a copy with headers appended (as `message[name] = value`). */
export function withHeaders(metadata: CoreMetadata, extra: ReadonlyArray<readonly [string, string]>): CoreMetadata {
  if (extra.length === 0) return metadata
  return Object.freeze({ headers: Object.freeze([...metadata.headers, ...extra.map((h) => Object.freeze([...h] as const))]), body: metadata.body })
}

/**
 * The view importlib.metadata (Python 3.10+) gives pip of a distribution's
 * metadata (its `_adapters.Message`): every multi-line value re-dedented as
 * `textwrap.dedent(' ' * 8 + value)`, and the body added as a last
 * `Description` header.
 */
export function importlibMetadataView(metadata: CoreMetadata): CoreMetadata {
  const headers = metadata.headers.map(([name, value]) => Object.freeze([name, value.includes('\n') ? pyDedent(' '.repeat(8) + value) : value] as const))
  if (metadata.body !== '') headers.push(Object.freeze(['Description', metadata.body] as const))
  return Object.freeze({ headers: Object.freeze(headers), body: metadata.body })
}

/** Python's `textwrap.dedent`. */
export function pyDedent(text: string): string {
  const cleaned = text.replace(/^[ \t]+$/gm, '')
  let margin: string | null = null
  for (const match of cleaned.matchAll(/^([ \t]*)[^ \t\n]/gm)) {
    const indent = match[1]!
    if (margin === null || margin.startsWith(indent)) margin = indent
    else if (!indent.startsWith(margin)) {
      let i = 0
      while (i < margin.length && i < indent.length && margin[i] === indent[i]) i++
      margin = margin.slice(0, i)
    }
  }
  if (!margin) return cleaned
  return cleaned.replace(new RegExp(`^${margin}`, 'gm'), '')
}

/** Fields of the JSON form of metadata (PEP 566) and whether each may repeat, in pip's order. */
const METADATA_FIELDS: ReadonlyArray<readonly [string, boolean]> = [
  ['Metadata-Version', false],
  ['Name', false],
  ['Version', false],
  ['Dynamic', true],
  ['Platform', true],
  ['Supported-Platform', true],
  ['Summary', false],
  ['Description', false],
  ['Description-Content-Type', false],
  ['Keywords', false],
  ['Home-page', false],
  ['Download-URL', false],
  ['Author', false],
  ['Author-email', false],
  ['Maintainer', false],
  ['Maintainer-email', false],
  ['License', false],
  ['License-Expression', false],
  ['License-File', true],
  ['Classifier', true],
  ['Requires-Dist', true],
  ['Requires-Python', false],
  ['Requires-External', true],
  ['Project-URL', true],
  ['Provides-Extra', true],
  ['Provides-Dist', true],
  ['Obsoletes-Dist', true],
]

/**
 * The JSON form of core metadata (PEP 566) as pip's `inspect` report gives it:
 * known fields only, lower-case with `_`, multiple-use fields as lists,
 * `keywords` split on commas (or whitespace), the body as `description`.
 */
export function metadataToJson(metadata: CoreMetadata): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {}
  for (const [field, multiple] of METADATA_FIELDS) {
    const values = metadataGetAll(metadata, field)
    if (values.length === 0) continue
    const key = field.toLowerCase().replaceAll('-', '_')
    if (multiple) result[key] = [...values]
    else if (key === 'keywords') {
      const value = values[0]!
      result[key] = value.includes(',') ? value.split(',').map((v) => pyStrip(v)) : pySplit(value)
    } else result[key] = values[0]!
  }
  if (metadata.body !== '') result['description'] = metadata.body
  return result
}

// Python's str.strip() and str.split() with no arguments strip and split on Unicode whitespace.
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000'
const STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g')
const SPLIT = new RegExp(`[${PY_SPACE}]+`)

export function pyStrip(text: string): string {
  return text.replace(STRIP, '')
}

export function pySplit(text: string): string[] {
  const stripped = pyStrip(text)
  return stripped === '' ? [] : stripped.split(SPLIT)
}
