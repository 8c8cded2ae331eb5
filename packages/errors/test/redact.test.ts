import { describe, expect, it } from 'vitest'
import { redactText, redactUrl } from '../src/index.js'

// input | redacted
const cases: ReadonlyArray<readonly [string, string]> = [
  ['https://user:pass@example.com/simple/', 'https://user:****@example.com/simple/'],
  ['https://token@example.com/simple/', 'https://****@example.com/simple/'],
  ['https://example.com/simple/', 'https://example.com/simple/'],
  ['http://u:p%40ss@127.0.0.1:8080/a?b=c@d', 'http://u:****@127.0.0.1:8080/a?b=c@d'],
  ['https://example.com/path@notuser', 'https://example.com/path@notuser'],
  ['not a url', 'not a url'],
  ['git+https://u:p@github.com/x/y.git@v1', 'git+https://u:****@github.com/x/y.git@v1'],
]

describe('redactUrl', () => {
  it.each(cases)('%s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected)
  })
})

describe('redactText', () => {
  it('redacts every URL in a message', () => {
    expect(redactText('GET https://a:b@x.org/ failed, then http://c:d@y.org/z 401')).toBe(
      'GET https://a:****@x.org/ failed, then http://c:****@y.org/z 401',
    )
  })
})
