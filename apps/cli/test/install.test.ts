import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildWheel } from '@pipette/fixtures'
import { beforeAll, describe, expect, it } from 'vitest'
import { cleanEnv, pipette, PYTHON, tempDir } from './venv-helpers.js'

/** The oracle interpreter's `X.Y` (venv paths such as lib/pythonX.Y/site-packages name it). */
const PY_XY = execFileSync(PYTHON, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' }).trim()

let work: string
let alpha1: string
let alpha2: string
let beta: string
let windows: string
let scripted: string
/** The oracle interpreter's own path (pip's --python wants a path). */
const ORACLE = execFileSync(PYTHON, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim()

beforeAll(async () => {
  work = tempDir('pipette-install-')
  const out = join(work, 'wheels')
  alpha1 = await buildWheel({ name: 'alpha', version: '1.0' }, { outDir: out })
  alpha2 = await buildWheel({ name: 'alpha', version: '2.0', files: { 'alpha/__init__.py': 'V = 2\n', 'alpha/two.py': '' } }, { outDir: join(out, '2') })
  beta = await buildWheel({ name: 'Beta_Pkg', version: '1.0', requires: ['alpha'], requiresPython: '>=3' }, { outDir: out })
  windows = await buildWheel({ name: 'gamma', version: '1.0', tag: 'cp39-cp39-win_amd64' }, { outDir: out })
  scripted = await buildWheel(
    { name: 'scripted', version: '1.0', entryPoints: { console_scripts: { scripted: 'scripted:main' } }, data: { data: { 'share/scripted.txt': 'x' } } },
    { outDir: out },
  )
})

function venv(name: string): string {
  const dir = join(work, name)
  rmSync(dir, { recursive: true, force: true })
  execFileSync(PYTHON, ['-m', 'venv', '--without-pip', dir])
  return dir
}

/** pip wants --python before the command name; pipette takes it anywhere. */
const pip = (args: string[]) => {
  const at = args.indexOf('--python')
  const moved = at === -1 ? args : [...args.slice(at, at + 2), ...args.slice(0, at), ...args.slice(at + 2)]
  return spawnSync(PYTHON, ['-m', 'pip', '--isolated', ...moved], { encoding: 'utf8', cwd: work, env: cleanEnv() })
}

describe('pipette install (wheel files)', () => {
  it("prints pip's lines and installs in pip's order", () => {
    const dir = venv('order')
    const r = pipette(['install', '--python', dir, '--no-deps', '--no-compile', beta, alpha1], { cwd: work })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toBe(
      'Processing ./wheels/beta_pkg-1.0-py3-none-any.whl\nProcessing ./wheels/alpha-1.0-py3-none-any.whl\nInstalling collected packages: alpha, beta-pkg\nSuccessfully installed alpha-1.0 beta-pkg-1.0\n',
    )
    expect(existsSync(join(dir, `lib/python${PY_XY}/site-packages/alpha-1.0.dist-info/REQUESTED`))).toBe(true)
    const direct = JSON.parse(readFileSync(join(dir, `lib/python${PY_XY}/site-packages/alpha-1.0.dist-info/direct_url.json`), 'utf8')) as { url: string }
    expect(direct.url).toBe(`file://${alpha1}`)
  })

  it("prints what pip prints when the same version, another version, or --force-reinstall meets an installed one", () => {
    const outputs: Record<string, string[]> = {}
    for (const tool of ['pip', 'pipette'] as const) {
      const dir = venv(`upgrade-${tool}`)
      const python = join(dir, 'bin/python')
      const run = (...args: string[]) => {
        const r = tool === 'pip' ? pip(['install', '--python', python, '--no-compile', ...args]) : pipette(['install', '--python', dir, '--no-compile', ...args], { cwd: work })
        expect(r.status).toBe(0)
        return r.stdout
      }
      outputs[tool] = [run(alpha1), run(alpha1), run(alpha2), run('--force-reinstall', alpha2), run(alpha1, beta)]
    }
    expect(outputs['pipette']).toEqual(outputs['pip'])
    expect(outputs['pip']![2]).toContain('Successfully uninstalled alpha-1.0')
  })

  it('keeps the installed version when its replacement turns out to be damaged', async () => {
    const dir = venv('damaged-upgrade')
    expect(pipette(['install', '--python', dir, '--no-compile', alpha1], { cwd: work }).status).toBe(0)
    const bad = await buildWheel({ name: 'alpha', version: '3.0', broken: { recordWrongHash: ['alpha/__init__.py'] } }, { outDir: join(work, 'wheels', 'bad') })
    const r = pipette(['install', '--python', dir, '--no-compile', bad], { cwd: work })
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('does not match RECORD')
    expect(r.stdout).not.toContain('Attempting uninstall')
    const site = join(dir, `lib/python${PY_XY}/site-packages`)
    expect(readFileSync(join(site, 'alpha-1.0.dist-info/METADATA'), 'utf8')).toContain('Version: 1.0')
    expect(existsSync(join(site, 'alpha-3.0.dist-info'))).toBe(false)
  })

  it('without --no-deps, reports dependencies the installed wheels miss as pip reports conflicts', () => {
    const dir = venv('missing-deps')
    const r = pipette(['install', '--python', dir, '--no-compile', beta], { cwd: work })
    expect(r.status).toBe(0)
    expect(r.stderr).toContain('the following dependency conflicts.\nbeta-pkg 1.0 requires alpha, which is not installed.\n')
    const quiet = pipette(['install', '--python', dir, '--no-compile', '--no-deps', '--force-reinstall', beta], { cwd: work })
    expect(quiet.stderr).toBe('')
  })

  it('is quiet with -q', () => {
    const dir = venv('quiet')
    const r = pipette(['install', '-q', '--python', dir, '--no-compile', alpha1], { cwd: work })
    expect(r.status).toBe(0)
    expect(r.stdout).toBe('')
  })

  it('refuses a wheel for another platform, installing nothing', () => {
    const dir = venv('unsupported')
    const r = pipette(['install', '--python', dir, alpha1, windows], { cwd: work })
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('ERROR: gamma-1.0-cp39-cp39-win_amd64.whl is not a supported wheel on this platform.')
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(existsSync(join(dir, `lib/python${PY_XY}/site-packages/alpha`))).toBe(false)
  })

  it('refuses a missing file and two versions of one project', () => {
    const dir = venv('missing')
    const missing = pipette(['install', '--python', dir, join(work, 'nope-1.0-py3-none-any.whl')], { cwd: work })
    expect(missing.status).toBe(1)
    expect(missing.stderr).toContain('No such file or directory')
    const conflict = pipette(['install', '--python', dir, alpha1, alpha2], { cwd: work })
    expect(conflict.status).toBe(1)
    expect(conflict.stderr).toContain('ERROR: Cannot install alpha 1.0')
    expect(conflict.stderr).toContain('because these package versions have conflicting dependencies.')
  })

  it('refuses a file that is not a wheel with a clear error', () => {
    const dir = venv('notwheel')
    const bad = join(work, 'broken-1.0-py3-none-any.whl')
    writeFileSync(bad, 'not a zip')
    const r = pipette(['install', '--python', dir, bad], { cwd: work })
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^ERROR: broken-1.0-py3-none-any.whl is not a valid wheel: /)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('--target: the same tree as pip, and pip\'s warning for existing entries without --upgrade', () => {
    const trees: Record<string, string> = {}
    for (const tool of ['pip', 'pipette'] as const) {
      const target = join(work, 'target')
      rmSync(target, { recursive: true, force: true })
      const args = ['install', '--python', ORACLE, '--no-compile', '--target', target, scripted, alpha1]
      const r = tool === 'pip' ? pip(args) : pipette(args, { cwd: work })
      expect(r.status).toBe(0)
      const again = tool === 'pip' ? pip(args) : pipette(args, { cwd: work })
      expect(again.status).toBe(0)
      expect(again.stderr).toContain(`WARNING: Target directory ${join(target, 'alpha')} already exists. Specify --upgrade to force replacement.`)
      trees[tool] = execFileSync('sh', ['-c', `cd ${target} && find . -type f -not -name RECORD -not -name INSTALLER -not -name direct_url.json | sort | xargs sha256sum && find . | sort && sed 's/,.*//' */RECORD | sort`], { encoding: 'utf8' })
      const upgraded = tool === 'pip' ? pip([...args.slice(0, -2), '--upgrade', alpha2]) : pipette([...args.slice(0, -2), '--upgrade', alpha2], { cwd: work })
      expect(upgraded.status).toBe(0)
      expect(existsSync(join(target, 'alpha/two.py'))).toBe(true)
      expect(existsSync(join(target, 'alpha-1.0.dist-info'))).toBe(true)
    }
    expect(trees['pipette']).toBe(trees['pip'])
  })

  it('--prefix: the same tree as pip', () => {
    const trees: Record<string, string> = {}
    for (const tool of ['pip', 'pipette'] as const) {
      const prefix = join(work, 'prefix')
      rmSync(prefix, { recursive: true, force: true })
      const args = ['install', '--python', ORACLE, '--no-compile', '--prefix', prefix, scripted]
      const r = tool === 'pip' ? pip(args) : pipette(args, { cwd: work })
      expect(r.status).toBe(0)
      trees[tool] = execFileSync('sh', ['-c', `cd ${prefix} && find . -type f -not -name INSTALLER -not -name RECORD | sort | xargs sha256sum && find . | sort && cat */*/*/*.dist-info/RECORD | grep -v INSTALLER`], { encoding: 'utf8' })
    }
    expect(trees['pipette']).toBe(trees['pip'])
    expect(trees['pip']).toContain('./bin/scripted')
  })
})
