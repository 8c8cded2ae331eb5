import { describe, expect, it } from 'vitest'
import { InvalidRequirementError, isValidName, parseRequirement } from '../src/index.js'
import { requirementCases } from './fixtures/requirements.js'

describe('parseRequirement (packaging 23.0 case table)', () => {
  it.each(requirementCases)('%j', (input, valid, name, extras, specifier, url, marker, str, reason, span) => {
    if (!valid) {
      let error: unknown
      try {
        parseRequirement(input)
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(InvalidRequirementError)
      const invalid = error as InvalidRequirementError
      expect(invalid.code).toBe('ERR_INVALID_REQUIREMENT')
      if (reason !== null) {
        expect(invalid.reason).toBe(reason)
        expect(invalid.span).toEqual(span)
      }
      return
    }
    const req = parseRequirement(input)
    expect(req.name).toBe(name)
    expect(req.extras).toEqual(extras)
    expect(String(req.specifier)).toBe(specifier)
    expect(req.url).toBe(url)
    expect(req.marker === null ? null : String(req.marker)).toBe(marker)
    expect(String(req)).toBe(str)
    expect(isValidName(req.name)).toBe(true)
  })
})

describe('InvalidRequirementError', () => {
  it('shows the input, the column and a caret under the problem', () => {
    expect(() => parseRequirement('pkg ==1.0 garbage')).toThrowError(
      'Invalid requirement at column 11: Expected end or semicolon (after version specifier)\n    pkg ==1.0 garbage\n        ~~~~~~^',
    )
  })
  it('has a hint with a valid example', () => {
    try {
      parseRequirement('pkg[')
    } catch (error) {
      expect((error as InvalidRequirementError).hint).toMatch(/name\[extra1,extra2\]>=1.0/)
    }
  })
  it('counts columns in code points, as Python does', () => {
    try {
      parseRequirement('pkg; os_name == "\u{1F600}" garbage')
      expect.unreachable()
    } catch (error) {
      const invalid = error as InvalidRequirementError
      expect(invalid.span).toEqual([20, 20])
      expect(invalid.message.split('\n').at(-1)).toBe(`    ${' '.repeat(20)}^`)
    }
  })
  it('hides credentials of URLs and keeps the caret in place', () => {
    try {
      parseRequirement('pkg @ https://user:secret@example.com/p.whl garbage')
      expect.unreachable()
    } catch (error) {
      const message = (error as Error).message
      expect(message).not.toContain('secret')
      const lines = message.split('\n')
      expect(lines[1]).toBe('    pkg @ https://user:****@example.com/p.whl garbage')
      expect(lines[2]!.indexOf('^')).toBe(lines[1]!.indexOf(' garbage') + 1)
    }
  })
})

describe('Requirement', () => {
  it('is immutable', () => {
    const req = parseRequirement('a[x]>=1')
    expect(Object.isFrozen(req)).toBe(true)
    expect(Object.isFrozen(req.extras)).toBe(true)
    expect(() => {
      ;(req as { name: string }).name = 'b'
    }).toThrow()
  })
  it('exposes the specifier set for matching', () => {
    const req = parseRequirement('a>=1.0,<2')
    expect(req.specifier.contains('1.5')).toBe(true)
    expect(req.specifier.contains('2.0')).toBe(false)
  })
  it('parses long inputs in linear time (no backtracking)', () => {
    const many = Array.from({ length: 2000 }, (_, i) => `>=${i}.0`).join(',')
    expect(String(parseRequirement(`a${many}`).specifier).split(',').length).toBe(2000)
  })
})
