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

describe('redactText on hostile input', () => {
  // A backtracking pattern took ~10 s here and would hit vitest's timeout; the linear scan takes ~1 ms.
  it('stays linear on a long hostile line', () => {
    const text = 'a-'.repeat(50_000) + '://x@y ' + 'b://'.repeat(20_000) + '@'
    expect(redactText(text)).toContain('://****@y ')
  })

  it.each([
    ['pkg @ https://token@example.com/p.whl ; python_version < "3"', 'pkg @ https://****@example.com/p.whl ; python_version < "3"'],
    ["quoted 'https://a:b@h.example/x' end", "quoted 'https://a:****@h.example/x' end"],
    ['https://a:b@h.example/x\thttps://c:d@i.example/y', 'https://a:****@h.example/x\thttps://c:****@i.example/y'],
    ['plain text with an @ sign', 'plain text with an @ sign'],
  ])('%s', (input, expected) => expect(redactText(input)).toBe(expected))
})
