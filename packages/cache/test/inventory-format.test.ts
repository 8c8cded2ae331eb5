import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { fnmatch, formatSize, wheelPattern } from '../src/index.js'

const table = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split('\t'))

describe('fnmatch (pip find_files patterns)', () => {
  // columns: pattern, name, 1 when Python's fnmatch.fnmatchcase matches
  const cases = table('fnmatch.tsv')
  it('has cases', () => expect(cases.length).toBeGreaterThan(500))
  it.each(cases)('%s ~ %s -> %s', (pattern, name, expected) => {
    expect(fnmatch(name as string, pattern as string)).toBe(expected === '1')
  })
})

describe('formatSize (pip format_size)', () => {
  // columns: bytes, pip's format_size(bytes)
  it.each(table('format-size.tsv'))('%s bytes -> %s', (bytes, expected) => {
    expect(formatSize(Number(bytes))).toBe(expected)
  })
})

describe('wheelPattern (pip cache list/remove rule)', () => {
  it('adds -*.whl to a bare name and *.whl to a name with a version', () => {
    expect(wheelPattern('pip')).toBe('pip-*.whl')
    expect(wheelPattern('pip-23')).toBe('pip-23*.whl')
    expect(wheelPattern('*')).toBe('*-*.whl')
  })
})
