/**
 * Fuzzing: random and mutated inputs must only ever produce a value or one of
 * our own errors (PipetteError with an ERR_ code), never a TypeError, a
 * RangeError (stack overflow) or a hang.
 *
 * How this shows "no catastrophic backtracking" without timing assertions:
 * besides 10,000 mutated inputs of ordinary size per parser, it feeds inputs of
 * 100,000 characters built from the shapes that make backtracking regular
 * expressions explode (long runs of name characters ending in a non-word
 * character, thousands of `(` or `[`, long `===` versions, long runs of
 * spaces, backslashes and `#`). A parser that is quadratic on any of them would
 * need about 10^10 steps for one input, seconds to minutes each, and the
 * 26 of them would blow the 60-second limit of each test; linear parsers
 * finish each test in one or two seconds. (This test found two such cases:
 * a URL-redaction regular expression, quadratic on `a-a-a-...`, now replaced
 * by redact.ts; and the `[extras]` suffix regex of requirement-line.ts.)
 * The slowest input is logged for information only.
 */
import { describe, expect, it } from 'vitest'
import { seededRandom } from '@pipette/test-support'
import { isPipetteError } from '@pipette/errors'
import {
  parseMarker,
  parsePyproject,
  parseRequirement,
  parseRequirementsFile,
  parseScriptMetadata,
} from '../src/index.js'
import { markerEnvironments } from './fixtures/markers.js'
import { requirementCases } from './fixtures/requirements.js'
import { markerCases } from './fixtures/markers.js'
import { fakeFileSystem } from './fake-fs.js'

const ALPHABET = [
  ...'abcxyzAZ019._-[](),;@=<>~!"\'#\\ \t\n*+:/?&%$',
  'é',
  '\u212a',
  '\u017f',
  '\u0131',
  '\u00a0',
  '\u2028',
  '\u{1F600}',
  '\0',
  ' and ',
  ' or ',
  ' in ',
  ' not in ',
  'python_version',
  'extra',
  'os.name',
  '===',
  '~=',
  '.*',
  'https://',
  'file:',
  '--hash=sha256:',
  '-r ',
  '-e ',
  '${X}',
  '\\\n',
  '# /// script\n',
  '# ///\n',
]

function mutate(text: string, next: () => number): string {
  const chars = [...text]
  const edits = 1 + Math.floor(next() * 4)
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(next() * (chars.length + 1))
    const r = next()
    if (r < 0.35 && chars.length > 0) chars.splice(Math.min(at, chars.length - 1), 1)
    else if (r < 0.8) chars.splice(at, 0, ALPHABET[Math.floor(next() * ALPHABET.length)]!)
    else if (chars.length > 0) {
      const from = Math.floor(next() * chars.length)
      chars.splice(at, 0, ...chars.slice(from, from + 1 + Math.floor(next() * 8)))
    }
  }
  return chars.join('')
}

function randomText(next: () => number): string {
  let out = ''
  const length = Math.floor(next() * 40)
  for (let i = 0; i < length; i++) out += ALPHABET[Math.floor(next() * ALPHABET.length)]
  return out
}

const N = 100_000
const HOSTILE = [
  'a'.repeat(N) + 'é',
  'a'.repeat(N) + '-',
  'a-'.repeat(N / 2) + ' ',
  'a' + '['.repeat(N),
  'a[' + 'b,'.repeat(N / 2),
  'a' + '('.repeat(N),
  'a===' + 'x'.repeat(N),
  'a==' + '1.'.repeat(N / 2) + '*',
  'a>=' + '1'.repeat(N) + 'a',
  'a; ' + '('.repeat(N),
  'a; ' + 'os_name == "x" and '.repeat(N / 20) + 'os_name == "x"',
  'a; os_name == "' + '\\'.repeat(N) + '"',
  'a; os_name == "' + 'x'.repeat(N),
  'a @ ' + 'h'.repeat(N),
  'a @ https://' + '['.repeat(N),
  'a' + ' '.repeat(N) + 'b',
  ' '.repeat(N) + '#'.repeat(N),
  '\\'.repeat(N),
  '-r ' + 'x '.repeat(N / 2),
  "--index-url '" + 'x'.repeat(N),
  './' + '['.repeat(N) + ']',
  './' + 'a['.repeat(N / 2) + 'b]',
  '${' + 'A'.repeat(N),
  '# /// script\n' + '# x\n'.repeat(N / 4),
  '# /// script\n' + '# ///\n'.repeat(N / 6),
  '[project]\nname = "' + 'a'.repeat(N) + '"\nversion = "1"\n',
]

const seeds = [
  ...requirementCases.map((row) => row[0]),
  ...markerCases.map((row) => `x; ${row[0]}`),
  'name[extra] @ https://example.com/x.whl ; python_version >= "3.8" and extra == "test"',
  'pkg (>=1.0, <2, !=1.5.*) ; os_name == "nt" or (sys_platform in "linux darwin")',
]

interface Slowest {
  ms: number
  what: string
}

function attempt(run: () => unknown, slowest: Slowest, what: string): void {
  const start = performance.now()
  try {
    run()
  } catch (error) {
    if (!isPipetteError(error)) {
      throw new Error(`${what}: threw a non-pipette error: ${String(error)}`, { cause: error })
    }
  }
  const ms = performance.now() - start
  if (ms > slowest.ms) {
    slowest.ms = ms
    slowest.what = what.slice(0, 60)
  }
}

async function attemptAsync(run: () => Promise<unknown>, slowest: Slowest, what: string): Promise<void> {
  const start = performance.now()
  try {
    await run()
  } catch (error) {
    if (!isPipetteError(error)) {
      throw new Error(`${what}: threw a non-pipette error: ${String(error)}`, { cause: error })
    }
  }
  const ms = performance.now() - start
  if (ms > slowest.ms) {
    slowest.ms = ms
    slowest.what = what.slice(0, 60)
  }
}

function inputs(seed: number, count: number): string[] {
  const next = seededRandom(seed)
  const list: string[] = []
  for (let i = 0; i < count; i++) {
    list.push(next() < 0.15 ? randomText(next) : mutate(seeds[Math.floor(next() * seeds.length)]!, next))
  }
  return list
}

const environments = [markerEnvironments.linux, markerEnvironments.windows, markerEnvironments.pre]

describe('fuzzing', () => {
  it('parseRequirement and parseMarker (+ evaluate) on 10,000 mutated inputs each, and on hostile 100k-character inputs', () => {
    const slowest: Slowest = { ms: 0, what: '' }
    let parsed = 0
    for (const text of [...inputs(1, 10_000), ...HOSTILE]) {
      attempt(
        () => {
          const req = parseRequirement(text)
          parsed++
          // The specifier set is built lazily: a valid requirement must never fail to build it.
          try {
            String(req.specifier)
          } catch (error) {
            throw new Error(`valid requirement with an unusable specifier: ${JSON.stringify(text)}`, { cause: error })
          }
          for (const environment of environments) req.marker?.evaluate(environment, { extras: ['test'] })
          String(req)
        },
        slowest,
        `parseRequirement(${JSON.stringify(text)})`,
      )
      attempt(
        () => {
          const marker = parseMarker(text)
          for (const environment of environments) marker.evaluate(environment)
        },
        slowest,
        `parseMarker(${JSON.stringify(text)})`,
      )
    }
    console.info(`fuzz PEP 508: ${parsed} inputs parsed; slowest ${slowest.ms.toFixed(2)} ms: ${slowest.what}`)
    expect(parsed).toBeGreaterThan(500)
  }, 60_000)

  it('parseRequirementsFile on 3,000 mutated files and hostile lines', async () => {
    const slowest: Slowest = { ms: 0, what: '' }
    const next = seededRandom(2)
    const lines = inputs(3, 3_000)
    const files: string[] = []
    for (let i = 0; i < lines.length; i += 3) {
      files.push([lines[i], '--pre', lines[i + 1], '# comment \\', lines[i + 2]].join(next() < 0.5 ? '\n' : '\r\n'))
    }
    files.push(...HOSTILE)
    for (const content of files) {
      const fs = fakeFileSystem('/fuzz', { 'r.txt': content, 'other.txt': content.slice(0, 200), 'pkg/pyproject.toml': '' })
      await attemptAsync(
        () => parseRequirementsFile('r.txt', { cwd: '/fuzz', env: { X: 'x' }, fs, fetch: async () => ({ body: new Uint8Array() }) }),
        slowest,
        `parseRequirementsFile(${JSON.stringify(content)})`,
      )
    }
    console.info(`fuzz requirements files: slowest ${slowest.ms.toFixed(2)} ms: ${slowest.what}`)
  }, 60_000)

  it('parsePyproject and parseScriptMetadata on 3,000 mutated documents', async () => {
    const slowest: Slowest = { ms: 0, what: '' }
    const next = seededRandom(4)
    const pyproject = [
      '[build-system]\nrequires = ["setuptools>=61", "wheel"]\nbuild-backend = "setuptools.build_meta"\n',
      '[project]\nname = "spam"\nversion = "1.0"\nrequires-python = ">=3.8"\ndependencies = ["requests>=2", "rich"]\n',
      '[project.optional-dependencies]\ntest = ["pytest"]\n[project.scripts]\nspam = "spam:main"\n',
      '[dependency-groups]\ntest = ["pytest"]\ndev = [{include-group = "test"}, "ruff"]\n',
    ].join('')
    const script = '#!/usr/bin/env python\n# /// script\n# requires-python = ">=3.11"\n# dependencies = [\n#   "requests<3",\n# ]\n# ///\nimport requests\n'
    for (let i = 0; i < 3_000; i++) {
      const document = mutate(mutate(pyproject, next), next)
      await attemptAsync(() => parsePyproject(document), slowest, `parsePyproject(${JSON.stringify(document)})`)
      const source = mutate(script, next)
      await attemptAsync(() => parseScriptMetadata(source), slowest, `parseScriptMetadata(${JSON.stringify(source)})`)
    }
    for (const text of HOSTILE) {
      await attemptAsync(() => parsePyproject(text), slowest, `parsePyproject(${JSON.stringify(text)})`)
      await attemptAsync(() => parseScriptMetadata(text), slowest, `parseScriptMetadata(${JSON.stringify(text)})`)
    }
    console.info(`fuzz pyproject/PEP 723: slowest ${slowest.ms.toFixed(2)} ms: ${slowest.what}`)
  }, 60_000)
})
