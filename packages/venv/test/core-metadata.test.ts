import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { metadataGet, metadataGetAll, metadataToJson, parseCoreMetadata } from '../src/index.js'
import { importlibMetadataView } from '../src/core-metadata.js'

const rows = readFileSync(new URL('fixtures/core-metadata.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line !== '' && !line.startsWith('#'))
  .map((line) => line.split('\t').map((cell) => JSON.parse(cell) as unknown) as [string, [Array<[string, string]>, string]])

describe('parseCoreMetadata', () => {
  it.each(rows)('%j', (text, [headers, body]) => {
    const parsed = parseCoreMetadata(text)
    expect(parsed.headers).toEqual(headers)
    expect(parsed.body).toBe(body)
  })

  it('looks headers up case-insensitively', () => {
    const m = parseCoreMetadata('Name: foo\nClassifier: A\nclassifier: B\n')
    expect(metadataGet(m, 'NAME')).toBe('foo')
    expect(metadataGetAll(m, 'Classifier')).toEqual(['A', 'B'])
    expect(metadataGet(m, 'Version')).toBeUndefined()
    expect(metadataGetAll(m, 'Version')).toEqual([])
  })
})

describe('metadataToJson', () => {
  it("gives pip's PEP 566 JSON form", () => {
    const m = parseCoreMetadata(
      'Metadata-Version: 2.1\nName: foo\nVersion: 1.0\nKeywords: a, b ,c\nX-Unknown: 1\nRequires-Dist: bar\nRequires-Dist: baz; extra == "x"\nProject-URL: Home, https://x\n\nLong text\n',
    )
    expect(metadataToJson(m)).toEqual({
      metadata_version: '2.1',
      name: 'foo',
      version: '1.0',
      keywords: ['a', 'b', 'c'],
      requires_dist: ['bar', 'baz; extra == "x"'],
      project_url: ['Home, https://x'],
      description: 'Long text\n',
    })
    expect(metadataToJson(parseCoreMetadata('Keywords:  one two\tthree \n'))).toEqual({ keywords: ['one', 'two', 'three'] })
  })
})

const viewRows = readFileSync(new URL('fixtures/importlib-metadata.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line !== '' && !line.startsWith('#'))
  .map((line) => line.split('\t').map((cell) => JSON.parse(cell) as unknown) as [string, Array<[string, string]>])

describe('importlibMetadataView', () => {
  it.each(viewRows)('%j', (text, headers) => {
    expect(importlibMetadataView(parseCoreMetadata(text)).headers).toEqual(headers)
  })
})
