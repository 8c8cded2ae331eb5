import { describe, expect, it } from 'vitest'
import { canonicalizeName, isNormalizedName, isValidName, normalizeExtra } from '../src/index.js'
import { nameCases } from './fixtures/names.js'

describe('canonicalizeName', () => {
  it.each(nameCases)('%j', (name, canonical) => {
    expect(canonicalizeName(name)).toBe(canonical)
  })
  it('is idempotent', () => {
    for (const [name] of nameCases) expect(canonicalizeName(canonicalizeName(name))).toBe(canonicalizeName(name))
  })
})

describe('isValidName', () => {
  it.each(nameCases)('%j', (name, _canonical, valid) => {
    expect(isValidName(name)).toBe(valid)
  })
})

describe('isNormalizedName', () => {
  it.each([
    ['foo-bar', true],
    ['foo_bar', false],
    ['Foo', false],
    ['foo--bar', false],
    ['-foo', false],
    ['a', true],
  ] as const)('%s', (name, expected) => {
    expect(isNormalizedName(name)).toBe(expected)
  })
})

describe('normalizeExtra', () => {
  it.each([
    ['Socks.Proxy', 'socks-proxy'],
    ['dev_tools', 'dev-tools'],
    ['TESTS', 'tests'],
  ] as const)('%s', (extra, expected) => {
    expect(normalizeExtra(extra)).toBe(expected)
  })
})
