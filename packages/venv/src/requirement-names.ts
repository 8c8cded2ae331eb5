/**
 * The project names `pipette uninstall NAME...` and `-r FILE` refer to. A
 * requirement may carry a version, extras, a marker or a URL (`pip==23.0`,
 * `name @ https://...`): only its name matters for uninstalling.
 *
 * Reading `-r` files here is deliberately small (comments, blank lines,
 * `\` continuations, option lines skipped, nested `-r`/`--requirement`
 * followed); it gives way to @pipette/requirements' requirements-file
 * parser once that is available to this package.
 */
import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { canonicalizeName } from '@pipette/requirements'
import { VenvError } from './errors.js'

const NAME = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?=$|[<>=!~;[@(,\s])/

/** The name a requirement line starts with, or null when it names no project. */
export function requirementName(text: string): string | null {
  const match = NAME.exec(text)
  return match === null ? null : match[1]!
}

/** The requirement lines of a requirements file (and the files it includes with `-r`), comments and options removed. */
export async function requirementFileLines(path: string, seen: Set<string> = new Set()): Promise<string[]> {
  const full = resolve(path)
  if (seen.has(full)) return []
  seen.add(full)
  let text: string
  try {
    text = await readFile(full, 'utf8')
  } catch (cause) {
    throw new VenvError('ERR_REQUIREMENTS_FILE', `Could not open requirements file: ${(cause as Error).message}`, {
      hint: 'Pass an existing file, e.g. -r requirements.txt',
      cause,
    })
  }
  const out: string[] = []
  const logical = text.replace(/\r\n?/g, '\n').replace(/\\\n/g, '').split('\n')
  for (const raw of logical) {
    const line = raw.replace(/(^|\s+)#.*$/, '').trim()
    if (line === '') continue
    const nested = /^(?:-r|--requirement)(?:\s*=\s*|\s+|(?=\S))(\S+)$/.exec(line)
    if (nested !== null) {
      out.push(...(await requirementFileLines(resolve(dirname(full), nested[1]!), seen)))
      continue
    }
    if (line.startsWith('-')) continue
    out.push(line)
  }
  return out
}

/**
 * The projects an uninstall is asked for, as pip collects them: one request per
 * project (the last spelling wins, the first position is kept), from the
 * arguments then the requirements files; arguments that name no project are
 * returned apart (pip warns and ignores them).
 */
export async function collectUninstallRequests(
  args: readonly string[],
  requirementFiles: readonly string[] = [],
): Promise<{ names: string[]; invalid: string[] }> {
  const requests = new Map<string, string>()
  const invalid: string[] = []
  for (const text of args) {
    const name = requirementName(text)
    if (name === null) invalid.push(text)
    else requests.set(canonicalizeName(name), name)
  }
  for (const file of requirementFiles) {
    for (const line of await requirementFileLines(file)) {
      const name = requirementName(line)
      if (name !== null) requests.set(canonicalizeName(name), name)
    }
  }
  return { names: [...requests.values()], invalid }
}
