import { describe, expect, it } from 'vitest'
import { parseRequirementsFile, RequirementsFileError } from '../src/index.js'
import type { RequirementsFileEntry } from '../src/index.js'
import { fakeFileSystem } from './fake-fs.js'

const ROOT = '/work/project'

async function parse(files: Record<string, string | Uint8Array>, options: { env?: Record<string, string>; fetch?: (url: string) => Promise<{ url?: string; body: Uint8Array }> } = {}) {
  return parseRequirementsFile('requirements.txt', { cwd: ROOT, env: options.env ?? {}, fs: fakeFileSystem(ROOT, files), fetch: options.fetch })
}

async function failure(promise: Promise<unknown>): Promise<RequirementsFileError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(RequirementsFileError)
  return error as RequirementsFileError
}

/** A compact, readable line per entry. */
function summary(entry: RequirementsFileEntry): string {
  const where = `${entry.file.startsWith(`${ROOT}/`) ? entry.file.slice(ROOT.length + 1) : entry.file}:${entry.line}${entry.constraint ? ' (constraint)' : ''}`
  if (entry.kind === 'option') return `${where} --${entry.option.name}${entry.option.value === undefined ? '' : `=${entry.option.value}`}`
  if (entry.kind === 'editable') {
    return `${where} -e ${entry.link} [${entry.linkKind}]${entry.requirement ? ` name=${entry.requirement.name}` : ''}${entry.extras.length ? ` extras=${entry.extras}` : ''}`
  }
  const parts = [`${where} ${entry.requirement === null ? '<unnamed>' : String(entry.requirement)}`]
  if (entry.link !== null) parts.push(`link=${entry.link} [${entry.linkKind}]`)
  if (entry.extras.length > 0) parts.push(`extras=${entry.extras.join(',')}`)
  if (entry.marker !== null) parts.push(`marker=${String(entry.marker)}`)
  for (const [algo, digests] of Object.entries(entry.hashes)) parts.push(`${algo}=${digests.join('|')}`)
  if (Object.keys(entry.configSettings).length > 0) parts.push(`config=${JSON.stringify(entry.configSettings)}`)
  return parts.join(' ')
}

// columns: case | files (requirements.txt is the top file) | expected entries, one summary line each
const cases: ReadonlyArray<readonly [string, Record<string, string>, readonly string[]]> = [
  [
    'named requirements, markers, extras',
    { 'requirements.txt': 'requests[socks] >=2.31 ; python_version >= "3.8"\nFlask==3.*\n' },
    ['requirements.txt:1 requests[socks]>=2.31 marker=python_version >= "3.8"', 'requirements.txt:2 Flask==3.*'],
  ],
  [
    'name @ url',
    { 'requirements.txt': 'pkg @ https://example.com/pkg-1.0-py3-none-any.whl ; sys_platform == "linux"\n' },
    [
      'requirements.txt:1 pkg@ https://example.com/pkg-1.0-py3-none-any.whl link=https://example.com/pkg-1.0-py3-none-any.whl [wheel] marker=sys_platform == "linux"',
    ],
  ],
  [
    'bare URLs: wheel name from the file name, sdist with and without #egg=, VCS',
    {
      'requirements.txt': [
        'https://example.com/dist/Foo_Bar-1.0.post1-py3-none-any.whl',
        'https://example.com/dist/baz-2.0.tar.gz',
        'https://example.com/dist/qux-2.0.zip#egg=qux',
        'git+https://github.com/owner/repo.git@v1.2#egg=repo',
        'https://example.com/dist/x-1.0.tar.gz; python_version < "3.9"',
      ].join('\n'),
    },
    [
      'requirements.txt:1 Foo-Bar==1.0.post1 link=https://example.com/dist/Foo_Bar-1.0.post1-py3-none-any.whl [wheel]',
      'requirements.txt:2 <unnamed> link=https://example.com/dist/baz-2.0.tar.gz [archive]',
      'requirements.txt:3 qux link=https://example.com/dist/qux-2.0.zip#egg=qux [archive]',
      'requirements.txt:4 repo link=git+https://github.com/owner/repo.git@v1.2#egg=repo [vcs]',
      'requirements.txt:5 <unnamed> link=https://example.com/dist/x-1.0.tar.gz [archive] marker=python_version < "3.9"',
    ],
  ],
  [
    'local paths: directory, wheel, sdist (relative to the current directory), with extras and markers',
    {
      'requirements.txt': './pkg\n./pkg[Test,dev]\ndist/spam-1.0-py3-none-any.whl\n../elsewhere/eggs-2.0.tar.gz ; os_name == "nt"\n/abs/x-1.0-py3-none-any.whl\n',
      'pkg/pyproject.toml': '',
      'dist/spam-1.0-py3-none-any.whl': '',
    },
    [
      'requirements.txt:1 <unnamed> link=file:///work/project/pkg [directory]',
      'requirements.txt:2 <unnamed> link=file:///work/project/pkg [directory] extras=dev,test',
      'requirements.txt:3 spam==1.0 link=file:///work/project/dist/spam-1.0-py3-none-any.whl [wheel]',
      'requirements.txt:4 <unnamed> link=file:///work/elsewhere/eggs-2.0.tar.gz [archive] marker=os_name == "nt"',
      'requirements.txt:5 x==1.0 link=file:///abs/x-1.0-py3-none-any.whl [wheel]',
    ],
  ],
  [
    'editables: directory, directory with extras, VCS with #egg=, VCS shorthand',
    {
      'requirements.txt': '-e ./pkg\n-e ./pkg[test]\n--editable git+https://github.com/o/r.git#egg=r\n-e git:https://github.com/o/s.git#egg=s\n-e ./pkg -C k=v\n',
      'pkg/setup.py': '',
    },
    [
      'requirements.txt:1 -e file:///work/project/pkg [directory]',
      'requirements.txt:2 -e file:///work/project/pkg [directory] extras=test',
      'requirements.txt:3 -e git+https://github.com/o/r.git#egg=r [vcs] name=r',
      'requirements.txt:4 -e git+git:https://github.com/o/s.git#egg=s [vcs] name=s',
      'requirements.txt:5 -e file:///work/project/pkg [directory]',
    ],
  ],
  [
    'hashes and config settings belong to their requirement',
    {
      'requirements.txt':
        'foo==1.0 \\\n    --hash=sha256:aaa \\\n    --hash=sha256:bbb\nbar==2 --hash=sha512:ccc --config-settings=--build-option=--x -C k=1 -C k=2\n--hash=sha256:ignored\n',
    },
    ['requirements.txt:1 foo==1.0 sha256=aaa|bbb', 'requirements.txt:4 bar==2 sha512=ccc config={"--build-option":"--x","k":["1","2"]}'],
  ],
  [
    'global options in line order; only the last -i and the first -f of a line count',
    {
      'requirements.txt':
        '--index-url https://a.example/simple -i https://b.example/simple\n--extra-index-url https://c.example/simple\n--no-index --pre\n--find-links https://f.example/ -f https://g.example/\n--prefer-binary\n--require-hashes\n--only-binary :all:\n--no-binary foo,bar\n--trusted-host h.example:8080\n--use-feature fast-deps\n',
    },
    [
      'requirements.txt:1 --index-url=https://b.example/simple',
      'requirements.txt:2 --extra-index-url=https://c.example/simple',
      'requirements.txt:3 --no-index',
      'requirements.txt:3 --pre',
      'requirements.txt:4 --find-links=https://f.example/',
      'requirements.txt:5 --prefer-binary',
      'requirements.txt:6 --require-hashes',
      'requirements.txt:7 --only-binary=:all:',
      'requirements.txt:8 --no-binary=foo,bar',
      'requirements.txt:9 --trusted-host=h.example:8080',
      'requirements.txt:10 --use-feature=fast-deps',
    ],
  ],
  [
    'a -f path relative to the requirements file wins when it exists',
    { 'requirements.txt': '-r sub/more.txt\n', 'sub/more.txt': '-f wheels\n-f missing\n', 'sub/wheels/x.whl': '' },
    ['sub/more.txt:1 --find-links=/work/project/sub/wheels', 'sub/more.txt:2 --find-links=missing'],
  ],
  [
    'global options on a requirement line are ignored',
    { 'requirements.txt': 'foo --pre --index-url https://x.example\n' },
    ['requirements.txt:1 foo'],
  ],
  [
    '-r is relative to the including file; -c marks constraints; -r inside -c reads requirements again',
    {
      'requirements.txt': 'a\n-r sub/more.txt\n-c constraints.txt\nz\n',
      'sub/more.txt': 'b\n--requirement=../deeper.txt\n',
      'deeper.txt': 'c\n',
      'constraints.txt': 'a<2\n-r deeper.txt\n',
    },
    ['requirements.txt:1 a', 'sub/more.txt:1 b', 'deeper.txt:1 c', 'constraints.txt:1 (constraint) a<2', 'deeper.txt:1 c', 'requirements.txt:4 z'],
  ],
  [
    'a file included twice along different paths is read twice (not a cycle)',
    { 'requirements.txt': '-r a.txt\n-r b.txt\n', 'a.txt': '-r common.txt\n', 'b.txt': '-r common.txt\n', 'common.txt': 'x\n' },
    ['common.txt:1 x', 'common.txt:1 x'],
  ],
  [
    'environment variables',
    { 'requirements.txt': 'pkg @ https://${TOKEN}@example.com/pkg.whl\n${NAME}>=1\n' },
    ['requirements.txt:1 pkg@ https://t0k3n@example.com/pkg.whl link=https://t0k3n@example.com/pkg.whl [wheel]', 'requirements.txt:2 spam>=1'],
  ],
]

describe('parseRequirementsFile', () => {
  it.each(cases)('%s', async (_name, files, expected) => {
    const entries = await parse(files, { env: { TOKEN: 't0k3n', NAME: 'spam' } })
    expect(entries.map(summary)).toEqual(expected)
    expect(Object.isFrozen(entries)).toBe(true)
    for (const entry of entries) expect(Object.isFrozen(entry)).toBe(true)
  })

  it('reads URLs through the injected fetch, and resolves nested files against the final URL', async () => {
    const fetched: string[] = []
    const pages: Record<string, string> = {
      'https://example.com/reqs/base.txt': 'a\n-r more.txt\n-c https://other.example/c.txt\n',
      'https://example.com/reqs/v2/more.txt': 'b\n',
      'https://other.example/c.txt': 'a<2\n',
    }
    const fetch = async (url: string) => {
      fetched.push(url)
      const body = pages[url]
      if (body === undefined) throw new Error(`404 ${url}`)
      return { url: url === 'https://example.com/reqs/base.txt' ? 'https://example.com/reqs/v2/base.txt' : url, body: new TextEncoder().encode(body) }
    }
    const entries = await parse({ 'requirements.txt': '-r https://example.com/reqs/base.txt\n' }, { fetch })
    expect(entries.map((e) => `${e.file} ${e.kind === 'requirement' ? String(e.requirement) : ''}${e.constraint ? ' C' : ''}`)).toEqual([
      'https://example.com/reqs/base.txt a',
      'https://example.com/reqs/v2/more.txt b',
      'https://other.example/c.txt a<2 C',
    ])
    expect(fetched).toHaveLength(3)
  })

  it('reads file: URLs from the file system', async () => {
    const entries = await parse({ 'requirements.txt': '-r file:///work/project/other.txt\n', 'other.txt': 'x\n' })
    expect(entries.map(summary)).toEqual(['file:///work/project/other.txt:1 x'])
  })

  it('decodes BOMs and PEP 263 coding lines', async () => {
    const latin1 = Uint8Array.from([...'# -*- coding: latin-1 -*-\ncaf\xe9-pkg\n'].map((c) => c.charCodeAt(0)))
    await expect(parse({ 'requirements.txt': latin1 })).rejects.toThrow(/café-pkg/)
    const utf16 = new Uint8Array([0xff, 0xfe, ...Buffer.from('foo\nbar\n', 'utf16le')])
    expect((await parse({ 'requirements.txt': utf16 })).map(summary)).toEqual(['requirements.txt:1 foo', 'requirements.txt:2 bar'])
    const utf32 = new Uint8Array([0xff, 0xfe, 0, 0, ...[...'x\n'].flatMap((c) => [c.charCodeAt(0), 0, 0, 0])])
    expect((await parse({ 'requirements.txt': utf32 })).map(summary)).toEqual(['requirements.txt:1 x'])
  })
})

describe('parseRequirementsFile errors name the file and line', () => {
  // columns: case | files | expected file (relative) | expected line or null | message fragment
  const errors: ReadonlyArray<readonly [string, Record<string, string | Uint8Array>, string, number | null, RegExp]> = [
    ['bad requirement', { 'requirements.txt': 'ok\n\nfoo ==1.0 bar\n' }, 'requirements.txt', 3, /line 3: Invalid requirement: 'foo ==1\.0 bar'.*Expected end or semicolon/s],
    ['= instead of ==', { 'requirements.txt': 'foo=1.0\n' }, 'requirements.txt', 1, /Invalid requirement: 'foo=1\.0'/],
    ['unknown option', { 'requirements.txt': 'a\n--frobnicate\n' }, 'requirements.txt', 2, /no such option: --frobnicate/],
    ['pip 26 removed --global-option', { 'requirements.txt': 'a --global-option=x\n' }, 'requirements.txt', 1, /no such option: --global-option/],
    ['--use-feature choices', { 'requirements.txt': '--use-feature=2020-resolver\n' }, 'requirements.txt', 1, /invalid choice: '2020-resolver' \(choose from 'fast-deps'/],
    ['bad hash algorithm', { 'requirements.txt': 'a --hash=md5:x\n' }, 'requirements.txt', 1, /Allowed hash algorithms for --hash are sha256, sha384, sha512/],
    ['error in a nested file', { 'requirements.txt': 'a\n-r sub/b.txt\n', 'sub/b.txt': 'x\n\n\nnot valid[\n' }, '/work/project/sub/b.txt', 4, /b\.txt, line 4: Invalid requirement/],
    ['missing nested file', { 'requirements.txt': 'a\n\n-r nope.txt\n' }, '/work/project/nope.txt', null, /Could not open requirements file: .*ENOENT.*\(referenced from requirements\.txt, line 3\)/],
    ['cycle', { 'requirements.txt': '-r a.txt\n', 'a.txt': 'x\n-r b.txt\n', 'b.txt': '-r a.txt\n' }, '/work/project/b.txt', 1, /recursively references itself \(.*requirements\.txt -> .*a\.txt -> .*b\.txt -> .*a\.txt\)/],
    ['self include', { 'requirements.txt': '-r requirements.txt\n' }, 'requirements.txt', 1, /recursively references itself/],
    ['not UTF-8', { 'requirements.txt': Uint8Array.from([0x66, 0x6f, 0xff, 0x0a]) }, 'requirements.txt', null, /cannot decode the file: the bytes are not valid utf-8/],
    ['unknown coding', { 'requirements.txt': '# coding: klingon\nx\n' }, 'requirements.txt', null, /unknown encoding: klingon/],
    ['directory without a project', { 'requirements.txt': './empty\n', 'empty/README': '' }, 'requirements.txt', 1, /Directory '\.\/empty' is not installable/],
    ['editable that is neither a path nor VCS', { 'requirements.txt': '-e https://example.com/x.tar.gz\n' }, 'requirements.txt', 1, /is not a valid editable requirement/],
    ['editable VCS without #egg=', { 'requirements.txt': '-e git+https://github.com/o/r.git\n' }, 'requirements.txt', 1, /Could not detect requirement name/],
    ['egg fragment that is not a project name (pip 25+)', { 'requirements.txt': 'git+https://github.com/o/r.git#egg=r[x]\n' }, 'requirements.txt', 1, /egg fragment with a non-PEP 508 name: 'r\[x\]'/],
    ['invalid wheel file name', { 'requirements.txt': 'https://example.com/bad.whl\n' }, 'requirements.txt', 1, /bad\.whl is not a valid wheel filename/],
    ['invalid marker after a URL', { 'requirements.txt': 'https://example.com/x.tar.gz; os_name ==\n' }, 'requirements.txt', 1, /Invalid marker/],
    ['URL file without fetch', { 'requirements.txt': '-r https://example.com/r.txt\n' }, 'https://example.com/r.txt', null, /cannot fetch a requirements file from a URL/],
  ]
  it.each(errors)('%s', async (_name, files, file, line, message) => {
    const error = await failure(parse(files))
    expect(error.code).toBe('ERR_REQUIREMENTS_FILE')
    expect(error.file).toBe(file)
    expect(error.line).toBe(line)
    expect(error.message).toMatch(message)
    expect(error.hint).toBeTruthy()
  })

  it('hides credentials in messages', async () => {
    const error = await failure(parse({ 'requirements.txt': 'pkg @ https://user:hunter2@example.com/p.whl garbage\n' }))
    expect(error.message).not.toContain('hunter2')
    expect(error.message).toContain('https://user:****@example.com/p.whl')
  })
})
