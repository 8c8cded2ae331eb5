import { lstat, readdir, readFile, readlink, rm } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createArchiveStore } from '@pipette/cache'
import { buildWheel } from '@pipette/fixtures'
import type { WheelDescription } from '@pipette/fixtures'
import { createVenv, queryInterpreter } from '@pipette/venv'
import type { InterpreterInfo } from '@pipette/venv'
import { createCompilePool, createExtractor, installWheel, openWheel } from '@pipette/wheel'
import type { Scheme } from '@pipette/wheel'
import { installFromTree } from '../src/tree-install.js'
import { createThreadedUnpacker } from '../src/unpack.js'
import { createLinker } from '../src/linker.js'
import { createGeneratedFiles } from '../src/generated.js'
import type { Sandbox } from './support/helpers.js'
import { baseInterpreter, sandbox } from './support/helpers.js'

// installFromTree must leave exactly what @pipette/wheel's installWheel
// (pip's layout, checked against pip by that package) leaves: same paths,
// modes, contents and RECORD, with and without bytecode.

const WHEEL: WheelDescription = {
  name: 'Tree.Demo',
  version: '2.1',
  files: [
    { path: 'tree_demo/__init__.py', content: 'def main():\n    return 0\n' },
    { path: 'tree_demo/données.txt', content: 'é\n' },
    { path: 'tree_demo/sub/__init__.py', content: '' },
    { path: 'tree_demo/sub/mod.py', content: 'X = 1\n' },
    { path: 'tree_demo/bad.py', content: 'def broken(:\n' },
    { path: 'tree_demo.pth', content: 'import sys\n' },
    { path: 'tree_ns/plugin/__init__.py', content: '' },
    { path: 'tree_demo/tool.sh', content: '#!/bin/sh\n', mode: 0o755 },
  ],
  data: {
    scripts: { 'tree-fix': '#!python\nprint("fixed")\n', 'tree-sh': '#!/bin/sh\necho sh\n', 'tree-demo': '# a setuptools wrapper, skipped\n' },
    headers: { 'tree.h': '#define TREE 1\n' },
    data: { 'share/tree/readme.txt': 'data\n' },
    purelib: { 'tree_extra.py': 'P = 1\n' },
  },
  entryPoints: { console_scripts: { 'tree-demo': 'tree_demo:main', 'tree-other': 'tree_demo.sub:main' }, gui_scripts: { 'tree-gui': 'tree_demo:main', 'tree-other': 'tree_demo:main' } },
}

interface Entry {
  readonly path: string
  readonly mode: number
  readonly content: string | undefined
}

async function snapshot(root: string): Promise<Entry[]> {
  const out: Entry[] = []
  const walk = async (dir: string) => {
    for (const name of (await readdir(dir)).sort()) {
      const path = join(dir, name)
      const info = await lstat(path)
      const rel = relative(root, path)
      if (info.isSymbolicLink()) {
        out.push({ path: rel, mode: 0, content: `-> ${await readlink(path)}` })
      } else if (info.isDirectory()) {
        out.push({ path: `${rel}/`, mode: info.mode & 0o7777, content: undefined })
        await walk(path)
      } else {
        // .pyc files embed the source's mtime and size (bytes 8-16): compare the rest (magic, flags, code objects).
        const bytes = await readFile(path)
        const content = name.endsWith('.pyc') ? Buffer.concat([bytes.subarray(0, 8), bytes.subarray(16)]).toString('base64') : bytes.toString('base64')
        out.push({ path: rel, mode: info.mode & 0o7777, content })
      }
    }
  }
  await walk(root)
  return out
}

function schemeOf(info: InterpreterInfo): Scheme {
  const s = info.schemes.default
  return { purelib: s.purelib, platlib: s.platlib, scripts: s.scripts, data: s.data, headers: join(s.include, 'Tree.Demo') }
}

describe('installFromTree', () => {
  let box: Sandbox
  let wheelPath: string
  beforeAll(async () => {
    box = await sandbox()
    wheelPath = await buildWheel(WHEEL, { outDir: join(box.dir, 'wheels') })
  })
  afterAll(async () => {
    await box?.close()
  })

  for (const compile of [false, true]) {
    it(`leaves what installWheel leaves (${compile ? 'compiling' : 'no bytecode'})`, async () => {
      const venvDir = join(box.dir, `same-${compile}`)
      const fresh = async () => {
        await rm(venvDir, { recursive: true, force: true })
        const created = await createVenv(venvDir, { interpreter: await baseInterpreter() })
        return queryInterpreter(created.executable, { cacheDir: null })
      }
      const pythonVersion = (info: InterpreterInfo) => [info.versionInfo[0], info.versionInfo[1]] as const

      let info = await fresh()
      let compiler = compile ? createCompilePool({ python: info.executable }) : undefined
      const archive = await openWheel(wheelPath)
      const expected = await installWheel({ archive, scheme: schemeOf(info), executable: info.executable, pythonVersion: pythonVersion(info), compiler, requested: true })
      await archive.close()
      await compiler?.close()
      const before = await snapshot(venvDir)

      info = await fresh()
      const bytecode = compile ? createCompilePool({ python: info.executable }) : undefined
      const extractor = createExtractor()
      const store = createArchiveStore({ dir: join(box.dir, `archives-${compile}`), unpack: createThreadedUnpacker(extractor) })
      const { createHash } = await import('node:crypto')
      const sha = createHash('sha256').update(await readFile(wheelPath)).digest('hex')
      const unpacked = await store.ensure({ sha256: sha, wheelPath, filename: 'tree_demo-2.1-py3-none-any.whl' })
      const got = await installFromTree({
        archive: unpacked,
        scheme: schemeOf(info),
        executable: info.executable,
        pythonVersion: pythonVersion(info),
        bytecode: bytecode === undefined ? undefined : { compiler: bytecode, cacheTag: info.implementation.cacheTag!, cacheDir: join(box.dir, `bytecode-${compile}`) },
        requested: true,
        linker: createLinker(),
        // Generated files written (no bytecode), or linked from a store of their contents (compiling).
        generated: compile ? createGeneratedFiles(join(box.dir, 'generated')) : undefined,
      })
      await bytecode?.close()
      await extractor.close()
      const after = await snapshot(venvDir)

      expect(after).toEqual(before)
      expect(got.record).toEqual(expected.record)
      expect(got.consoleScripts).toEqual(expected.consoleScripts)
      expect(got.guiScripts).toEqual(expected.guiScripts)
      expect(got.compiled).toBe(expected.compiled)
      expect(got.name).toBe('Tree.Demo')

      if (compile) {
        // A second environment at the same path links the cached bytecode, which stays valid: importing does not rewrite it.
        info = await fresh()
        const again = createCompilePool({ python: info.executable })
        await installFromTree({
          archive: unpacked,
          scheme: schemeOf(info),
          executable: info.executable,
          pythonVersion: pythonVersion(info),
          bytecode: { compiler: again, cacheTag: info.implementation.cacheTag!, cacheDir: join(box.dir, 'bytecode-true') },
          requested: true,
          linker: createLinker(),
          generated: createGeneratedFiles(join(box.dir, 'generated')),
        })
        await again.close()
        expect(await snapshot(venvDir)).toEqual(before)
        // RECORD, INSTALLER, REQUESTED and the launchers are links to the store's copies (the first environment is gone), and no temporary file is left there.
        const distInfo = join(info.schemes.default.purelib, (await readdir(info.schemes.default.purelib)).find((name) => name.endsWith('.dist-info'))!)
        for (const name of ['RECORD', 'INSTALLER', 'REQUESTED']) expect([name, (await lstat(join(distInfo, name))).nlink]).toEqual([name, 2])
        // tree-demo, tree-gui and tree-other (the GUI one, last written) have one content: one inode.
        expect((await lstat(join(info.schemes.default.scripts, 'tree-demo'))).nlink).toBe(4)
        expect((await readdir(join(box.dir, 'generated'))).every((name) => /^[0-9a-f]{64}-[0-7]+$/.test(name))).toBe(true)
        const pyc = join(info.schemes.default.purelib, 'tree_demo', 'sub', '__pycache__', `mod.${info.implementation.cacheTag!}.pyc`)
        const linked = await lstat(pyc)
        expect(linked.nlink).toBeGreaterThan(1)
        const { execFileSync } = await import('node:child_process')
        execFileSync(info.executable, ['-c', 'import tree_demo.sub.mod'])
        expect((await lstat(pyc)).ino).toBe(linked.ino)
      }
    })
  }
})
