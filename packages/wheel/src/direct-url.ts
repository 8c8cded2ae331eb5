/**
 * PEP 610 `direct_url.json`: where a distribution installed from a path or
 * URL came from, written as pip writes it (`json.dumps(..., sort_keys=True)`).
 */
import { resolve } from 'node:path'

export interface DirectUrl {
  /** `file:///abs/path/x.whl` or the URL the wheel was fetched from (without credentials). */
  readonly url: string
  /** For archives: the archive's hash as `sha256=<hex>`, when known. */
  readonly archiveHash?: string | undefined
}

const ALWAYS_SAFE = /[A-Za-z0-9_.\-~/]/

/** Python's `urllib.parse.quote(text, safe='/')`. */
export function quoteUrlPath(text: string): string {
  let out = ''
  for (const char of text) {
    if (ALWAYS_SAFE.test(char)) {
      out += char
      continue
    }
    for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

/** pip's `path_to_url`: an absolute, normalized path as a `file://` URL. */
export function pathToFileUrl(path: string): string {
  return `file://${quoteUrlPath(resolve(path))}`
}

/** Python's `json.dumps` (ensure_ascii, default separators) for plain JSON values, keys sorted. */
export function pythonJson(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  }
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${pythonJson(k)}: ${pythonJson(v)}`).join(', ')}}`
}

/** The text of `direct_url.json` for an archive, as pip writes it. */
export function directUrlJson(directUrl: DirectUrl): string {
  const archiveInfo: Record<string, unknown> = {}
  if (directUrl.archiveHash !== undefined) {
    const eq = directUrl.archiveHash.indexOf('=')
    archiveInfo['hash'] = directUrl.archiveHash
    archiveInfo['hashes'] = { [directUrl.archiveHash.slice(0, eq)]: directUrl.archiveHash.slice(eq + 1) }
  }
  return pythonJson({ archive_info: archiveInfo, url: directUrl.url })
}
