import { describe, expect, it } from 'vitest'
import type { Benchmark } from '../src/runner.js'
import { formatResult, median, runBenchmark } from '../src/runner.js'

describe('median', () => {
  it.each([
    [[3], 3],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
  ])('%j -> %d', (values, expected) => expect(median(values)).toBe(expected))
})

describe('runBenchmark', () => {
  it('interleaves sides and computes ratios against the subject', async () => {
    const order: string[] = []
    const benchmark: Benchmark = {
      name: 'fake',
      description: 'fake',
      subject: 'fast',
      targets: { slow: 2 },
      setup: async () => [
        { name: 'fast', round: async () => (order.push('fast'), { ms: 10 }) },
        { name: 'slow', round: async () => (order.push('slow'), { ms: 30 }) },
      ],
    }
    const result = await runBenchmark(benchmark, { rounds: 2, workDir: '/tmp', log: () => {} })
    expect(order).toEqual(['fast', 'slow', 'fast', 'slow'])
    expect(result.sides.map((s) => [s.name, s.medianMs, s.ratio, s.meetsTarget])).toEqual([
      ['fast', 10, 1, undefined],
      ['slow', 30, 3, true],
    ])
    expect(formatResult(result)).toContain('>= 2x met')
  })
})
