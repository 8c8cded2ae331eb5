import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { powershellQuote, pythonRepr, shlexQuote } from '../src/quote.js'

const rows = readFileSync(new URL('fixtures/quote.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line !== '' && !line.startsWith('#'))
  .map((line) => line.split('\t').map((cell) => JSON.parse(cell) as string) as [string, string, string])

describe('quoting as CPython does', () => {
  it.each(rows)('%j', (input, shlex, repr) => {
    expect(shlexQuote(input)).toBe(shlex)
    expect(pythonRepr(input)).toBe(repr)
  })

  it('quotes for PowerShell', () => {
    expect(powershellQuote("it's")).toBe("'it''s'")
  })
})
