import { describe, expect, it } from 'vitest'
import { InvalidMarkerError, MarkerEvaluationError, markerEnvironment, parseMarker, parseRequirement } from '../src/index.js'
import type { MarkerEnvironmentInput } from '../src/index.js'
import { markerCases, markerEnvironments } from './fixtures/markers.js'

const ENVIRONMENTS = [markerEnvironments.linux, markerEnvironments.windows, markerEnvironments.pre]
const ERROR_NAMES = { 'undefined-comparison': 'UndefinedComparison', 'invalid-version': 'InvalidVersion', 'undefined-name': 'KeyError' }

function evaluate(text: string, environment: MarkerEnvironmentInput): boolean | string {
  try {
    return parseMarker(text).evaluate(environment)
  } catch (error) {
    if (error instanceof MarkerEvaluationError) return ERROR_NAMES[error.reason]
    throw error
  }
}

describe('parseMarker and evaluate (packaging 23.0 case table)', () => {
  it.each(markerCases)('%s', (text, str, results) => {
    if (str === null) {
      expect(() => parseMarker(text)).toThrow(InvalidMarkerError)
      return
    }
    expect(String(parseMarker(text))).toBe(str)
    expect(ENVIRONMENTS.map((environment) => evaluate(text, environment))).toEqual(results)
  })
})

describe('parseMarker errors', () => {
  it.each([
    ['os_name == "a" garbage', 'Expected end of marker expression', [15, 15]],
    ['os_name', 'Expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in', [7, 7]],
    ['(os_name == "a"', 'Expected closing RIGHT_PARENTHESIS', [0, 15]],
    ['bogus == "a"', 'Expected a marker variable or quoted string', [0, 0]],
    ['os_name not "a"', "Expected 'in' after 'not'", [12, 12]],
  ] as const)('%s', (text, reason, span) => {
    try {
      parseMarker(text)
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidMarkerError)
      expect((error as InvalidMarkerError).reason).toBe(reason)
      expect((error as InvalidMarkerError).span).toEqual(span)
      expect((error as InvalidMarkerError).code).toBe('ERR_INVALID_MARKER')
    }
  })
  it('stops at a nesting limit instead of overflowing the stack', () => {
    const deep = '('.repeat(5000) + 'os_name == "a"' + ')'.repeat(5000)
    expect(() => parseMarker(deep)).toThrow(/nested more than 200 parentheses/)
    const ok = '('.repeat(200) + 'os_name == "a"' + ')'.repeat(200)
    expect(parseMarker(ok).evaluate(markerEnvironments.linux)).toBe(false)
  })
})

describe('evaluating with extras (pip semantics)', () => {
  const env = markerEnvironments.linux
  const marker = parseMarker('extra == "socks" or extra == "Security"')
  it('is true when one requested extra matches, with PEP 685 normalization', () => {
    expect(marker.evaluate(env, { extras: ['socks'] })).toBe(true)
    expect(marker.evaluate(env, { extras: ['SECURITY'] })).toBe(true)
    expect(marker.evaluate(env, { extras: ['other', 'socks'] })).toBe(true)
    expect(marker.evaluate(env, { extras: ['other'] })).toBe(false)
  })
  it('evaluates with extra "" when no extras are requested', () => {
    expect(marker.evaluate(env, { extras: [] })).toBe(false)
    expect(parseMarker('extra == ""').evaluate(env, { extras: [] })).toBe(true)
    expect(parseMarker('python_version >= "3"').evaluate(env, { extras: [] })).toBe(true)
  })
  it('uses the environment extra when no extras option is given', () => {
    expect(marker.evaluate({ ...env, extra: 'socks' })).toBe(true)
    expect(marker.evaluate({ ...env, extra: null })).toBe(false)
  })
  it('lists the extras a marker refers to', () => {
    expect(parseMarker('extra == "A_b" or (python_version < "3" and "c" == extra)').extras).toEqual(['a-b', 'c'])
    expect(parseRequirement('x; python_version < "3"').marker!.extras).toEqual([])
  })
})

describe('markerEnvironment', () => {
  const info = { markerEnvironment: { ...markerEnvironments.windows, extra: undefined } }
  it('builds the full environment with extra ""', () => {
    const env = markerEnvironment(info)
    expect(env.sys_platform).toBe('win32')
    expect(env.extra).toBe('')
    expect(Object.keys(env)).toHaveLength(12)
    expect(Object.isFrozen(env)).toBe(true)
    expect(parseMarker('sys_platform == "win32" and python_version < "3.9"').evaluate(env)).toBe(true)
  })
  it('takes an extra', () => {
    expect(markerEnvironment(info, { extra: 'socks' }).extra).toBe('socks')
  })
  it('rejects an incomplete interpreter description', () => {
    expect(() => markerEnvironment({ markerEnvironment: { os_name: 'posix' } } as never)).toThrow(/no string 'implementation_name'/)
  })
  it('reports a missing variable when evaluating a partial environment', () => {
    try {
      parseMarker('os_name == "nt"').evaluate({ python_version: '3.11' })
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(MarkerEvaluationError)
      expect((error as MarkerEvaluationError).code).toBe('ERR_MARKER_UNDEFINED_NAME')
    }
  })
})
