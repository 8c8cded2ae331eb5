import { describe, expect, it } from 'vitest'
import { redactText } from '@pipette/errors'
import { redactCredentials } from '../src/redact.js'

describe('redactCredentials', () => {
  it.each([
    'https://user:secret@example.com/simple/',
    'pkg @ https://token@example.com/p.whl ; python_version < "3"',
    'see http://u:p@a.example/x and git+https://u:p@b.example/y.git@v1',
    'no credentials: https://example.com/path@notuser',
    'plain text with an @ sign',
    "quoted 'https://a:b@h.example/x' end",
    'https://a:b@h.example/x\thttps://c:d@i.example/y',
  ])('agrees with @pipette/errors redactText: %s', (text) => {
    expect(redactCredentials(text)).toBe(redactText(text))
  })
  it('stays linear on hostile input', () => {
    const text = 'a-'.repeat(50_000) + '://x@y ' + 'b://'.repeat(20_000) + '@'
    expect(redactCredentials(text).length).toBeGreaterThan(100_000)
  })
})
