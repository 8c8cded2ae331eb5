import { describe, expect, it } from 'vitest'
import { InvalidSpecifierError, InvalidVersionError, parseSpecifier, parseSpecifierSet, tryParseSpecifierSet } from '../src/index.js'
import { readTable } from './tables.js'

const modes = { default: undefined, true: true, false: false } as const

describe('SpecifierSet.contains', () => {
  it.each(readTable('contains.txt'))('%j contains %j (prereleases %s): %s', (set, version, mode, expected) => {
    const prereleases = modes[mode as keyof typeof modes]
    const run = () => parseSpecifierSet(set!).contains(version!, { prereleases })
    if (expected === 'error') expect(run).toThrow(InvalidVersionError)
    else expect(run()).toBe(expected === 'true')
  })
})

const sets = readTable('specifier-sets.txt')
describe('parseSpecifierSet', () => {
  it.each(sets.filter((r) => r[1] !== 'invalid'))('%j prints as %j', (input, text) => {
    expect(parseSpecifierSet(input!).toString()).toBe(text)
  })

  it.each(sets.filter((r) => r[1] === 'invalid'))('rejects %j', (input) => {
    expect(tryParseSpecifierSet(input!)).toBeNull()
    expect(() => parseSpecifierSet(input!)).toThrow(InvalidSpecifierError)
  })

  it('names the offending part, with a code and a hint', () => {
    try {
      parseSpecifierSet('>=1.0, lolwat')
      expect.unreachable()
    } catch (error) {
      const e = error as InvalidSpecifierError
      expect(e.code).toBe('ERR_INVALID_SPECIFIER')
      expect(e.message).toBe("Invalid specifier: 'lolwat' (in '>=1.0, lolwat')")
      expect(e.hint).toMatch(/>=1\.0/)
    }
    expect(() => parseSpecifier('=>1')).toThrow("Invalid specifier: '=>1'")
  })
})

describe('Specifier', () => {
  it('keeps the operator and the version as written', () => {
    const spec = parseSpecifier(' ~= 2.2.POST1 ')
    expect(spec.operator).toBe('~=')
    expect(spec.version).toBe('2.2.POST1')
    expect(spec.toString()).toBe('~=2.2.POST1')
    expect(parseSpecifier('==1.0').equals(parseSpecifier('==1.0.0'))).toBe(true)
    expect(parseSpecifier('~=1.0').equals(parseSpecifier('~=1.0.0'))).toBe(false)
  })

  it('decides pre-releases from inclusive operators naming one', () => {
    expect(parseSpecifier('>=1.0rc1').prereleases).toBe(true)
    expect(parseSpecifier('==1.0.*').prereleases).toBe(false)
    expect(parseSpecifier('>1.0rc1').prereleases).toBe(false)
    expect(parseSpecifier('<=2.dev0').prereleases).toBe(true)
    expect(parseSpecifier('!=1.0a1').prereleases).toBe(false)
    expect(parseSpecifier('>=1.0', { prereleases: true }).prereleases).toBe(true)
    expect(() => parseSpecifier('===foo').prereleases).toThrow(InvalidVersionError)
  })

  it('filters with the pre-release fallback of a single specifier', () => {
    const spec = parseSpecifier('>=1.0')
    expect(spec.filter(['0.9', '1.0', '1.1a1', '2.0'])).toEqual(['1.0', '2.0'])
    expect(spec.filter(['0.9', '1.1a1'])).toEqual(['1.1a1'])
    expect(spec.filter(['0.9', '1.1a1'], { prereleases: false })).toEqual([])
    expect(spec.filter(['1.0', '1.1a1'], { prereleases: true })).toEqual(['1.0', '1.1a1'])
  })
})

describe('SpecifierSet', () => {
  it('follows packaging 23.0 on pre-releases in filter', () => {
    // A non-empty set does not fall back to pre-releases...
    expect(parseSpecifierSet('>=1.0').filter(['1.5a1'])).toEqual([])
    // ...the empty set does, when every item is a pre-release.
    expect(parseSpecifierSet('').filter(['1.5a1', '1.6b1'])).toEqual(['1.5a1', '1.6b1'])
    expect(parseSpecifierSet('').filter(['1.5a1', '1.4'])).toEqual(['1.4'])
    expect(parseSpecifierSet('>=1.0rc1').filter(['1.5a1', '1.4'])).toEqual(['1.5a1', '1.4'])
    expect(parseSpecifierSet('>=1.0', { prereleases: true }).filter(['1.5a1'])).toEqual(['1.5a1'])
  })

  it('has a pre-release policy of null when empty', () => {
    expect(parseSpecifierSet('').prereleases).toBeNull()
    expect(parseSpecifierSet('>=1').prereleases).toBe(false)
    expect(parseSpecifierSet('>=1,<2.0b1').prereleases).toBe(false)
    expect(parseSpecifierSet('>=1,<=2.0b1').prereleases).toBe(true)
    expect(parseSpecifierSet('').contains('1.0a1')).toBe(false)
    expect(parseSpecifierSet('').contains('1.0')).toBe(true)
  })

  it('combines sets and compares them canonically', () => {
    const both = parseSpecifierSet('>=1.0').and(parseSpecifierSet('<2,!=1.5'))
    expect(both.toString()).toBe('!=1.5,<2,>=1.0')
    expect(both.size).toBe(3)
    expect(parseSpecifierSet('==1.0,>=0.5').equals(parseSpecifierSet('>=0.5.0, ==1'))).toBe(true)
    expect(() => parseSpecifierSet('>=1', { prereleases: true }).and(parseSpecifierSet('<2', { prereleases: false }))).toThrow(InvalidSpecifierError)
  })
})
