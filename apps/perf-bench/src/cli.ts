#!/usr/bin/env node
/**
 * `pnpm bench <name> [--rounds N] [--json out.json]`: runs one benchmark (or
 * `all`), printing min and median per side and the ratio to pipette.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { benchmarks } from './benchmarks/index.js'
import type { BenchmarkResult } from './runner.js'
import { formatResult, runBenchmark } from './runner.js'

const usage = `usage: pnpm bench <name|all> [--rounds N] [--json out.json]

benchmarks:
${benchmarks.map((b) => `  ${b.name.padEnd(16)} ${b.description}`).join('\n')}`

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      rounds: { type: 'string', default: '5' },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const [name] = positionals
  if (values.help || name === undefined) {
    console.log(usage)
    return values.help ? 0 : 2
  }
  const rounds = Number(values.rounds)
  if (!Number.isInteger(rounds) || rounds < 1) {
    console.error(`error: --rounds must be a positive integer, got '${values.rounds}' (example: --rounds 5)`)
    return 2
  }
  const selected = name === 'all' ? benchmarks : benchmarks.filter((b) => b.name === name)
  if (selected.length === 0) {
    console.error(`error: no benchmark named '${name}'\n\n${usage}`)
    return 2
  }
  const results: BenchmarkResult[] = []
  for (const benchmark of selected) {
    const workDir = await mkdtemp(join(tmpdir(), `pipette-bench-${benchmark.name}-`))
    try {
      const result = await runBenchmark(benchmark, { rounds, workDir, log: (line) => console.error(line) })
      results.push(result)
      console.log(`${formatResult(result)}\n`)
    } finally {
      await rm(workDir, { recursive: true, force: true })
    }
  }
  if (values.json !== undefined) {
    const machine = { node: process.version, platform: `${process.platform}-${process.arch}`, date: new Date().toISOString() }
    await writeFile(values.json, `${JSON.stringify({ machine, results }, null, 2)}\n`)
  }
  return 0
}

process.exitCode = await main()
