import { describe, expect, it } from 'vitest'
import { cleanLink, filenameOf, hashFromFragment, originOf, projectUrl, quote, stripCredentials, unquote } from '../src/urls.js'

describe('URL helpers', () => {
  it('quote and unquote as Python does', () => {
    expect(quote('a b+c~d/é')).toBe('a%20b%2Bc~d/%C3%A9')
    expect(unquote('a%20b%2Bc%C3%A9%zz%')).toBe('a b+cé%zz%')
    expect(unquote('%ff')).toBe('\ufffd')
  })

  it('cleans links without double quoting, keeping @ and %2F', () => {
    expect(cleanLink('https://h/p/a b.whl')).toBe('https://h/p/a%20b.whl')
    expect(cleanLink('https://h/p/a%20b.whl#sha256=1')).toBe('https://h/p/a%20b.whl#sha256=1')
    expect(cleanLink('git+https://h/r.git@v1.0%2fx')).toBe('git+https://h/r.git@v1.0%2Fx')
    expect(cleanLink('file:///tmp/a+b/x.whl')).toBe('file:///tmp/a%2Bb/x.whl')
  })

  it('names files, finds hashes, builds project URLs', () => {
    expect(filenameOf('https://h/p/torch-2.0%2Bcpu-cp311-cp311-linux_x86_64.whl?x=1#sha256=ab')).toBe('torch-2.0+cpu-cp311-cp311-linux_x86_64.whl')
    expect(hashFromFragment('https://h/x.whl#egg=x&sha256=ab&md5=cd')).toEqual({ name: 'sha256', value: 'ab' })
    expect(hashFromFragment('https://h/x.whl#sha999=1')).toBeUndefined()
    expect(projectUrl('https://h/simple', 'zope-interface')).toBe('https://h/simple/zope-interface/')
    expect(projectUrl('https://h/simple/', 'a')).toBe('https://h/simple/a/')
  })

  it('keys origins with explicit ports and strips credentials', () => {
    expect(originOf('https://u:p@Example.com/x')).toBe('https://example.com:443')
    expect(originOf('http://127.0.0.1:8080/x')).toBe('http://127.0.0.1:8080')
    expect(stripCredentials('https://u:p@h/x')).toBe('https://h/x')
  })
})
