import { describe, expect, it } from 'vitest'
import { formatIni, iniItems, parseIni, removeIniOption, setIniOption, EMPTY_INI } from '../src/index.js'
import { readTable } from './tables.js'

describe('parseIni (RawConfigParser.read_string, cases generated from Python 3.11 configparser)', () => {
  const rows = readTable('ini-read.txt')
  it('has its cases', () => expect(rows.length).toBeGreaterThan(1000))
  it.each(rows.map((row, index) => [index, ...row] as const))('case %i', (_index, text, expectedJson) => {
    const expected = JSON.parse(expectedJson as string) as { error?: string; defaults?: [string, string][]; sections?: [string, [string, string][]][] }
    let actual: unknown
    try {
      const file = parseIni(text as string, '/conf/pip.conf')
      actual = { defaults: [...file.defaults], sections: [...file.sections.keys()].map((name) => [name, iniItems(file, name)]) }
    } catch (error) {
      actual = { error: (error as Error).message }
    }
    expect(actual).toEqual(expected)
  })
})

describe('formatIni (RawConfigParser.write, cases generated from Python)', () => {
  const rows = readTable('ini-write.txt')
  it.each(rows.map((row, index) => [index, ...row] as const))('case %i', (_index, text, written) => {
    expect(formatIni(parseIni(text as string, '/conf/pip.conf'))).toBe(written)
  })
})

describe('changing a file as pip config set/unset do', () => {
  it('adds a section and an option, lower-casing the name', () => {
    const file = setIniOption(EMPTY_INI, 'global', 'Index-URL', 'https://example.org/simple')
    expect(formatIni(file)).toBe('[global]\nindex-url = https://example.org/simple\n\n')
  })
  it('replaces a value in place and keeps the other sections', () => {
    const file = setIniOption(parseIni('[global]\na = 1\nb = 2\n[install]\nc = 3\n', 'f'), 'global', 'a', 'x\ny')
    expect(formatIni(file)).toBe('[global]\na = x\n\ty\nb = 2\n\n[install]\nc = 3\n\n')
  })
  it('removes an option, then the section it emptied', () => {
    const file = parseIni('[global]\na = 1\n[install]\nc = 3\n', 'f')
    const once = removeIniOption(file, 'install', 'c')
    expect(once === null ? null : formatIni(once)).toBe('[global]\na = 1\n\n')
    expect(removeIniOption(file, 'install', 'missing')).toBeNull()
    expect(removeIniOption(file, 'nope', 'a')).toBeNull()
  })
  it('keeps a section that still inherits DEFAULT options', () => {
    const file = parseIni('[DEFAULT]\nd = 1\n[install]\nc = 3\n', 'f')
    const next = removeIniOption(file, 'install', 'c')
    expect(next === null ? null : formatIni(next)).toBe('[DEFAULT]\nd = 1\n\n[install]\n\n')
  })
  it('leaves the original file unchanged (values are immutable)', () => {
    const file = parseIni('[global]\na = 1\n', 'f')
    setIniOption(file, 'global', 'a', '2')
    expect(file.sections.get('global')?.get('a')).toBe('1')
  })
})
