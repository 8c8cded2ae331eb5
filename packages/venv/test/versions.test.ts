import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { normalizeVersion } from '../src/versions.js'

const rows = readFileSync(new URL('fixtures/versions.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line !== '' && !line.startsWith('#'))
  .map((line) => line.split('\t').map((cell) => JSON.parse(cell) as string | null) as [string, string | null])

describe('normalizeVersion', () => {
  it.each(rows)('%j -> %j', (text, expected) => {
    expect(normalizeVersion(text)).toBe(expected)
  })
})
