import { describe, expect, it } from 'vitest'
import { closeMatches, expandUser, optparseInt, pyRepr, pythonFloat, strtobool } from '../src/index.js'
import { readTable } from './tables.js'

describe("strtobool (pip's, cases generated from pip 23.2.1)", () => {
  it.each(readTable('strtobool.txt'))('%j -> %s', (value, expected) => {
    const result = strtobool(value as string)
    expect(result === null ? 'error' : String(result)).toBe(expected)
  })
})

describe('optparse int and float converters (cases generated from Python 3.11 optparse)', () => {
  it.each(readTable('convert.txt'))('%s %j -> %s', (type, value, expected) => {
    const result = type === 'int' ? optparseInt(value as string) : pythonFloat(value as string)
    const shown = result === null ? 'error' : Number.isNaN(result) ? 'NaN' : result === Infinity ? 'Infinity' : result === -Infinity ? '-Infinity' : type === 'float' && Number.isInteger(result) ? `${Object.is(result, -0) ? '-0' : result}.0` : JSON.stringify(result)
    expect(shown).toBe(expected)
  })
})

describe("repr of a string (Python's, cases generated from Python 3.11)", () => {
  it.each(readTable('repr.txt'))('%j', (text, expected) => {
    expect(pyRepr(text as string)).toBe(expected)
  })
})

describe('difflib.get_close_matches (cases generated from Python 3.11)', () => {
  it.each(readTable('close-matches.txt'))('%s among %s', (word, pool, expected) => {
    expect(closeMatches(word as string, (pool as string).split(',')).join(',') || '-').toBe(expected)
  })
})

describe('expandUser (os.path.expanduser)', () => {
  it.each([
    ['~', '/root', '/root'],
    ['~/x', '/root', '/root/x'],
    ['~/x', '/root/', '/root/x'],
    ['~/x', '/', '/x'],
    ['~', '/', '/'],
    ['x/~', '/root', 'x/~'],
    ['~other/x', '/root', '~other/x'],
  ])('%s with HOME=%s', (path, home, expected) => {
    expect(expandUser(path, home)).toBe(expected)
  })
})
