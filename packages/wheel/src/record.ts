/**
 * RECORD files (PEP 376 / PEP 627): one CSV row per installed file, `path,
 * hash, size`, with `hash` as `algorithm=urlsafe-base64-digest-without-
 * padding`. Read and written with the quoting rules of Python's `csv` module
 * (the excel dialect: `,`, `"` doubled inside quotes, minimal quoting, `\r\n`
 * line ends), because that is what pip writes and what uninstallers parse.
 */
import { createHash } from 'node:crypto'

export interface RecordRow {
  readonly path: string
  /** `sha256=...`, or `''` for files without a hash (RECORD itself, `.pyc` files). */
  readonly hash: string
  /** The size in bytes as written, or `''`. */
  readonly size: string
}

/** Parses one CSV line as Python's `csv.reader` does (excel dialect). */
export function parseCsvLine(line: string): string[] {
  const fields: string[] = []
  let field = ''
  let i = 0
  let quoted = false
  let wasQuoted = false
  while (i < line.length) {
    const c = line[i]!
    if (quoted) {
      if (c === '"') {
        if (line[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        quoted = false
        i++
        continue
      }
      field += c
      i++
      continue
    }
    if (c === ',') {
      fields.push(field)
      field = ''
      wasQuoted = false
      i++
      continue
    }
    if (c === '"' && field === '' && !wasQuoted) {
      quoted = true
      wasQuoted = true
      i++
      continue
    }
    field += c
    i++
  }
  fields.push(field)
  return fields
}

/** Parses a RECORD file into rows; blank lines are skipped, missing columns are `''`. */
export function parseRecord(text: string): RecordRow[] {
  const rows: RecordRow[] = []
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === '') continue
    const [path = '', hash = '', size = ''] = parseCsvLine(line)
    rows.push(Object.freeze({ path, hash, size }))
  }
  return rows
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

/** Compares strings by code point, as Python sorts `str`. */
export function compareCodePoints(a: string, b: string): number {
  // UTF-16 code units order like code points except where a surrogate meets a unit above it: only
  // then walk by code point.
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x === y) continue
    if ((x & 0xf800) === 0xd800 || (y & 0xf800) === 0xd800) return compareByIterator(a, b)
    return x - y
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1
}

function compareByIterator(a: string, b: string): number {
  const ia = a[Symbol.iterator]()
  const ib = b[Symbol.iterator]()
  for (;;) {
    const x = ia.next()
    const y = ib.next()
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1
    if (x.value !== y.value) return x.value.codePointAt(0)! - y.value.codePointAt(0)!
  }
}

/**
 * Writes rows as pip writes an installed RECORD: sorted by (path, hash,
 * size) the way Python sorts tuples of strings, CSV with `\r\n` line ends.
 */
export function formatRecord(rows: readonly RecordRow[]): string {
  return formatSortedRecord(sortRecordRows(rows))
}

/** Rows in pip's RECORD order: by (path, hash, size) as Python sorts tuples of strings. */
export function sortRecordRows(rows: readonly RecordRow[]): RecordRow[] {
  return [...rows].sort((a, b) => compareCodePoints(a.path, b.path) || compareCodePoints(a.hash, b.hash) || compareCodePoints(a.size, b.size))
}

/** Rows already in order as RECORD text (CSV, `\r\n` line ends). */
export function formatSortedRecord(sorted: readonly RecordRow[]): string {
  return sorted.map((row) => `${csvField(row.path)},${csvField(row.hash)},${csvField(row.size)}\r\n`).join('')
}

/** A file's new hash and size (`#!python` scripts rewritten, files the installer writes). */
export interface RecordedFile {
  readonly path: string
  readonly hash: string
  readonly size: number
}

export interface InstalledRecordOptions {
  /** The wheel's own RECORD text. */
  readonly recordText: string
  /** The wheel's RECORD path -> the installed RECORD path, for every file placed (compiled `.pyc` files included). */
  readonly installed: ReadonlyMap<string, string>
  /** Installed RECORD path -> the new hash and size of a file rewritten while installing. */
  readonly changed: ReadonlyMap<string, { readonly hash: string; readonly size: number }>
  /** The files the installer wrote (launchers, INSTALLER, ...), as RECORD paths, in the order written. */
  readonly generated: readonly RecordedFile[]
}

/**
 * The rows of an installed RECORD, as pip builds them (unsorted; see
 * `formatRecord`): the wheel's rows with installed paths and new hashes,
 * then the generated files, then what was installed but not in the wheel's
 * RECORD (bytecode), without a hash. Also the warnings pip prints.
 */
export function installedRecordRows(options: InstalledRecordOptions): { rows: RecordRow[]; warnings: string[] } {
  const rows: RecordRow[] = []
  const warnings: string[] = []
  const remaining = new Map(options.installed)
  for (const line of options.recordText.split(/\r\n|\r|\n|\v|\f|\x1c|\x1d|\x1e|\x85|\u2028|\u2029/)) {
    if (line === '') continue
    const row = parseCsvLine(line)
    if (row.length > 3) warnings.push(`RECORD line has more than three elements: ${JSON.stringify(row)}`)
    const old = row[0]!
    const path = remaining.get(old) ?? old
    remaining.delete(old)
    const change = options.changed.get(path)
    rows.push(change ? { path, hash: change.hash, size: String(change.size) } : { path, hash: row[1] ?? '', size: row[2] ?? '' })
  }
  // pip hashes generated files when it writes RECORD: a path written twice (a console and a GUI
  // script of one name) has the last content's hash in both rows.
  const latest = new Map(options.generated.map((file) => [file.path, file]))
  for (const { path } of options.generated) {
    const file = latest.get(path)!
    rows.push({ path, hash: file.hash, size: String(file.size) })
  }
  for (const path of remaining.values()) rows.push({ path, hash: '', size: '' })
  return { rows, warnings }
}

/** `sha256=<urlsafe base64 without padding>` of some bytes. */
export function recordHash(data: Uint8Array, algorithm = 'sha256'): string {
  return `${algorithm}=${createHash(nodeHashName(algorithm)).update(data).digest('base64url')}`
}

/** Hash algorithms a RECORD may use: as strong as sha256 or stronger (md5 and sha1 are refused). */
export const RECORD_HASH_ALGORITHMS: ReadonlySet<string> = new Set(['sha256', 'sha384', 'sha512', 'sha3_256', 'sha3_384', 'sha3_512', 'blake2b', 'blake2s'])

/** Node's name for a hashlib algorithm name. */
export function nodeHashName(algorithm: string): string {
  switch (algorithm) {
    case 'sha3_256':
    case 'sha3_384':
    case 'sha3_512':
      return algorithm.replace('_', '-')
    case 'blake2b':
      return 'blake2b512'
    case 'blake2s':
      return 'blake2s256'
    default:
      return algorithm
  }
}
