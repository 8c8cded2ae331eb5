/**
 * `.netrc` files as Python's `netrc` module reads them (which is what pip,
 * through requests, uses): whitespace-separated tokens, `machine NAME` or
 * `default` entries with `login`, `password` and `account`, `macdef` blocks
 * skipped up to the next blank line, `#` comments, and double-quoted tokens.
 * A malformed file yields no entries (requests ignores netrc parse errors).
 */
import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

export interface NetrcEntry {
  readonly login: string
  readonly account: string
  readonly password: string
}

export interface Netrc {
  readonly machines: ReadonlyMap<string, NetrcEntry>
  readonly default: NetrcEntry | undefined
}

function tokenize(text: string): string[] {
  const tokens: string[] = []
  const lines = text.split(/\r?\n/)
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!
    const words = line.match(/"(?:[^"\\]|\\.)*"|[^\s]+/g) ?? []
    for (let w = 0; w < words.length; w++) {
      const word = words[w]!
      if (word.startsWith('#')) break
      if (word === 'macdef') {
        // A macro runs to the next blank line; its body is not tokens.
        tokens.push('macdef', words[w + 1] ?? '')
        index++
        while (index < lines.length && lines[index]!.trim() !== '') index++
        break
      }
      tokens.push(word.startsWith('"') ? word.slice(1, -1).replace(/\\(.)/g, '$1') : word)
    }
  }
  return tokens
}

/** Parses the text of a `.netrc` file. */
export function parseNetrc(text: string): Netrc {
  const machines = new Map<string, NetrcEntry>()
  let fallback: NetrcEntry | undefined
  const tokens = tokenize(text)
  let i = 0
  while (i < tokens.length) {
    const head = tokens[i++]!
    let name: string | undefined
    if (head === 'machine') name = tokens[i++]
    else if (head === 'default') name = undefined
    else if (head === 'macdef') {
      i++
      continue
    } else return { machines: new Map(), default: undefined }
    let login = ''
    let account = ''
    let password = ''
    while (i < tokens.length) {
      const key = tokens[i]!
      if (key === 'machine' || key === 'default' || key === 'macdef') break
      const value = tokens[i + 1] ?? ''
      i += 2
      if (key === 'login' || key === 'user') login = value
      else if (key === 'account') account = value
      else if (key === 'password') password = value
      else return { machines: new Map(), default: undefined }
    }
    const entry = Object.freeze({ login, account, password })
    if (name === undefined) fallback = entry
    else if (!machines.has(name)) machines.set(name, entry)
  }
  return { machines, default: fallback }
}

/** The entry for a host name (without port), else the `default` entry. */
export function netrcLookup(netrc: Netrc, hostname: string): NetrcEntry | undefined {
  return netrc.machines.get(hostname) ?? netrc.default
}

/** The netrc file pip would read: `$NETRC`, else `~/.netrc`, else `~/_netrc`. Missing or unreadable files give undefined. */
export async function loadNetrc(env: NodeJS.ProcessEnv = process.env, home: string = env['HOME'] ?? homedir()): Promise<Netrc | undefined> {
  const candidates = env['NETRC'] ? [env['NETRC']] : [join(home, '.netrc'), join(home, '_netrc')]
  for (const path of candidates) {
    try {
      // Synchronous: a small file read once per session (usually absent), cheaper than a thread-pool round trip.
      return parseNetrc(readFileSync(path, 'utf8'))
    } catch {
      // next candidate
    }
  }
  return undefined
}
