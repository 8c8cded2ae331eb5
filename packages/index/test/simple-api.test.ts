import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseContentType, parseSimpleHtml, parseSimpleJson, parseSimpleResponse, simpleFormatOf } from '../src/simple-api.js'
import type { DistributionFile } from '../src/simple-api.js'

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')
const rows = (text: string) => text.split('\n').filter((line) => line !== '' && !line.startsWith('#'))

const pages = rows(fixture('simple-pages.txt')).map((line) => {
  const [contentType, url, content] = line.split('\t') as [string, string, string]
  return { contentType, url, content: content.replace(/\\n/g, '\n').replace(/\\t/g, '\t') }
})

function describeFile(file: DistributionFile): string[] {
  return [
    file.url,
    file.filename,
    file.requiresPython ?? '-',
    file.yanked ? JSON.stringify(file.yankedReason ?? '') : '-',
    file.coreMetadata === false ? '-' : pyJson(file.coreMetadata.hashes ?? null),
    pyJson(Object.fromEntries(Object.entries(file.hashes).sort(([a], [b]) => a.localeCompare(b)))),
  ]
}

/** json.dumps' default separators. */
function pyJson(value: unknown): string {
  return JSON.stringify(value).replace(/":/g, '": ').replace(/,"/g, ', "')
}

describe('Simple API pages, against pip 23.2.1 (test/oracle/simple_links.py)', () => {
  const expected = new Map<number, string[][]>()
  for (const line of rows(fixture('simple-links.txt'))) {
    const [caseNumber, ...cells] = line.split('\t')
    const list = expected.get(Number(caseNumber)) ?? []
    list.push(cells)
    expected.set(Number(caseNumber), list)
  }
  pages.forEach((page, index) => {
    it(`page ${index}: ${page.content.slice(0, 60)}`, () => {
      const parsed = parseSimpleResponse({ body: Buffer.from(page.content), contentType: page.contentType, url: page.url })
      expect(parsed.files.map(describeFile)).toEqual(expected.get(index) ?? [])
    })
  })
})

describe('PEP 691 JSON', () => {
  it('reads PEP 700 fields and the api version', () => {
    const page = parseSimpleJson(pages[16]!.content, pages[16]!.url)
    expect(page).toMatchObject({ format: 'json', apiVersion: '1.1', name: 'demo', versions: ['1.0', '2.0'] })
    expect(page.files[0]).toMatchObject({ size: 1234, uploadTime: '2024-01-02T03:04:05.000000Z', yankedReason: 'security issue' })
  })

  it('rejects a major version it does not know and malformed JSON', () => {
    expect(() => parseSimpleJson('{"meta":{"api-version":"2.0"},"files":[]}', 'https://x/simple/a/')).toThrow(/unsupported Simple API version 2.0/)
    expect(() => parseSimpleJson('{"files": [', 'https://u:p@x/simple/a/')).toThrow(/https:\/\/u:\*\*\*\*@x\/simple\/a\/: the JSON project page is not valid JSON/)
  })
})

describe('content negotiation', () => {
  it('dispatches on the media type, ignoring parameters and case', () => {
    expect(simpleFormatOf('application/vnd.pypi.simple.v1+json')).toBe('json')
    expect(simpleFormatOf('Application/Vnd.PyPI.Simple.V1+JSON; charset=utf-8')).toBe('json')
    expect(simpleFormatOf('application/vnd.pypi.simple.v1+html')).toBe('html')
    expect(simpleFormatOf('text/html; charset=latin-1')).toBe('html')
    expect(simpleFormatOf('application/json')).toBeUndefined()
    expect(simpleFormatOf(undefined)).toBeUndefined()
    expect(parseContentType('text/html; charset="ISO-8859-1"')).toEqual({ mediaType: 'text/html', charset: 'ISO-8859-1' })
  })

  it('refuses other content types with a clear error', () => {
    expect(() => parseSimpleResponse({ body: Buffer.from('x'), contentType: 'application/octet-stream', url: 'https://x/simple/a/' })).toThrow(
      expect.objectContaining({ code: 'ERR_INDEX_RESPONSE' }),
    )
  })

  it('decodes the page with the charset of its Content-Type', () => {
    const body = Buffer.from('<a href="caf\xe9-1.0.tar.gz">x</a>', 'latin1')
    const page = parseSimpleResponse({ body, contentType: 'text/html; charset=latin-1', url: 'https://x/simple/cafe/' })
    expect(page.files[0]!.filename).toBe('café-1.0.tar.gz')
  })

  it('parses a large page quickly enough to stay linear', () => {
    const html = Array.from({ length: 20_000 }, (_, i) => `<a href="demo-${i}.tar.gz#sha256=${i}" data-requires-python="&gt;=3.8">demo-${i}.tar.gz</a><br/>`).join('\n')
    const page = parseSimpleHtml(html, 'https://x/simple/demo/')
    expect(page.files).toHaveLength(20_000)
    expect(page.files[19_999]).toMatchObject({ filename: 'demo-19999.tar.gz', requiresPython: '>=3.8', hashes: { sha256: '19999' } })
  })
})
