import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isUrl, parseEditable, parseRequirementLine, pathToUrl } from '../src/index.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipette-reqline-'))
  await mkdir(join(dir, 'my project'))
  await writeFile(join(dir, 'my project', 'pyproject.toml'), '[project]\nname = "p"\n')
  await mkdir(join(dir, 'dist'))
  await writeFile(join(dir, 'dist', 'spam-1.0-py3-none-any.whl'), '')
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('parseRequirementLine on the real file system', () => {
  it('finds a local project directory (percent-encoding the file: URL as pip does)', () => {
    const target = parseRequirementLine('./my project[Test]', { cwd: dir })
    expect(target.link).toBe(`${pathToUrl(join(dir, 'my project'), '/')}`)
    expect(target.link).toMatch(/my%20project$/)
    expect(target.linkKind).toBe('directory')
    expect(target.extras).toEqual(['test'])
    expect(target.requirement).toBeNull()
  })
  it('names a local wheel from its file name', () => {
    const target = parseRequirementLine('dist/spam-1.0-py3-none-any.whl', { cwd: dir })
    expect(String(target.requirement)).toBe('spam==1.0')
    expect(target.linkKind).toBe('wheel')
  })
  it('treats a plain name as PEP 508', () => {
    const target = parseRequirementLine('requests>=2; python_version >= "3.8"', { cwd: dir })
    expect(String(target.requirement)).toBe('requests>=2')
    expect(String(target.marker)).toBe('python_version >= "3.8"')
    expect(target.link).toBeNull()
  })
  it('reads an editable directory', () => {
    expect(parseEditable('./my project', { cwd: dir }).linkKind).toBe('directory')
  })
  it('knows URL schemes as pip does', () => {
    expect(isUrl('git+ssh://git@github.com/o/r.git')).toBe(true)
    expect(isUrl('HTTPS://x')).toBe(true)
    expect(isUrl('name @ https://x')).toBe(false)
    expect(isUrl('C:\\x')).toBe(false)
  })
})
