/**
 * Text formats pip prints, reproduced: Python's `json.dumps` (pip's `list
 * --format json` uses its defaults: `', '` and `': '` separators, non-ASCII
 * escaped; `inspect` prints with an indent of 2 and non-ASCII kept), and
 * pip's `tabulate` for `list`'s columns.
 */

export interface PythonJsonOptions {
  /** Pretty-print with this indent (Python's `indent=`); compact when absent. */
  readonly indent?: number | undefined
  /** Escape non-ASCII as `\uXXXX` (Python's default `ensure_ascii=True`). */
  readonly ensureAscii?: boolean | undefined
}

/** `json.dumps(value, indent=..., ensure_ascii=...)` for JSON-compatible values (no floats). */
export function pythonJson(value: unknown, options: PythonJsonOptions = {}): string {
  const ensureAscii = options.ensureAscii ?? true
  const indent = options.indent
  const str = (text: string): string => {
    let out = '"'
    for (const ch of text) {
      const code = ch.codePointAt(0)!
      if (ch === '"') out += '\\"'
      else if (ch === '\\') out += '\\\\'
      else if (ch === '\n') out += '\\n'
      else if (ch === '\r') out += '\\r'
      else if (ch === '\t') out += '\\t'
      else if (ch === '\b') out += '\\b'
      else if (ch === '\f') out += '\\f'
      else if (code < 0x20) out += `\\u${code.toString(16).padStart(4, '0')}`
      else if (ensureAscii && code > 0x7e) {
        if (code > 0xffff) {
          const v = code - 0x10000
          out += `\\u${(0xd800 + (v >> 10)).toString(16)}\\u${(0xdc00 + (v & 0x3ff)).toString(16)}`
        } else out += `\\u${code.toString(16).padStart(4, '0')}`
      } else out += ch
    }
    return `${out}"`
  }
  const write = (v: unknown, level: number): string => {
    if (v === null || v === undefined) return 'null'
    if (typeof v === 'string') return str(v)
    if (typeof v === 'boolean') return v ? 'true' : 'false'
    if (typeof v === 'number' || typeof v === 'bigint') return String(v)
    const inner = indent === undefined ? '' : `\n${' '.repeat(indent * (level + 1))}`
    const outer = indent === undefined ? '' : `\n${' '.repeat(indent * level)}`
    const sep = indent === undefined ? ', ' : ','
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]'
      return `[${v.map((item) => inner + write(item, level + 1)).join(sep)}${outer}]`
    }
    const entries = Object.entries(v as Record<string, unknown>).filter(([, item]) => item !== undefined)
    if (entries.length === 0) return '{}'
    return `{${entries.map(([key, item]) => `${inner}${str(key)}: ${write(item, level + 1)}`).join(sep)}${outer}}`
  }
  return write(value, 0)
}

/** pip's `tabulate`: columns padded to their widest cell (in code points), trailing blanks removed; and the widths. */
export function tabulate(rows: readonly (readonly string[])[]): { lines: string[]; widths: number[] } {
  const length = (text: string) => [...text].length
  const columns = Math.max(0, ...rows.map((row) => row.length))
  const widths = Array.from({ length: columns }, (_, i) => Math.max(...rows.map((row) => length(row[i] ?? ''))))
  const lines = rows.map((row) =>
    row
      .map((cell, i) => cell + ' '.repeat(widths[i]! - length(cell)))
      .join(' ')
      .replace(/\s+$/, ''),
  )
  return { lines, widths }
}

/** `pip list`'s columns: header, a dashed rule, the rows. Nothing for no rows. */
export function formatColumns(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  if (rows.length === 0) return []
  const { lines, widths } = tabulate([header, ...rows])
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join(' '))
  return lines
}
