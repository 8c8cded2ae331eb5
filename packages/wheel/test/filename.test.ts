import { describe, expect, it } from 'vitest'
import { compareBuildTags, escapeWheelName, escapeWheelVersion, parseWheelFilename, tagToString, wheelFilename } from '../src/index.js'
import { filenameCases } from './fixtures/filename-cases.js'

describe('parseWheelFilename (cases from packaging.utils.parse_wheel_filename)', () => {
  it.each(filenameCases)('%s', (filename, expected) => {
    if (expected === 'invalid' || expected === 'invalid-version') {
      expect(() => parseWheelFilename(filename)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_WHEEL_FILENAME' }))
      return
    }
    const [canonical, version, build, tags] = expected as Exclude<typeof expected, string>
    const parsed = parseWheelFilename(filename)
    expect(parsed.canonicalName).toBe(canonical)
    expect(parsed.version).toBe(version)
    expect(parsed.build === null ? null : [parsed.build.number, parsed.build.suffix]).toEqual(build)
    expect(parsed.tags.map(tagToString).sort()).toEqual(tags)
  })
})

describe('build tags', () => {
  it('sort by number, then suffix, with no tag first', () => {
    const b = (n: string) => parseWheelFilename(`a-1-${n}-py3-none-any.whl`).build
    expect(compareBuildTags(null, b('0'))).toBe(-1)
    expect(compareBuildTags(b('2'), b('10'))).toBe(-1)
    expect(compareBuildTags(b('2b'), b('2a'))).toBe(1)
    expect(compareBuildTags(null, null)).toBe(0)
  })
})

describe('escaping (PEP 491)', () => {
  it('escapes names and versions for file names', () => {
    expect(escapeWheelName('Foo.Bar-baz__qux')).toBe('foo_bar_baz_qux')
    expect(escapeWheelVersion('1.0-1')).toBe('1.0_1')
    const name = wheelFilename({ name: 'My.Pkg', version: '1.0', build: { number: 3, suffix: 'x' }, tag: 'py3-none-any' })
    expect(name).toBe('my_pkg-1.0-3x-py3-none-any.whl')
    expect(parseWheelFilename(name).canonicalName).toBe('my-pkg')
  })
})
