import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildWheel, buildSdist, writeIndex } from '@pipette/fixtures'
import { createEvaluator, isPinned } from '../src/evaluate.js'
import { createFinder, indexSearchOrder } from '../src/finder.js'
import { createHttpClient } from '../src/http.js'
import type { DistributionFile } from '../src/simple-api.js'
import { pep440Versions } from '../src/pep440-scheme.js'

const target = { pythonVersion: '3.11.7', supportedTags: ['cp311-cp311-manylinux_2_17_x86_64', 'cp311-abi3-manylinux_2_17_x86_64', 'py3-none-any'] }

function file(filename: string, extra: Partial<DistributionFile> = {}): DistributionFile {
  return { filename, url: `https://h/${filename}`, hashes: {}, requiresPython: undefined, yanked: false, yankedReason: undefined, coreMetadata: false, size: undefined, uploadTime: undefined, pageUrl: 'https://h/', ...extra }
}

describe('link evaluation (pip LinkEvaluator)', () => {
  const evaluate = createEvaluator({ project: 'Foo_Bar', target: { pythonVersion: '3.11.7', supportedTags: ['cp311-cp311-linux_x86_64', 'py3-none-any'] }, versions: pep440Versions })
  const outcome = (name: string, extra?: Partial<DistributionFile>) => {
    const result = evaluate(file(name, extra))
    return result.ok ? `${result.candidate.kind} ${result.candidate.versionText} rank ${result.candidate.tagRank}` : `${result.reason}: ${result.detail}`
  }

  it.each([
    ['foo_bar-1.0-py3-none-any.whl', 'wheel 1.0 rank 1'],
    ['Foo.Bar-1.0-cp311-cp311-linux_x86_64.whl', 'wheel 1.0 rank 0'],
    ['foo__bar-1.0-py3-none-any.whl', 'invalid-name: invalid wheel filename'],
    ['foo_bar-1.0-1b-cp311-cp311-linux_x86_64.whl', 'wheel 1.0 rank 0'],
    ['foo_bar-1.0-cp310-cp310-linux_x86_64.whl', "unsupported-tags: none of the wheel's tags (cp310-cp310-linux_x86_64) are compatible"],
    ['other-1.0-py3-none-any.whl', 'other-project: wrong project name (not Foo_Bar)'],
    ['foo-bar-1.0.tar.gz', 'sdist 1.0 rank 2'],
    ['Foo.Bar-2.0rc1.zip', 'sdist 2.0rc1 rank 2'],
    ['foo_bar-1.0.tar.bz2', 'sdist 1.0 rank 2'],
    ['foo_bar-1.0-py3.tar.gz', 'python-version: Python version is incorrect'],
    ['foo_bar-1.0-py2.7.tar.gz', 'python-version: Python version is incorrect'],
    ['foo_bar-1.0.rar', 'not-archive: unsupported archive format: .rar'],
    ['foo_bar', 'not-archive: not a file'],
    ['foobar-1.0.tar.gz', 'invalid-version: Missing project version for Foo_Bar'],
    ['foo_bar-latest.tar.gz', 'invalid-version: invalid version "latest"'],
  ])('%s -> %s', (name, expected) => {
    expect(outcome(name)).toBe(expected)
  })

  it('checks Requires-Python and ignores an invalid one', () => {
    expect(outcome('foo_bar-1.0.tar.gz', { requiresPython: '>=3.12' })).toBe('requires-python: 1.0 Requires-Python >=3.12')
    expect(outcome('foo_bar-1.0.tar.gz', { requiresPython: '>=3.8,<4' })).toBe('sdist 1.0 rank 2')
    expect(outcome('foo_bar-1.0.tar.gz', { requiresPython: 'nonsense' })).toBe('sdist 1.0 rank 2')
  })

  it('knows pins', () => {
    expect(['==1.0', '===1.0', '>=1,==2', '==1.*', '>=1'].map(isPinned)).toEqual([true, true, true, false, false])
  })
})

describe('finder over a file index and find-links', () => {
  let dir: string
  let indexUrl: string
  let extraUrl: string
  let links: string
  const http = createHttpClient()

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pipette-finder-'))
    const wheels = join(dir, 'wheels')
    const extra = join(dir, 'extra-wheels')
    links = join(dir, 'links')
    for (const version of ['1.0', '1.1', '2.0b1']) await buildWheel({ name: 'demo', version }, { outDir: wheels })
    await buildWheel({ name: 'demo', version: '1.2', requiresPython: '>=3.12' }, { outDir: wheels })
    await buildWheel({ name: 'demo', version: '1.3' }, { outDir: wheels })
    await buildWheel({ name: 'private-pkg', version: '9.0' }, { outDir: wheels })
    await buildWheel({ name: 'private-pkg', version: '1.0' }, { outDir: extra })
    await buildWheel({ name: 'only-yanked', version: '1.0' }, { outDir: wheels })
    const demo13 = join(wheels, 'demo-1.3-py3-none-any.whl')
    const yanked = join(wheels, 'only_yanked-1.0-py3-none-any.whl')
    await writeIndex({
      files: [...['demo-1.0', 'demo-1.1', 'demo-2.0b1', 'demo-1.2', 'private_pkg-9.0'].map((n) => join(wheels, `${n}-py3-none-any.whl`)), { path: demo13, yanked: 'broken' }, { path: yanked, yanked: true }],
      outDir: join(dir, 'public'),
    })
    await writeIndex({ wheelsDir: extra, outDir: join(dir, 'private') })
    indexUrl = pathToFileURL(join(dir, 'public', 'simple')).href
    extraUrl = pathToFileURL(join(dir, 'private', 'simple')).href
    await mkdir(links)
    await buildWheel({ name: 'demo', version: '3.0' }, { outDir: links })
    await buildSdist({ name: 'demo', version: '3.1' }, { outDir: links })
    await writeFile(join(links, 'README.txt'), 'not a distribution')
    await writeFile(join(links, 'page.html'), '<a href="https://files.example.com/demo-0.9.tar.gz">demo-0.9.tar.gz</a>')
  })
  afterAll(async () => {
    await http.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('orders indexes as uv: extra indexes first, then --index-url', () => {
    expect(indexSearchOrder({ indexUrl: 'https://a/simple', extraIndexUrls: ['https://b/simple', 'https://c/simple'] })).toEqual(['https://b/simple', 'https://c/simple', 'https://a/simple'])
    expect(indexSearchOrder({ extraIndexUrls: ['https://b/simple'], noIndex: true })).toEqual([])
    expect(indexSearchOrder({})).toEqual(['https://pypi.org/simple'])
  })

  it('finds candidates, best first, without pre-releases, yanked or wrong-Python files', async () => {
    const finder = createFinder({ http, target, versions: pep440Versions, indexUrl })
    const { best, applicable, found } = await finder.findBest('Demo')
    expect(found.candidates.map((c) => c.versionText).sort()).toEqual(['1.0', '1.1', '1.3', '2.0b1'])
    expect(found.skipped.map((s) => s.reason)).toEqual(['requires-python'])
    expect(applicable.map((c) => c.versionText)).toEqual(['1.1', '1.0'])
    expect(best?.file.filename).toBe('demo-1.1-py3-none-any.whl')
    expect(best?.file.hashes['sha256']).toMatch(/^[0-9a-f]{64}$/)
    expect(best?.file.coreMetadata).not.toBe(false)
    expect((await finder.findBest('demo', { pre: true })).best?.versionText).toBe('2.0b1')
    expect((await finder.findBest('demo', { specifier: '==1.3' })).best?.versionText).toBe('1.3')
    expect((await finder.findBest('demo', { specifier: '>=1.3' })).best).toBeUndefined()
    expect((await finder.findBest('only-yanked', { specifier: '==1.0' })).best?.versionText).toBe('1.0')
    expect((await finder.findBest('only-yanked')).best).toBeUndefined()
  })

  it('first-index keeps a private name private; unsafe-best-match mixes indexes', async () => {
    const first = createFinder({ http, target, versions: pep440Versions, indexUrl, extraIndexUrls: [extraUrl] })
    expect((await first.findBest('private-pkg')).best?.versionText).toBe('1.0')
    expect((await first.findAll('private-pkg')).index).toBe(extraUrl)
    const mixed = createFinder({ http, target, versions: pep440Versions, indexUrl, extraIndexUrls: [extraUrl], indexStrategy: 'unsafe-best-match' })
    expect((await mixed.findBest('private-pkg')).best?.versionText).toBe('9.0')
  })

  it('reads find-links directories (archives of the project, HTML pages) with --no-index', async () => {
    const finder = createFinder({ http, target, versions: pep440Versions, noIndex: true, findLinks: [links] })
    const found = await finder.findAll('demo')
    expect(found.candidates.map((c) => `${c.kind} ${c.versionText}`).sort()).toEqual(['sdist 0.9', 'sdist 3.1', 'wheel 3.0'])
    expect((await finder.findBest('demo')).best?.versionText).toBe('3.1')
    expect((await finder.findBest('demo', { preferBinary: true })).best?.versionText).toBe('3.0')
    expect((await finder.findAll('nothing-here')).candidates).toEqual([])
  })

  it('warns about and ignores locations that do not exist', async () => {
    const warnings: string[] = []
    const finder = createFinder({ http, target, versions: pep440Versions, noIndex: true, findLinks: [join(dir, 'missing'), 'no-scheme-here'], warn: (w) => warnings.push(w) })
    await finder.findAll('demo')
    expect(warnings).toEqual([
      `Location '${join(dir, 'missing')}' is ignored: it is either a non-existing path or lacks a specific scheme.`,
      "Location 'no-scheme-here' is ignored: it is either a non-existing path or lacks a specific scheme.",
    ])
  })
})
