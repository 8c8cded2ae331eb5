/**
 * `pep440`: two workloads, each side running both in one round, the round's
 * time being their sum (the per-workload medians are printed at the end):
 *
 * 1. parse + sort 200,000 version strings (a seeded, PyPI-like mix: releases
 *    of 1-4 numbers, pre-, post- and dev-releases, epochs, local versions);
 * 2. 1,000,000 `contains` checks: 50 specifier sets (the shapes requirement
 *    files use: ranges, `~=`, `==X.*`, exclusions, pre-release bounds) times
 *    20,000 candidate versions, with the default pre-release policy.
 *
 * Sides, each timing only its work:
 * - `pipette`: @pipette/pep440 in this process, after a warm-up round (as a
 *   long-running resolver would run); no cache is shared between rounds
 *   (every round parses its strings again);
 * - `pipette (fresh process)`: a new Node process per round, JIT warm-up
 *   included;
 * - `packaging`: PyPA packaging (Debian's 23.0) in a new Python process per
 *   round, timed with `time.perf_counter` (python/pep440_bench.py);
 * - `@renovatebot/pep440`: 4.2.2 in a new Node process per round (it makes
 *   so much garbage that in this process it would slow the other sides down),
 *   through its public API: `strings.sort(compare)` (it compares strings,
 *   parsing both each time) and `satisfies(version, specifier)`.
 *
 * pipette and packaging must agree on the sorted order (a sample of it) and
 * on the number of matches, or the round fails: a wrong side never reports a
 * fast time. Where @renovatebot/pep440 disagrees, it is logged.
 */
import { spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { seededRandom } from '@pipette/test-support'
import { parseSpecifierSet, parseVersion, sortVersions } from '@pipette/pep440'
import type { Benchmark, Sample } from '../runner.js'
import { median } from '../runner.js'
import { systemPython } from '../paths.js'

const VERSIONS = 200_000
const CANDIDATES = 20_000
const SAMPLE_STEP = 997
const SCRIPT = fileURLToPath(new URL('../../python/pep440_bench.py', import.meta.url))

export interface Pep440Data {
  readonly versions: readonly string[]
  readonly sets: readonly string[]
  readonly candidates: readonly string[]
  readonly sampleStep: number
}

export interface WorkloadResult {
  readonly sortMs: number
  readonly containsMs: number
  /** Every SAMPLE_STEP-th version of the sorted order, normalized. */
  readonly sorted: readonly string[]
  readonly matches: number
}

const FIXED_SETS = [
  '>=1.0',
  '>=1.0,<2',
  '~=1.4',
  '~=2.2.0',
  '==1.2.*',
  '!=1.5,>=1.0',
  '>=2.0rc1',
  '<3,>=2.1.post1',
  '==3.1.4',
  '>=0.9,<1.0',
  '!=2.0.*,>=1.5',
  '~=0.13',
  '<=4.1',
  '>1.0',
  '<19',
  '==1!1.0',
  '>=1.0.dev0',
  '!=1.2.3,!=1.2.4,>=1.2',
  '~=1.4.5',
  '>=2,<3,!=2.5.*',
]

/** The benchmark's input, the same in every run and every process. */
export function pep440Data(): Pep440Data {
  const next = seededRandom(440_2024)
  const int = (n: number) => Math.floor(next() * n)
  const version = (): string => {
    let text = next() < 0.01 ? '1!' : ''
    const count = 1 + int(4)
    const numbers: number[] = []
    for (let i = 0; i < count; i++) numbers.push(i === 0 ? int(30) : int(next() < 0.2 ? 2000 : 20))
    text += numbers.join('.')
    const r = next()
    if (r < 0.1) text += ['a', 'b', 'rc'][int(3)]! + int(5)
    else if (r < 0.15) text += `.post${int(5)}`
    else if (r < 0.2) text += `.dev${int(10)}`
    if (next() < 0.03) text += `+local.${int(9)}`
    return text
  }
  const versions = Array.from({ length: VERSIONS }, version)
  const candidates = Array.from({ length: CANDIDATES }, version)
  const sets = [...FIXED_SETS]
  while (sets.length < 50) {
    const low = `${int(20)}.${int(10)}`
    const high = `${int(20) + 10}`
    const r = next()
    if (r < 0.4) sets.push(`>=${low},<${high}`)
    else if (r < 0.6) sets.push(`~=${low}.${int(5)}`)
    else if (r < 0.8) sets.push(`==${int(20)}.*`)
    else sets.push(`>=${low},!=${int(20)}.${int(10)}.*`)
  }
  // Flat strings, as read from a file (concatenation leaves ropes that the first reader pays to flatten).
  const flat = JSON.parse(JSON.stringify({ versions, sets, candidates })) as Omit<Pep440Data, 'sampleStep'>
  return { ...flat, sampleStep: SAMPLE_STEP }
}

/** Both workloads with @pipette/pep440. */
export function pipetteWorkload(data: Pep440Data): WorkloadResult {
  let start = performance.now()
  const ordered = sortVersions(data.versions)
  const sortMs = performance.now() - start
  const sets = data.sets.map((text) => parseSpecifierSet(text))
  const candidates = data.candidates.map((text) => parseVersion(text))
  start = performance.now()
  let matches = 0
  for (const set of sets) {
    for (const version of candidates) if (set.contains(version)) matches++
  }
  const containsMs = performance.now() - start
  const sorted: string[] = []
  for (let i = 0; i < ordered.length; i += data.sampleStep) sorted.push(ordered[i]!.toString())
  return { sortMs, containsMs, sorted, matches }
}

type Renovate = typeof import('@renovatebot/pep440')

/** Both workloads with @renovatebot/pep440's public API. */
export function renovateWorkload(pep440: Renovate, data: Pep440Data): WorkloadResult {
  let start = performance.now()
  const ordered = [...data.versions].sort(pep440.compare)
  const sortMs = performance.now() - start
  start = performance.now()
  let matches = 0
  for (const set of data.sets) {
    for (const version of data.candidates) if (pep440.satisfies(version, set)) matches++
  }
  const containsMs = performance.now() - start
  const sorted: string[] = []
  for (let i = 0; i < ordered.length; i += data.sampleStep) sorted.push(pep440.clean(ordered[i]!) ?? ordered[i]!)
  return { sortMs, containsMs, sorted, matches }
}

function run(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)))
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`${command} exited with ${code}:\n${stderr}`))))
  })
}

async function childWorkload(command: string, args: readonly string[]): Promise<WorkloadResult> {
  return JSON.parse((await run(command, args)).trim().split('\n').at(-1)!) as WorkloadResult
}

const FRESH_NODE = `
const { pep440Data, pipetteWorkload } = await import(process.argv[1]);
console.log(JSON.stringify(pipetteWorkload(pep440Data())));
`

const FRESH_RENOVATE = `
const { pep440Data, renovateWorkload, loadRenovate } = await import(process.argv[1]);
console.log(JSON.stringify(renovateWorkload(await loadRenovate(), pep440Data())));
`

/** @renovatebot/pep440, resolved from this package (a dev dependency of perf-bench). */
export async function loadRenovate(): Promise<Renovate> {
  return (await import('@renovatebot/pep440')) as Renovate
}

const WORKLOADS = ['parse + sort 200k', 'contains 1M'] as const

export const pep440: Benchmark = (() => {
  const times = new Map<string, { sort: number[]; contains: number[] }>()
  let log: (line: string) => void = () => {}
  return {
    name: 'pep440',
    description: 'parse + sort 200,000 versions, then 1,000,000 SpecifierSet.contains: pipette vs packaging vs @renovatebot/pep440',
    subject: 'pipette',
    targets: { packaging: 10, '@renovatebot/pep440': 2 },
    setup: async (context) => {
      log = context.log
      times.clear()
      const data = pep440Data()
      const file = join(context.workDir, 'pep440.json')
      await writeFile(file, JSON.stringify(data))
      const self = fileURLToPath(import.meta.url)
      let reference: WorkloadResult | undefined
      const record = (name: string, result: WorkloadResult, strict: boolean): Sample => {
        reference ??= result
        const same = result.matches === reference.matches && JSON.stringify(result.sorted) === JSON.stringify(reference.sorted)
        if (!same) {
          const what = `${name}: ${result.matches} matches and ${result.sorted.length} sampled positions vs ${reference.matches} for the first side`
          if (strict) throw new Error(`${what}; pipette and packaging must agree`)
          log(`note: ${what} (answers differ)`)
        }
        const entry = times.get(name) ?? { sort: [], contains: [] }
        entry.sort.push(result.sortMs)
        entry.contains.push(result.containsMs)
        times.set(name, entry)
        return { ms: result.sortMs + result.containsMs }
      }
      return [
        {
          name: 'pipette',
          // Warm, as a long-running resolver would be: a few rounds for the JIT and the heap to settle.
          warmup: async () => {
            for (let i = 0; i < 3; i++) pipetteWorkload(data)
          },
          round: async () => record('pipette', pipetteWorkload(data), true),
        },
        {
          name: 'pipette (fresh process)',
          round: async () => record('pipette (fresh process)', await childWorkload(process.execPath, ['--input-type=module', '-e', FRESH_NODE, self]), true),
        },
        { name: 'packaging', round: async () => record('packaging', await childWorkload(systemPython, [SCRIPT, file]), true) },
        {
          name: '@renovatebot/pep440',
          round: async () => record('@renovatebot/pep440', await childWorkload(process.execPath, ['--input-type=module', '-e', FRESH_RENOVATE, self]), false),
        },
      ]
    },
    teardown: async () => {
      const subject = times.get('pipette')
      if (subject === undefined) return
      const base = { sort: median(subject.sort), contains: median(subject.contains) }
      log('per workload (median ms, and x pipette):')
      for (const [name, t] of times) {
        const sort = median(t.sort)
        const contains = median(t.contains)
        log(
          `  ${name.padEnd(24)} ${WORKLOADS[0]}: ${sort.toFixed(1).padStart(9)} (${(sort / base.sort).toFixed(1)}x)   ${WORKLOADS[1]}: ${contains.toFixed(1).padStart(9)} (${(contains / base.contains).toFixed(1)}x)`,
        )
      }
    },
  }
})()
