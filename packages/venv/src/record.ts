/**
 * RECORD (PEP 376/627): a CSV file of `path,hash,size` rows. It is read the way
 * pip reads it: split into lines as Python's `str.splitlines()` does, each line
 * parsed by the `csv` module's default dialect (comma, double quote, a quote
 * inside a quoted field written twice), and each path normalised as
 * `str(pathlib.PurePosixPath(path))` (repeated and trailing slashes and `.`
 * parts removed, `..` kept).
 */

export interface RecordRow {
  readonly path: string
  readonly hash: string
  readonly size: string
}

/** Python's `str.splitlines()` (without the line ends). */
export function pySplitLines(text: string): string[] {
  const lines = text.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/)
  if (lines.length > 0 && lines.at(-1) === '') lines.pop()
  return lines
}

/** One line of CSV in Python's default (excel) dialect. An empty line is an empty row. */
export function parseCsvLine(line: string): string[] {
  if (line === '') return []
  const fields: string[] = []
  let field = ''
  let i = 0
  let quoted = false
  let inQuotes = false
  while (i < line.length) {
    const ch = line[i]!
    if (inQuotes) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        inQuotes = false
      } else field += ch
    } else if (ch === ',') {
      fields.push(field)
      field = ''
      quoted = false
    } else if (ch === '"' && field === '' && !quoted) {
      inQuotes = true
      quoted = true
    } else field += ch
    i++
  }
  fields.push(field)
  return fields
}

/** Parses a RECORD file; rows shorter than three fields get empty hash and size. */
export function parseRecord(text: string): RecordRow[] {
  const rows: RecordRow[] = []
  for (const line of pySplitLines(text)) {
    const fields = parseCsvLine(line)
    if (fields.length === 0) continue
    rows.push(Object.freeze({ path: fields[0]!, hash: fields[1] ?? '', size: fields[2] ?? '' }))
  }
  return rows
}

/** `str(pathlib.PurePosixPath(path))`. */
export function normalizePosixPath(path: string): string {
  if (path === '') return '.'
  let root = ''
  if (path.startsWith('/')) root = path.startsWith('//') && !path.startsWith('///') ? '//' : '/'
  const parts = path.split('/').filter((part) => part !== '' && part !== '.')
  const joined = root + parts.join('/')
  return joined === '' ? '.' : joined
}
