import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLinker, isPlain } from '../src/linker.js'

// The linker creates each directory once, checks only the ones that were
// already there (a symbolic link out of the scheme directory is refused, one
// that stays inside is followed) and places files atomically.

let dir: string
let tree: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pipette-linker-'))
  tree = join(dir, 'tree')
  for (const [path, content] of Object.entries({ 'pkg/__init__.py': 'A\n', 'pkg/sub/deep/mod.py': 'B\n', 'top.py': 'C\n', 'odd/./x.py': 'D\n' })) {
    mkdirSync(join(tree, path, '..'), { recursive: true })
    writeFileSync(join(tree, path), content)
  }
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('isPlain', () => {
  // path, plain
  const cases: Array<[string, boolean]> = [
    ['a', true],
    ['a/b.py', true],
    ['a/.hidden/b', true],
    ['a/..b/c', true],
    ['', false],
    ['/a', false],
    ['a/', false],
    ['a//b', false],
    ['./a', false],
    ['a/./b', false],
    ['a/.', false],
    ['../a', false],
    ['a/../b', false],
    ['a/..', false],
    ['.', false],
  ]
  it.each(cases)('%s -> %s', (path, plain) => {
    expect(isPlain(path)).toBe(plain)
  })
})

describe('createLinker', () => {
  it('creates the directories and links the files, normalizing odd names', async () => {
    const site = join(dir, 'site')
    const linker = createLinker()
    const method = await linker.link({ from: tree, to: site, files: ['pkg/__init__.py', 'pkg/sub/deep/mod.py', 'top.py', 'odd/./x.py'] })
    expect(method === 'hardlink' || method === 'reflink' || method === 'copy').toBe(true)
    expect(readFileSync(join(site, 'pkg/sub/deep/mod.py'), 'utf8')).toBe('B\n')
    expect(readFileSync(join(site, 'odd/x.py'), 'utf8')).toBe('D\n')
    expect(readFileSync(join(site, 'top.py'), 'utf8')).toBe('C\n')
    if (method === 'hardlink') expect(statSync(join(site, 'top.py')).ino).toBe(statSync(join(tree, 'top.py')).ino)
  })

  it('replaces a file that is already there', async () => {
    const site = join(dir, 'site')
    mkdirSync(join(site, 'pkg'), { recursive: true })
    writeFileSync(join(site, 'pkg/__init__.py'), 'old\n')
    await createLinker().link({ from: tree, to: site, files: ['pkg/__init__.py'] })
    expect(readFileSync(join(site, 'pkg/__init__.py'), 'utf8')).toBe('A\n')
  })

  it('follows an existing directory link that stays inside the scheme directory', async () => {
    const site = join(dir, 'site')
    mkdirSync(join(site, 'real'), { recursive: true })
    symlinkSync(join(site, 'real'), join(site, 'pkg'))
    await createLinker().link({ from: tree, to: site, files: ['pkg/sub/deep/mod.py'] })
    expect(readFileSync(join(site, 'real/sub/deep/mod.py'), 'utf8')).toBe('B\n')
    expect(lstatSync(join(site, 'pkg')).isSymbolicLink()).toBe(true)
  })

  it('refuses a directory link that leads out of the scheme directory', async () => {
    const site = join(dir, 'site')
    const outside = join(dir, 'outside')
    mkdirSync(outside, { recursive: true })
    mkdirSync(join(site, 'pkg'), { recursive: true })
    symlinkSync(outside, join(site, 'pkg', 'sub'))
    await expect(createLinker().link({ from: tree, to: site, files: ['pkg/sub/deep/mod.py'] })).rejects.toMatchObject({ code: 'ERR_WHEEL_SYMLINK' })
    expect(() => statSync(join(outside, 'deep'))).toThrow()
  })

  it('refuses a file where a directory must go', async () => {
    const site = join(dir, 'site')
    mkdirSync(site, { recursive: true })
    writeFileSync(join(site, 'pkg'), 'not a directory\n')
    await expect(createLinker().link({ from: tree, to: site, files: ['pkg/__init__.py'] })).rejects.toMatchObject({ code: 'EEXIST' })
  })

  it('checks a data directory outside the root by its real path', async () => {
    const venv = join(dir, 'venv')
    const root = join(venv, 'bin')
    const linker = createLinker()
    await linker.link({ from: join(tree, 'pkg'), to: join(root, 'tools'), root, files: ['__init__.py'] })
    expect(readFileSync(join(root, 'tools/__init__.py'), 'utf8')).toBe('A\n')
    symlinkSync(join(dir, 'outside-bin'), join(root, 'away'))
    mkdirSync(join(dir, 'outside-bin'))
    await expect(linker.link({ from: join(tree, 'pkg'), to: join(root, 'away'), root, files: ['__init__.py'] })).rejects.toMatchObject({ code: 'ERR_WHEEL_SYMLINK' })
  })
})
