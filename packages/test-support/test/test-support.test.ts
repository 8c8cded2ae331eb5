import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readCaseTable, seededRandom } from '../src/index.js'

describe('seededRandom', () => {
  it('gives the same sequence for the same seed, numbers in [0, 1)', () => {
    const a = seededRandom(42)
    const b = seededRandom(42)
    const first = Array.from({ length: 1000 }, () => a())
    expect(Array.from({ length: 1000 }, () => b())).toEqual(first)
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true)
    expect(new Set(first).size).toBe(1000)
    expect(seededRandom(43)()).not.toBe(first[0])
  })
})

describe('readCaseTable', () => {
  it('splits tab-separated columns, skips comments and blank lines, decodes quoted JSON columns', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pipette-table-')), 'cases.tsv')
    writeFileSync(file, '# input\texpected\n1.0\t1.0\n\n" 1.0 "\t"a\\tb"\n')
    expect(readCaseTable(file)).toEqual([['1.0', '1.0'], [' 1.0 ', 'a\tb']])
  })
})
