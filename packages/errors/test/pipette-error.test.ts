import { describe, expect, it } from 'vitest'
import { PipetteError, isPipetteError } from '../src/index.js'

class SomeError extends PipetteError {
  constructor(what: string) {
    super('ERR_SOME', `bad ${what}`, { hint: 'try "good"', cause: new Error('low') })
  }
}

describe('PipetteError', () => {
  it('carries code, hint, cause and the subclass name', () => {
    const error = new SomeError('thing')
    expect(error).toBeInstanceOf(Error)
    expect(error.code).toBe('ERR_SOME')
    expect(error.hint).toBe('try "good"')
    expect((error.cause as Error).message).toBe('low')
    expect(error.name).toBe('SomeError')
    expect(error.message).toBe('bad thing')
    expect(isPipetteError(error)).toBe(true)
    expect(isPipetteError(new Error('x'))).toBe(false)
  })
})
