/**
 * The line pre-processing of pip's requirements files (`preprocess` in
 * req_file.py), step by step:
 *
 * 1. split into lines at every line boundary Python's `str.splitlines` knows
 *    (`\n`, `\r\n`, `\r`, `\v`, `\f`, `\x1c`-`\x1e`, `\x85`, `\u2028`, `\u2029`);
 * 2. join a line ending in `\` with the next one (the joined line keeps the
 *    first line's number; a comment line ends the continuation);
 * 3. cut comments (`#` at the start or after whitespace) and surrounding
 *    whitespace, drop empty lines;
 * 4. expand `${NAME}` (upper-case letters, digits, `_`) from the environment
 *    when the variable is set and not empty.
 */
import { isPythonSpace } from './chars.js'

export interface LogicalLine {
  /** 1-based number of the (first) physical line. */
  readonly line: number
  readonly text: string
}

function isLineBoundary(code: number): boolean {
  return (
    code === 10 ||
    code === 13 ||
    code === 11 ||
    code === 12 ||
    code === 0x1c ||
    code === 0x1d ||
    code === 0x1e ||
    code === 0x85 ||
    code === 0x2028 ||
    code === 0x2029
  )
}

/** Python's `str.splitlines()`. */
export function splitLines(text: string): string[] {
  const lines: string[] = []
  let start = 0
  let i = 0
  while (i < text.length) {
    const code = text.charCodeAt(i)
    if (isLineBoundary(code)) {
      lines.push(text.slice(start, i))
      i += code === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1
      start = i
    } else {
      i++
    }
  }
  if (start < text.length) lines.push(text.slice(start))
  return lines
}

/** pip's COMMENT_RE `(^|\s+)#.*$`: the index where the comment starts, or -1. */
function commentStart(line: string): number {
  if (line.charCodeAt(0) === 35) return 0
  let i = 0
  while (i < line.length) {
    if (isPythonSpace(line.charCodeAt(i))) {
      let j = i
      while (j < line.length && isPythonSpace(line.charCodeAt(j))) j++
      if (line.charCodeAt(j) === 35) return i
      i = j
    } else {
      i++
    }
  }
  return -1
}

/** COMMENT_RE.match: the line is a comment (optional whitespace, then `#`). */
function isCommentLine(line: string): boolean {
  let i = 0
  while (i < line.length && isPythonSpace(line.charCodeAt(i))) i++
  return line.charCodeAt(i) === 35
}

function stripPythonSpace(text: string): string {
  let start = 0
  let end = text.length
  while (start < end && isPythonSpace(text.charCodeAt(start))) start++
  while (end > start && isPythonSpace(text.charCodeAt(end - 1))) end--
  return text.slice(start, end)
}

function stripBackslashes(text: string): string {
  let start = 0
  let end = text.length
  while (start < end && text.charCodeAt(start) === 92) start++
  while (end > start && text.charCodeAt(end - 1) === 92) end--
  return text.slice(start, end)
}

const ENV_VAR = /\$\{([A-Z0-9_]+)\}/g

/** Steps 1-4 above. `env` supplies `${NAME}` values. */
export function logicalLines(content: string, env: Readonly<Record<string, string | undefined>>): LogicalLine[] {
  const joined: LogicalLine[] = []
  let pending: string[] | undefined
  let pendingLine = 0
  const physical = splitLines(content)
  for (let index = 0; index < physical.length; index++) {
    let line = physical[index]!
    const number = index + 1
    const comment = isCommentLine(line)
    if (!line.endsWith('\\') || comment) {
      if (comment) line = ` ${line}`
      if (pending !== undefined) {
        pending.push(line)
        joined.push({ line: pendingLine, text: pending.join('') })
        pending = undefined
      } else {
        joined.push({ line: number, text: line })
      }
    } else {
      if (pending === undefined) {
        pending = []
        pendingLine = number
      }
      pending.push(stripBackslashes(line))
    }
  }
  if (pending !== undefined) joined.push({ line: pendingLine, text: pending.join('') })

  const result: LogicalLine[] = []
  for (const { line, text } of joined) {
    const cut = commentStart(text)
    const stripped = stripPythonSpace(cut === -1 ? text : text.slice(0, cut))
    if (stripped === '') continue
    let expanded = stripped
    if (stripped.includes('${')) {
      for (const match of stripped.matchAll(ENV_VAR)) {
        const value = env[match[1]!]
        if (value === undefined || value === '') continue
        expanded = expanded.split(match[0]).join(value)
      }
    }
    result.push({ line, text: expanded })
  }
  return result
}
