/**
 * The benchmark runner. Every side of a benchmark (pipette and its references)
 * runs in the same process run, interleaved round by round (A B C, A B C, ...)
 * so that a machine that slows down or speeds up mid-run hurts every side
 * alike. A round returns its own elapsed time, so a side may time only the work
 * (an in-process loop in Python) or the whole process (a CLI run).
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface Sample {
  /** Elapsed milliseconds of this round. */
  readonly ms: number
  /** Peak resident memory in KiB, when the side measures it. */
  readonly maxRssKb?: number | undefined
}

export interface Side {
  readonly name: string
  /** Runs once before the timed rounds (warms caches the benchmark does not measure). */
  readonly warmup?: (() => Promise<void>) | undefined
  /** Runs one round and says how long it took. */
  readonly round: () => Promise<Sample>
}

export interface BenchmarkContext {
  readonly rounds: number
  /** A scratch directory that lives for this run only. */
  readonly workDir: string
  readonly log: (line: string) => void
}

export interface Benchmark {
  readonly name: string
  readonly description: string
  /** Builds the sides (and whatever fixtures they need). */
  readonly setup: (context: BenchmarkContext) => Promise<readonly Side[]>
  /** Which side the others are compared to. */
  readonly subject: string
  /** Targets to report: `reference name -> minimal ratio reference/subject`. */
  readonly targets?: Readonly<Record<string, number>> | undefined
  readonly teardown?: (() => Promise<void>) | undefined
}

export interface SideResult {
  readonly name: string
  readonly samples: readonly Sample[]
  readonly minMs: number
  readonly medianMs: number
  readonly maxRssKb: number | undefined
  /** median(this) / median(subject): how many times slower than the subject. */
  readonly ratio: number
  readonly target: number | undefined
  readonly meetsTarget: boolean | undefined
}

export interface BenchmarkResult {
  readonly benchmark: string
  readonly subject: string
  readonly rounds: number
  readonly sides: readonly SideResult[]
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export async function runBenchmark(benchmark: Benchmark, context: BenchmarkContext): Promise<BenchmarkResult> {
  const sides = await benchmark.setup(context)
  try {
    for (const side of sides) await side.warmup?.()
    const samples = new Map<string, Sample[]>(sides.map((side) => [side.name, []]))
    for (let round = 0; round < context.rounds; round++) {
      for (const side of sides) samples.get(side.name)!.push(await side.round())
    }
    const subjectSamples = samples.get(benchmark.subject)
    if (subjectSamples === undefined) throw new Error(`benchmark ${benchmark.name} has no side named ${benchmark.subject}`)
    const subjectMedian = median(subjectSamples.map((s) => s.ms))
    return {
      benchmark: benchmark.name,
      subject: benchmark.subject,
      rounds: context.rounds,
      sides: sides.map((side) => {
        const list = samples.get(side.name)!
        const ms = list.map((s) => s.ms)
        const rss = list.map((s) => s.maxRssKb).filter((v): v is number => v !== undefined)
        const medianMs = median(ms)
        const ratio = medianMs / subjectMedian
        const target = benchmark.targets?.[side.name]
        return {
          name: side.name,
          samples: list,
          minMs: Math.min(...ms),
          medianMs,
          maxRssKb: rss.length > 0 ? Math.max(...rss) : undefined,
          ratio,
          target,
          meetsTarget: target === undefined ? undefined : ratio >= target,
        }
      }),
    }
  } finally {
    await benchmark.teardown?.()
  }
}

export function formatResult(result: BenchmarkResult): string {
  const header = ['side', 'min ms', 'median ms', 'peak RSS MiB', `x ${result.subject}`, 'target']
  const rows = result.sides.map((side) => [
    side.name,
    side.minMs.toFixed(1),
    side.medianMs.toFixed(1),
    side.maxRssKb === undefined ? '-' : (side.maxRssKb / 1024).toFixed(1),
    side.name === result.subject ? '1.00' : side.ratio.toFixed(2),
    side.target === undefined ? '' : `>= ${side.target}x ${side.meetsTarget ? 'met' : 'MISSED'}`,
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  return [`${result.benchmark} (${result.rounds} rounds)`, line(header), ...rows.map(line)].join('\n')
}

export interface CommandOptions {
  readonly cwd?: string | undefined
  readonly env?: NodeJS.ProcessEnv | undefined
  /** Ignore a non-zero exit (some references exit 1 on purpose). */
  readonly allowFailure?: boolean | undefined
}

const GNU_TIME = '/usr/bin/time'
const hasGnuTime = existsSync(GNU_TIME)

/**
 * Runs a command to completion and returns its wall time and, when GNU time is
 * installed (Debian's `time`), its peak RSS. Output is discarded; a failure is
 * an error, so a broken side never reports a fast time.
 */
export async function timeCommand(command: string, args: readonly string[], options: CommandOptions = {}): Promise<Sample> {
  const rssFile = hasGnuTime ? join(tmpdir(), `pipette-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`) : undefined
  const [file, argv] = rssFile === undefined ? [command, args] : [GNU_TIME, ['-f', '%M', '-o', rssFile, command, ...args]]
  const start = process.hrtime.bigint()
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(file, argv, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000)
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stderr }))
  })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  let maxRssKb: number | undefined
  if (rssFile !== undefined) {
    const text = await readFile(rssFile, 'utf8').catch(() => '')
    await rm(rssFile, { force: true })
    const last = text.trim().split('\n').at(-1) ?? ''
    maxRssKb = /^\d+$/.test(last) ? Number(last) : undefined
  }
  if (code !== 0 && !options.allowFailure) {
    throw new Error(`${command} ${args.join(' ')} exited with ${code}:\n${stderr}`)
  }
  return { ms, maxRssKb }
}
