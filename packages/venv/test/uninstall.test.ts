import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { rename } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findDistribution, findInterpreter, planUninstall, queryInterpreter, scanEnvironment, uninstall } from '../src/index.js'
import { snapshotTree } from '@pipette/fixtures'
import { PYTHON, stdlibVenv, tempDir } from './helpers.js'

const cacheDir = tempDir('pipette-qcache-')
const basePython = (await findInterpreter({ python: PYTHON })).executable

const snapshot = (root: string): string[] => snapshotTree(root, { modes: false, content: (bytes) => bytes.toString('utf8') })

/** A venv with one hand-written distribution `demo` whose RECORD lists `record` (plus its dist-info files). */
async function venvWith(record: string[], files: Record<string, string> = {}, flags: string[] = []) {
  const dir = stdlibVenv(basePython, join(tempDir(), 'env'), flags)
  const info = await queryInterpreter(join(dir, 'bin', 'python'), { cacheDir })
  const site = info.schemes.default.purelib
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(site, path, '..'), { recursive: true })
    writeFileSync(join(site, path), text)
  }
  const distInfo = join(site, 'demo-1.0.dist-info')
  mkdirSync(distInfo)
  writeFileSync(join(distInfo, 'METADATA'), 'Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n')
  writeFileSync(join(distInfo, 'RECORD'), [...record, 'demo-1.0.dist-info/METADATA,,', 'demo-1.0.dist-info/RECORD,,', ''].join('\n'))
  const scan = await scanEnvironment(info)
  return { dir, info, site, dist: findDistribution(scan, 'DEMO')! }
}

describe('planUninstall and uninstall', () => {
  it('removes RECORD files, their __pycache__, emptied directories, and tolerates missing files', async () => {
    const tag = (await queryInterpreter(basePython, { cacheDir })).implementation.cacheTag
    const { site, dist, info } = await venvWith(['demo/__init__.py,,', 'demo/gone.py,,', 'demo/sub/mod.py,,'], {
      'demo/__init__.py': '',
      'demo/sub/mod.py': '',
      [`demo/__pycache__/__init__.${tag}.pyc`]: 'pyc',
      [`demo/sub/__pycache__/mod.${tag}.opt-1.pyc`]: 'pyc',
      'keep.py': '',
    })
    const plan = await planUninstall(dist, info)
    expect(plan.paths).toEqual([
      join(site, 'demo-1.0.dist-info', 'METADATA'),
      join(site, 'demo-1.0.dist-info', 'RECORD'),
      join(site, 'demo', '__init__.py'),
      join(site, 'demo', '__pycache__', `__init__.${tag}.pyc`),
      join(site, 'demo', 'sub', 'mod.py'),
    ])
    await uninstall(plan)
    // As pip: only the default-optimisation .pyc is known, so an opt-1 one keeps its directory.
    expect(readdirSync(site).sort()).toEqual(['demo', 'keep.py'])
    expect(snapshot(join(site, 'demo'))).toEqual(['sub/', 'sub/__pycache__/', `sub/__pycache__/mod.${tag}.opt-1.pyc pyc`])
  })

  it('refuses paths outside the environment, and never touches them', async () => {
    const outside = join(tempDir(), 'outside.txt')
    writeFileSync(outside, 'precious')
    const { dist, info, site } = await venvWith(['demo.py,,', `${outside},,`, '../../../../escape.txt,,'], { 'demo.py': '' })
    writeFileSync(join(site, '../../../../escape.txt'), 'also precious')
    const plan = await planUninstall(dist, info)
    expect(plan.refused).toEqual([join(site, '../../../../escape.txt'), outside].map((p) => resolve(p)).sort())
    await uninstall(plan)
    expect(readFileSync(outside, 'utf8')).toBe('precious')
    expect(readFileSync(join(site, '../../../../escape.txt'), 'utf8')).toBe('also precious')
    expect(existsSync(join(site, 'demo.py'))).toBe(false)
  })

  it('puts everything back when a move fails', async () => {
    const { dist, info, dir } = await venvWith(['demo/__init__.py,,', 'demo/data.txt,,', 'top.py,,'], { 'demo/__init__.py': '', 'demo/data.txt': 'x', 'top.py': '', 'other.py': '' })
    const before = snapshot(dir)
    const plan = await planUninstall(dist, info)
    let calls = 0
    const failing = async (from: string, to: string) => {
      if (++calls === 3) throw Object.assign(new Error('EIO: simulated failure'), { code: 'EIO' })
      await rename(from, to)
    }
    await expect(uninstall(plan, { rename: failing })).rejects.toMatchObject({ code: 'ERR_UNINSTALL_FAILED', message: expect.stringContaining('nothing was removed') })
    expect(snapshot(dir)).toEqual(before)
  })

  it("explains a missing RECORD as pip does", async () => {
    const { dist, info, site } = await venvWith([])
    rmSync(join(site, 'demo-1.0.dist-info', 'RECORD'))
    await expect(planUninstall(dist, info)).rejects.toMatchObject({
      code: 'ERR_UNINSTALL_NO_RECORD',
      message: "Cannot uninstall demo 1.0, RECORD file not found. You might be able to recover from this via: 'pip install --force-reinstall --no-deps demo==1.0'.",
    })
  })

  it('leaves distributions outside the environment alone', async () => {
    const { info } = await venvWith([], {}, ['--system-site-packages'])
    const scan = await scanEnvironment(info)
    const pip = findDistribution(scan, 'pip')!
    expect(pip.local).toBe(false)
    const plan = await planUninstall(pip, info)
    expect(plan.paths).toEqual([])
    expect(plan.skipped).toMatch(/^Not uninstalling pip at \/.*site-packages, outside environment \/.*env$/)
  })
})
