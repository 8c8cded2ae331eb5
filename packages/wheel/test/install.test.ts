import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildWheel } from '@pipette/fixtures'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCompilePool, installWheel, openWheel, parseRecord, pathToFileUrl, recordHash } from '../src/index.js'
import type { InstallWheelOptions } from '../src/index.js'
import { scratchScheme } from './helpers/scheme.js'

let wheels: string
beforeAll(async () => {
  wheels = await mkdtemp(join(tmpdir(), 'pipette-wheels-'))
})
afterAll(async () => {
  await rm(wheels, { recursive: true, force: true })
})

const PYTHON = '/usr/bin/python3'

async function install(path: string, options: Partial<InstallWheelOptions> & { name?: string } = {}) {
  const { root, scheme } = await scratchScheme(options.name ?? 'pkg')
  const archive = await openWheel(path)
  try {
    const result = await installWheel({ archive, scheme, executable: PYTHON, pythonVersion: [3, 11], umask: 0o022, ...options })
    return { root, scheme, result }
  } finally {
    await archive.close()
  }
}

const modeOf = async (path: string) => (await stat(path)).mode & 0o7777

describe('installWheel', () => {
  it('installs every kind of file where pip puts it', async () => {
    const path = await buildWheel(
      {
        name: 'Demo.Pkg',
        version: '1.0',
        files: [
          { path: 'demo_pkg/__init__.py', content: 'def main():\n    return 0\n' },
          { path: 'demo_pkg/données.txt', content: 'é' },
          { path: 'demo_pkg/tool.sh', content: 'echo hi\n', mode: 0o755 },
          { path: 'demo.pth', content: 'import sys\n' },
          { path: 'ns/sub/__init__.py', content: '' },
        ],
        data: {
          scripts: { 'fixme': '#!python\nprint("fixed")\n', 'plain': '#!/bin/sh\necho plain\n', 'demo-gui.exe': 'MZ' },
          headers: { 'demo.h': '#define DEMO 1\n' },
          data: { 'share/demo/readme.txt': 'data' },
          purelib: { 'demo_extra.py': 'X = 1\n' },
          platlib: { 'demo_plat.py': 'Y = 1\n' },
        },
        entryPoints: { console_scripts: { 'demo': 'demo_pkg:main', 'demo-x': 'demo_pkg.cli:app.run [extra]' }, gui_scripts: { 'demo-gui': 'demo_pkg:main' } },
      },
      { outDir: wheels },
    )
    const { root, scheme, result } = await install(path, {
      name: 'demo-pkg',
      requested: true,
      directUrl: { url: pathToFileUrl(path), archiveHash: 'sha256=00ff' },
    })
    const site = scheme.purelib
    expect(await readFile(join(site, 'demo_pkg/données.txt'), 'utf8')).toBe('é')
    expect(await readFile(join(site, 'demo.pth'), 'utf8')).toBe('import sys\n')
    expect(await readFile(join(site, 'ns/sub/__init__.py'), 'utf8')).toBe('')
    expect(await readFile(join(scheme.headers, 'demo.h'), 'utf8')).toBe('#define DEMO 1\n')
    expect(await readFile(join(root, 'share/demo/readme.txt'), 'utf8')).toBe('data')
    expect(await readFile(join(site, 'demo_extra.py'), 'utf8')).toBe('X = 1\n')
    expect(await readFile(join(scheme.platlib, 'demo_plat.py'), 'utf8')).toBe('Y = 1\n')
    // #!python is rewritten, other shebangs are kept; setuptools' wrapper for an entry point is skipped.
    expect(await readFile(join(scheme.scripts, 'fixme'), 'utf8')).toBe(`#!${PYTHON}\nprint("fixed")\n`)
    expect(await readFile(join(scheme.scripts, 'plain'), 'utf8')).toBe('#!/bin/sh\necho plain\n')
    await expect(stat(join(scheme.scripts, 'demo-gui.exe'))).rejects.toThrow()
    // Modes: the umask default, executables 0o777 & ~umask | 0o111, launchers | 0o555.
    expect(await modeOf(join(site, 'demo_pkg/__init__.py'))).toBe(0o644)
    expect(await modeOf(join(site, 'demo_pkg/tool.sh'))).toBe(0o755)
    expect(await modeOf(join(scheme.scripts, 'fixme'))).toBe(0o755)
    expect(await modeOf(join(scheme.scripts, 'demo'))).toBe(0o755)
    // Launchers: distlib's template.
    expect(await readFile(join(scheme.scripts, 'demo'), 'utf8')).toBe(
      `#!${PYTHON}\n# -*- coding: utf-8 -*-\nimport re\nimport sys\nfrom demo_pkg import main\nif __name__ == '__main__':\n    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n    sys.exit(main())\n`,
    )
    expect(await readFile(join(scheme.scripts, 'demo-x'), 'utf8')).toContain('from demo_pkg.cli import app\n')
    expect(await readFile(join(scheme.scripts, 'demo-x'), 'utf8')).toContain('    sys.exit(app.run())\n')
    expect(result.consoleScripts.map((p) => p.slice(scheme.scripts.length + 1))).toEqual(['demo', 'demo-x'])
    expect(result.guiScripts.map((p) => p.slice(scheme.scripts.length + 1))).toEqual(['demo-gui'])
    // Generated metadata.
    const distInfo = join(site, 'demo_pkg-1.0.dist-info')
    expect(result.distInfoPath).toBe(distInfo)
    expect(await readFile(join(distInfo, 'INSTALLER'), 'utf8')).toBe('pipette\n')
    expect(await readFile(join(distInfo, 'REQUESTED'), 'utf8')).toBe('')
    expect(await readFile(join(distInfo, 'direct_url.json'), 'utf8')).toBe(
      `{"archive_info": {"hash": "sha256=00ff", "hashes": {"sha256": "00ff"}}, "url": "${pathToFileUrl(path)}"}`,
    )
    // RECORD: CRLF, sorted, relative to purelib, rewritten and generated files hashed.
    const text = await readFile(join(distInfo, 'RECORD'), 'utf8')
    expect(text.endsWith('\r\n')).toBe(true)
    const rows = new Map(parseRecord(text).map((r) => [r.path, r]))
    expect([...rows.keys()]).toEqual([...rows.keys()].sort())
    const fixed = await readFile(join(scheme.scripts, 'fixme'))
    expect(rows.get('../../../bin/fixme')).toEqual({ path: '../../../bin/fixme', hash: recordHash(fixed), size: String(fixed.length) })
    expect(rows.get('../../../bin/demo')?.hash).toBe(recordHash(await readFile(join(scheme.scripts, 'demo'))))
    expect(rows.get('../../../include/site/python3.11/demo-pkg/demo.h')).toBeDefined()
    expect(rows.get('../../../share/demo/readme.txt')).toBeDefined()
    expect(rows.get('../../../lib64/python3.11/site-packages/demo_plat.py')).toBeDefined()
    expect(rows.get('demo_pkg-1.0.dist-info/RECORD')).toEqual({ path: 'demo_pkg-1.0.dist-info/RECORD', hash: '', size: '' })
    expect(rows.get('demo_pkg-1.0.dist-info/INSTALLER')?.hash).toBe(recordHash(Buffer.from('pipette\n')))
    // The skipped wrapper keeps its archive path, as in pip.
    expect(rows.has('demo_pkg-1.0.data/scripts/demo-gui.exe')).toBe(true)
    expect(result.record.length).toBe(rows.size)
    // The launcher runs.
    expect(execFileSync(join(scheme.scripts, 'fixme'), { encoding: 'utf8' })).toBe('fixed\n')
    await rm(root, { recursive: true, force: true })
  })

  it('puts the root in platlib when Root-Is-Purelib is false', async () => {
    const path = await buildWheel({ name: 'platty', version: '2.0', tag: 'cp311-cp311-linux_x86_64', rootIsPurelib: false }, { outDir: wheels })
    const { root, scheme, result } = await install(path)
    expect(result.libDir).toBe(scheme.platlib)
    expect(await readFile(join(scheme.platlib, 'platty/__init__.py'), 'utf8')).toContain('2.0')
    await rm(root, { recursive: true, force: true })
  })

  it('writes versioned pip and easy_install scripts as pip does', async () => {
    const path = await buildWheel(
      { name: 'pipish', version: '1', entryPoints: { console_scripts: { pip: 'pipish:main', 'pip3.9': 'pipish:main', easy_install: 'pipish:main', other: 'pipish:main' } } },
      { outDir: wheels },
    )
    const { root, result } = await install(path)
    expect(result.consoleScripts.map((p) => p.split('/').at(-1))).toEqual(['pip', 'pip3', 'pip3.11', 'easy_install', 'easy_install-3.11', 'other'])
    await rm(root, { recursive: true, force: true })
    const again = await install(path, { ensurepipOptions: 'altinstall' })
    expect(again.result.consoleScripts.map((p) => p.split('/').at(-1))).toEqual(['pip3.11', 'easy_install-3.11', 'other'])
    await rm(again.root, { recursive: true, force: true })
  })

  it('uses the /bin/sh trampoline for long or spaced interpreter paths', async () => {
    const path = await buildWheel({ name: 'longy', version: '1', entryPoints: { console_scripts: { longy: 'longy:main' } } }, { outDir: wheels })
    const exe = '/opt/some where/bin/python'
    const { root, scheme } = await install(path, { executable: exe })
    expect(await readFile(join(scheme.scripts, 'longy'), 'utf8')).toMatch(/^#!\/bin\/sh\n'''exec' "\/opt\/some where\/bin\/python" "\$0" "\$@"\n' '''\n# -\*- coding/)
    await rm(root, { recursive: true, force: true })
  })

  it('refuses an entry point without a callable', async () => {
    const path = await buildWheel({ name: 'badep', version: '1', entryPoints: { console_scripts: { badep: 'badep' } } }, { outDir: wheels })
    await expect(install(path)).rejects.toMatchObject({ code: 'ERR_WHEEL_INVALID', message: expect.stringContaining('A callable suffix is required') })
  })

  it('compiles .py files with a worker pool and records the .pyc files', async () => {
    const path = await buildWheel(
      { name: 'compiled', version: '1', files: { 'compiled/__init__.py': 'A = 1\n', 'compiled/b.py': 'B = 2\n', 'compiled/broken.py': 'def (:\n' } },
      { outDir: wheels },
    )
    const compiler = createCompilePool({ python: PYTHON, workers: 2 })
    try {
      const { root, scheme, result } = await install(path, { compiler, executable: PYTHON })
      expect(result.compiled).toBe(2)
      const rows = result.record.map((r) => r.path)
      expect(rows).toContain('compiled/__pycache__/__init__.cpython-311.pyc')
      expect(rows).toContain('compiled/__pycache__/b.cpython-311.pyc')
      expect(rows.some((p) => p.includes('broken.cpython'))).toBe(false)
      expect(result.record.find((r) => r.path === 'compiled/__pycache__/b.cpython-311.pyc')).toEqual({ path: 'compiled/__pycache__/b.cpython-311.pyc', hash: '', size: '' })
      const pyc = await readFile(join(scheme.purelib, 'compiled/__pycache__/b.cpython-311.pyc'))
      const source = await stat(join(scheme.purelib, 'compiled/b.py'))
      expect(pyc.readUInt32LE(8)).toBe(Math.floor(source.mtimeMs / 1000))
      await rm(root, { recursive: true, force: true })
    } finally {
      await compiler.close()
    }
  })
})

describe('compile pool', () => {
  it('answers every file of many batches in order, broken sources with null, from workers started early', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pipette-compile-'))
    const { writeFile } = await import('node:fs/promises')
    const paths: string[] = []
    for (let i = 0; i < 150; i++) {
      const path = join(dir, `m${i}.py`)
      await writeFile(path, i % 37 === 5 ? 'def (:\n' : `V = ${i}\n`)
      paths.push(path)
    }
    const compiler = createCompilePool({ python: PYTHON, workers: 2, start: 2 })
    try {
      const results = await Promise.all(paths.map((path) => compiler.compile(path)))
      results.forEach((pyc, i) => expect(pyc, paths[i]).toBe(i % 37 === 5 ? null : join(dir, '__pycache__', `m${i}.cpython-311.pyc`)))
      for (const pyc of results) if (pyc !== null) expect((await stat(pyc)).size).toBeGreaterThan(16)
    } finally {
      await compiler.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('extraction workers', () => {
  it('write the same files as the main thread, and stop at the first bad member', async () => {
    const { createExtractor } = await import('../src/index.js')
    const { snapshot } = await import('./helpers/scheme.js')
    const files: Record<string, string> = {}
    for (let i = 0; i < 300; i++) files[`many/m${i}.py`] = `V = ${i}\n`.repeat(i % 7)
    const path = await buildWheel({ name: 'many', version: '1', files }, { outDir: wheels })
    const extractor = createExtractor({ workers: 2 })
    try {
      const a = await install(path, { extractor })
      const b = await install(path)
      const strip = (tree: Record<string, string>) => Object.fromEntries(Object.entries(tree).filter(([k]) => !k.endsWith('RECORD')))
      expect(strip(await snapshot(a.root))).toEqual(strip(await snapshot(b.root)))
      expect(Object.keys(await snapshot(a.scheme.purelib)).filter((k) => k.endsWith('.py'))).toHaveLength(300)
      const bad = await buildWheel({ name: 'manybad', version: '1', files: Object.fromEntries(Object.entries(files).map(([k, v]) => [k.replace('many/', 'manybad/'), v])), broken: { recordWrongHash: ['manybad/m250.py'] } }, { outDir: wheels })
      const { root, scheme } = await scratchScheme()
      const archive = await openWheel(bad)
      await expect(installWheel({ archive, scheme, executable: PYTHON, pythonVersion: [3, 11], extractor })).rejects.toMatchObject({ code: 'ERR_WHEEL_RECORD_MISMATCH' })
      await archive.close()
      expect(await snapshot(root)).toEqual({})
      await rm(root, { recursive: true, force: true })
      await rm(a.root, { recursive: true, force: true })
      await rm(b.root, { recursive: true, force: true })
    } finally {
      await extractor.close()
    }
    // ≈1000 files written and snapshotted: seconds on a busy disk (file creation here slows down
    // several-fold while other jobs delete files), so more than vitest's default 5 s.
  }, 30_000)
})

describe('large members and large wheels', () => {
  it('reads a member bigger than the in-memory inflate limit through a stream, checked against RECORD', async () => {
    const big = 'x'.repeat(5 * 1024 * 1024)
    const path = await buildWheel({ name: 'bigmember', version: '1', files: { 'bigmember/__init__.py': '', 'bigmember/data.txt': big } }, { outDir: wheels })
    const archive = await openWheel(path)
    try {
      const member = archive.members.find((m) => m.name === 'bigmember/data.txt')!
      expect((await archive.read(member)).length).toBe(big.length)
    } finally {
      await archive.close()
    }
    const { root, scheme } = await install(path)
    expect((await stat(join(scheme.purelib, 'bigmember/data.txt'))).size).toBe(big.length)
    await rm(root, { recursive: true, force: true })
  })

  it('installs a wheel read through its file descriptor (too big for memory) the same way', async () => {
    const { snapshot } = await import('./helpers/scheme.js')
    const path = await buildWheel(
      { name: 'fdread', version: '1', files: { 'fdread/__init__.py': 'A = 1\n', 'fdread/run.sh': '#!/bin/sh\n' }, data: { scripts: { 'fd-fix': '#!python\nprint(1)\n' } } },
      { outDir: wheels },
    )
    const viaFd = await scratchScheme()
    const archive = await openWheel(path, { memoryLimit: 0 })
    expect(archive.raw(archive.members[0]!)).toBeUndefined()
    await installWheel({ archive, scheme: viaFd.scheme, executable: PYTHON, pythonVersion: [3, 11], umask: 0o022 })
    await archive.close()
    const inMemory = await install(path)
    expect(await snapshot(viaFd.root)).toEqual(await snapshot(inMemory.root))
    await rm(viaFd.root, { recursive: true, force: true })
    await rm(inMemory.root, { recursive: true, force: true })
  })
})
