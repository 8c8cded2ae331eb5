import { describe, expect, it } from 'vitest'
import { InvalidVersionError, parseVersion, tryParseVersion } from '../src/index.js'
import { readTable } from './tables.js'

describe('parseVersion', () => {
  it.each(readTable('versions-valid.txt'))('parses %j as %j', (input, normalized) => {
    expect(parseVersion(input!).toString()).toBe(normalized)
    // The normalized form parses back to itself.
    expect(parseVersion(normalized!).toString()).toBe(normalized)
  })

  it.each(readTable('versions-invalid.txt'))('rejects %j', (input) => {
    expect(tryParseVersion(input!)).toBeNull()
    expect(() => parseVersion(input!)).toThrow(InvalidVersionError)
  })

  it('throws an error with a stable code, the input and a hint', () => {
    try {
      parseVersion('1.0+')
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidVersionError)
      const e = error as InvalidVersionError
      expect(e.code).toBe('ERR_INVALID_VERSION')
      expect(e.message).toBe("Invalid version: '1.0+'")
      expect(e.input).toBe('1.0+')
      expect(e.hint).toMatch(/1\.0/)
    }
  })

  it('exposes the parts as packaging does', () => {
    const v = parseVersion('1!2.3.4rc5.post6.dev7+Ubuntu-1.007')
    expect(v.epoch).toBe(1)
    expect(v.release).toEqual([2, 3, 4])
    expect(v.pre).toEqual(['rc', 5])
    expect(v.post).toBe(6)
    expect(v.dev).toBe(7)
    expect(v.local).toBe('ubuntu.1.7')
    expect(v.public).toBe('1!2.3.4rc5.post6.dev7')
    expect(v.baseVersion).toBe('1!2.3.4')
    expect([v.major, v.minor, v.micro]).toEqual([2, 3, 4])
    expect([v.isPrerelease, v.isPostrelease, v.isDevrelease]).toEqual([true, true, true])
    const plain = parseVersion('2')
    expect([plain.major, plain.minor, plain.micro]).toEqual([2, 0, 0])
    expect([plain.pre, plain.post, plain.dev, plain.local]).toEqual([null, null, null, null])
    expect([plain.isPrerelease, plain.isPostrelease, plain.isDevrelease]).toEqual([false, false, false])
    expect(parseVersion('1.0-3').post).toBe(3)
    expect(parseVersion('1.0.dev0').isPrerelease).toBe(true)
  })

  it('is immutable', () => {
    const v = parseVersion('1.2.3')
    expect(Object.isFrozen(v.release)).toBe(true)
    expect(() => (v.release as number[]).push(4)).toThrow(TypeError)
  })

  it('keeps numbers of any size exact in the string and the ordering', () => {
    const big = parseVersion('1.123456789012345678901234567890')
    expect(big.toString()).toBe('1.123456789012345678901234567890')
    expect(parseVersion('1.123456789012345678901234567891').key > big.key).toBe(true)
    expect(parseVersion('1.99999999999999999999999999999').key < big.key).toBe(true)
    expect(parseVersion('0001.0123456789012345678901234567890').equals(big)).toBe(true)
  })

  it('handles long releases, many trailing zeros and long local segments', () => {
    const zeros = `1${'.0'.repeat(200)}`
    expect(parseVersion(zeros).toString()).toBe(zeros)
    expect(parseVersion(zeros).equals(parseVersion('1'))).toBe(true)
    const long = Array.from({ length: 300 }, (_, i) => String(i + 1)).join('.')
    const v = parseVersion(`${long}rc1.post2.dev3+${'ab.'.repeat(150)}7`)
    expect(v.toString()).toBe(`${long}rc1.post2.dev3+${'ab.'.repeat(150)}7`)
    expect(v.release.length).toBe(300)
    expect(v.local?.length).toBe(451)
    expect(v.public).toBe(`${long}rc1.post2.dev3`)
    expect(parseVersion(`${long}rc1.post2.dev3`).key < v.key).toBe(true)
    expect(parseVersion(`${long}.1`).key > v.key).toBe(true)
  })

  it('serializes to its normalized string', () => {
    expect(JSON.stringify({ v: parseVersion('V1.0-ALPHA') })).toBe('{"v":"1.0a0"}')
  })
})
