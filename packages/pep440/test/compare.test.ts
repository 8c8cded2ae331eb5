import { describe, expect, it } from 'vitest'
import { compareVersions, eq, ge, gt, InvalidVersionError, le, lt, maxVersion, minVersion, ne, parseVersion, sortVersions } from '../src/index.js'
import { readTable } from './tables.js'

const rows = readTable('ordering.txt')
const ordered = rows.filter((r) => r.length === 2)
const equal = rows.filter((r) => r.length === 3)

describe('ordering', () => {
  it.each(ordered)('%j < %j', (a, b) => {
    expect(compareVersions(a!, b!)).toBeLessThan(0)
    expect(compareVersions(b!, a!)).toBeGreaterThan(0)
    expect([lt(a!, b!), le(a!, b!), gt(a!, b!), ge(a!, b!), eq(a!, b!), ne(a!, b!)]).toEqual([true, true, false, false, false, true])
  })

  it.each(equal)('%j == %j', (a, _op, b) => {
    expect(compareVersions(a!, b!)).toBe(0)
    expect([eq(a!, b!), ne(a!, b!), le(a!, b!), ge(a!, b!), lt(a!, b!), gt(a!, b!)]).toEqual([true, false, true, true, false, false])
    expect(parseVersion(a!).key).toBe(parseVersion(b!).key)
  })

  it('sorts the whole table back into order, stably', () => {
    const list = ordered.map((r) => r[0]!).concat(ordered.at(-1)![1]!)
    const shuffled = [...list].reverse()
    expect(sortVersions(shuffled).map(String)).toEqual(list.map((v) => parseVersion(v).toString()))
    const same = sortVersions(['1.0.0', '1', '1.0'])
    expect(same.map(String)).toEqual(['1.0.0', '1', '1.0'])
  })

  it('sorts large inputs (radix path) exactly like a stable comparison sort', () => {
    let seed = 7
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)
    const texts: string[] = []
    for (let i = 0; i < 20_000; i++) {
      let text = next() < 0.05 ? `${Math.floor(next() * 3)}!` : ''
      text += Array.from({ length: 1 + Math.floor(next() * 4) }, () => String(Math.floor(next() * (next() < 0.1 ? 100_000 : 12)))).join('.')
      if (next() < 0.02) text += '.0.0'
      if (next() < 0.2) text += ['a', 'b', 'rc', 'prevİew', 'prevıew'][Math.floor(next() * 5)]! + Math.floor(next() * 3)
      if (next() < 0.2) text += next() < 0.1 ? '.poſt1' : `.post${Math.floor(next() * 3)}`
      if (next() < 0.2) text += `.dev${Math.floor(next() * 3)}`
      if (next() < 0.1) text += `+${['a', 'b1', '7', 'x.2', 'İ'][Math.floor(next() * 5)]}`
      texts.push(text)
    }
    const versions = texts.map((t) => parseVersion(t))
    const expected = versions
      .map((v, i) => ({ v, i }))
      .sort((a, b) => (a.v.key < b.v.key ? -1 : a.v.key > b.v.key ? 1 : a.i - b.i))
      .map(({ v }) => v)
    const sorted = sortVersions(versions)
    // The same objects in the same order (equal versions keep their input order).
    expect(sorted.every((v, i) => v === expected[i])).toBe(true)
    expect(sorted.length).toBe(expected.length)
  })

  it('finds the greatest and the smallest', () => {
    expect(maxVersion(['1.0', '2.0rc1', '1.9', '2.0.dev4'])?.toString()).toBe('2.0rc1')
    expect(minVersion(['1.0', '2.0rc1', '1.0a1'])?.toString()).toBe('1.0a1')
    expect(maxVersion([])).toBeNull()
    expect(maxVersion(['1.0', '1.0.0'])?.toString()).toBe('1.0')
  })

  it('throws on an invalid string', () => {
    expect(() => compareVersions('1.0', 'nope')).toThrow(InvalidVersionError)
    expect(() => sortVersions(['1.0', 'nope'])).toThrow(InvalidVersionError)
  })
})
