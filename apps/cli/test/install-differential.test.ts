/**
 * The install differential test: pip and pipette install the same wheels
 * (Debian's real pip, setuptools and wheel wheels, and fixture wheels with
 * every feature an installer must get right) into a fresh virtual
 * environment at the same path, one after the other, and the two trees must
 * be the same: the same files and directories with the same permission bits
 * and contents, the same RECORD rows (INSTALLER, which names the installer,
 * aside), launchers that run the same. With bytecode compilation the `.pyc`
 * files must have the same header (magic, flags, valid for their source) and
 * the same code objects (see fixtures/tree-digest.py for why not the same
 * bytes).
 *
 * Using the same path for both sides makes shebangs, launchers,
 * direct_url.json and the paths compiled into `.pyc` files comparable byte
 * for byte. `PYTHONHASHSEED=0` keeps set constants in code objects in one
 * order.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildWheel, REAL_WHEELS_DIR } from '@pipette/fixtures'
import type { WheelDescription } from '@pipette/fixtures'
import { beforeAll, describe, expect, it } from 'vitest'
import { cleanEnv, pipette, PYTHON, tempDir } from './venv-helpers.js'

/** The oracle interpreter's `X.Y` (venv paths such as lib/pythonX.Y/site-packages name it). */
const PY_XY = execFileSync(PYTHON, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' }).trim()

const treeDigest = fileURLToPath(new URL('./fixtures/tree-digest.py', import.meta.url))

const demoMain = `import os, sys

def main():
    print("demo", os.path.basename(sys.argv[0]), sys.argv[1:])
    return 3

def gui():
    print("gui", os.path.basename(sys.argv[0]))
`

/** Fixture wheels: every feature the installer must reproduce. */
export const FEATURE_WHEELS: readonly WheelDescription[] = [
  {
    name: 'Demo.Pkg',
    version: '1.0',
    files: [
      { path: 'demo_pkg/__init__.py', content: demoMain },
      { path: 'demo_pkg/cli.py', content: 'class App:\n    @staticmethod\n    def run():\n        print("app.run")\n\napp = App()\n' },
      { path: 'demo_pkg/données.txt', content: 'é\n' },
      { path: 'demo_pkg/naïve.py', content: 'VALUE = "naïve"\nNAMES = {"a", "b", "c"}\n' },
      { path: 'demo_pkg/tool.sh', content: '#!/bin/sh\necho tool\n', mode: 0o755 },
      { path: 'demo_pkg/readonly.txt', content: 'r\n', mode: 0o444 },
      { path: 'demo_pkg/syntax_error.py', content: 'def broken(:\n' },
      { path: 'demo_pkg/sub/__init__.py', content: '' },
      { path: 'demo_pkg/sub/deep/mod.py', content: 'X = 1\n' },
      { path: 'demo.pth', content: 'import sys; sys.demo_pth_loaded = True\n' },
      { path: 'demo_ns/plugin/__init__.py', content: 'NAME = "plugin"\n' },
      { path: '日本語/__init__.py', content: 'X = "日本"\n' },
    ],
    data: {
      scripts: {
        'demo-fix': '#!python\nprint("fixed shebang")\n',
        'demo-fix-args': '#!python -u\nprint("fixed with args")\n',
        'demo-sh': '#!/bin/sh\necho "shell script"\n',
        'demo-noshebang.py': 'print("no shebang")\n',
        'demo-console': '#!python\n# a setuptools wrapper for the entry point: pip skips it\n',
        'demo-console.exe': 'MZ',
        'demo-gui-script.py': '# setuptools gui wrapper\n',
      },
      headers: { 'demo.h': '#define DEMO 1\n', 'sub/inner.h': '#define INNER 1\n' },
      data: { 'share/demo/readme.txt': 'data file\n', 'share/demo/tool.py': 'print("data python")\n', 'etc/demo.conf': 'x = 1\n' },
      purelib: { 'demo_pure_extra.py': 'P = 1\n' },
      platlib: { 'demo_plat_extra.py': 'Q = 1\n' },
    },
    entryPoints: {
      console_scripts: { 'demo-console': 'demo_pkg:main', 'demo-app': 'demo_pkg.cli:app.run', 'démo-unicode': 'demo_pkg:main' },
      gui_scripts: { 'demo-gui': 'demo_pkg:gui' },
      'demo.plugins': { one: 'demo_pkg:main' },
    },
    distInfoFiles: { 'LICENSE.txt': 'MIT\n', 'top_level.txt': 'demo_pkg\n' },
  },
  {
    name: 'platty',
    version: '2.0',
    tag: `cp${PY_XY.replace('.', '')}-cp${PY_XY.replace('.', '')}-manylinux_2_17_x86_64.manylinux2014_x86_64`,
    rootIsPurelib: false,
    files: [
      { path: 'platty/__init__.py', content: 'from platty import _native\n' },
      { path: 'platty/_native.py', content: 'NATIVE = True\n' },
      { path: 'platty/_speedups.cpython-311-x86_64-linux-gnu.so', content: new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]), mode: 0o755 },
    ],
    data: { purelib: { 'platty_pure.py': 'PURE = 1\n' } },
  },
  { name: 'built', version: '3.0.post1', buildTag: '7abc', tag: 'py2.py3-none-any', entryPoints: { console_scripts: { built: 'built:main' } }, files: { 'built/__init__.py': 'def main():\n    print("built")\n' } },
  { name: 'abi3pkg', version: '0.1', tag: 'cp38-abi3-manylinux_2_17_x86_64', rootIsPurelib: false, files: { 'abi3pkg/__init__.py': '' } },
]

interface Entry {
  readonly kind: string
  readonly mode?: string
  readonly sha256?: string
  readonly [key: string]: unknown
}

function digest(python: string, dir: string): Record<string, Entry> {
  return JSON.parse(execFileSync(python, [treeDigest, dir], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })) as Record<string, Entry>
}

/** RECORD rows of every .dist-info, INSTALLER rows left out. */
function recordRows(dir: string): Record<string, string[]> {
  const site = join(dir, `lib/python${PY_XY}/site-packages`)
  const out: Record<string, string[]> = {}
  for (const name of readdirSync(site).filter((n) => n.endsWith('.dist-info')).sort()) {
    const lines = readFileSync(join(site, name, 'RECORD'), 'utf8').split('\r\n')
    out[name] = lines.filter((l) => l !== '' && !l.startsWith(`${name}/INSTALLER,`))
  }
  return out
}

/** What running each launcher prints (console scripts, gui scripts, rewritten scripts). */
function runScripts(dir: string, scripts: readonly (readonly [string, ...string[]])[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, ...args] of scripts) {
    const r = spawnSync(join(dir, 'bin', name), args, { encoding: 'utf8', env: cleanEnv({ PYTHONHASHSEED: '0' }) })
    out[name] = `${r.status} ${r.stdout}${r.stderr}`.replaceAll(dir, '<venv>')
  }
  return out
}

const SCRIPTS = [
  ['demo-console', 'x', 'y'],
  ['demo-app'],
  ['démo-unicode'],
  ['demo-gui'],
  ['demo-fix'],
  ['demo-fix-args'],
  ['demo-sh'],
  ['built'],
  ['pip', '--version'],
  ['pip3', '--version'],
  [`pip${PY_XY}`, '--version'],
  ['wheel', 'version'],
] as const

interface Side {
  readonly tree: Record<string, Entry>
  readonly records: Record<string, string[]>
  readonly runs: Record<string, string>
  readonly stdout: string
  /** `list --format json` and `freeze` as the side's own tool prints them, and as pip prints them for this tree. */
  readonly reports: Record<string, string>
  /** The tree after uninstalling every name again (with the side's own tool). */
  readonly afterUninstall: Record<string, Entry>
}

const NAMES = ['pip', 'setuptools', 'wheel', 'demo-pkg', 'platty', 'built', 'abi3pkg']

describe('pipette install vs pip install', { timeout: 240_000 }, () => {
  let wheels: string[]
  let work: string

  beforeAll(async () => {
    work = tempDir('pipette-install-diff-')
    const out = join(work, 'wheels')
    const fixtures = await Promise.all(FEATURE_WHEELS.map((d) => buildWheel(d, { outDir: out })))
    const real = readdirSync(REAL_WHEELS_DIR)
      .filter((n) => n.endsWith('.whl'))
      .sort()
      .map((n) => join(REAL_WHEELS_DIR, n))
    expect(real.length).toBeGreaterThanOrEqual(3)
    wheels = [...real, ...fixtures]
  })

  function side(tool: 'pip' | 'pipette', compile: boolean): Side {
    const venv = join(work, 'venv')
    rmSync(venv, { recursive: true, force: true })
    execFileSync(PYTHON, ['-m', 'venv', '--without-pip', venv])
    const env = cleanEnv({ PYTHONHASHSEED: '0' })
    const flags = ['--no-deps', ...(compile ? [] : ['--no-compile'])]
    let stdout: string
    if (tool === 'pip') {
      const r = spawnSync(PYTHON, ['-m', 'pip', '--isolated', '--python', join(venv, 'bin/python'), 'install', ...flags, ...wheels], { encoding: 'utf8', env, cwd: work })
      expect(r.stderr).toBe('')
      expect(r.status).toBe(0)
      stdout = r.stdout
    } else {
      const r = pipette(['install', '--python', venv, ...flags, ...wheels], { env, cwd: work })
      expect(r.stderr).toBe('')
      expect(r.status).toBe(0)
      stdout = r.stdout
    }
    const python = join(venv, 'bin/python')
    const tree = digest(python, venv)
    const records = recordRows(venv)
    const runs = runScripts(venv, SCRIPTS)
    const pipOn = (...args: string[]) => spawnSync(PYTHON, ['-m', 'pip', '--isolated', '--python', python, ...args], { encoding: 'utf8', env, cwd: work })
    const own = (...args: string[]) => (tool === 'pip' ? pipOn(...args) : pipette([...args, '--python', venv], { env, cwd: work }))
    const reports: Record<string, string> = {}
    for (const args of [['list', '--format', 'json'], ['freeze']]) {
      const mine = own(...args)
      const byPip = pipOn(...args)
      expect(mine.status).toBe(0)
      expect(byPip.status).toBe(0)
      reports[`own ${args.join(' ')}`] = mine.stdout
      reports[`pip ${args.join(' ')}`] = byPip.stdout
    }
    const removed = own('uninstall', '-y', ...NAMES)
    expect(removed.stderr).toBe('')
    expect(removed.status).toBe(0)
    return { tree, records, runs, stdout, reports, afterUninstall: digest(python, venv) }
  }

  function compare(pip: Side, ours: Side): string[] {
    const differences: string[] = []
    for (const path of [...new Set([...Object.keys(pip.tree), ...Object.keys(ours.tree)])].sort()) {
      const a = pip.tree[path]
      const b = ours.tree[path]
      if (path.endsWith('.dist-info/INSTALLER')) {
        if (a?.mode !== b?.mode) differences.push(`${path}: mode ${a?.mode} vs ${b?.mode}`)
        continue
      }
      if (path.endsWith('.dist-info/RECORD')) {
        if (a?.mode !== b?.mode) differences.push(`${path}: mode ${a?.mode} vs ${b?.mode}`)
        continue
      }
      if (JSON.stringify(a) !== JSON.stringify(b)) differences.push(`${path}: pip ${JSON.stringify(a)} pipette ${JSON.stringify(b)}`)
    }
    for (const name of [...new Set([...Object.keys(pip.records), ...Object.keys(ours.records)])]) {
      const a = pip.records[name] ?? []
      const b = ours.records[name] ?? []
      for (const row of a.filter((r) => !b.includes(r))) differences.push(`${name}/RECORD: only pip has ${row}`)
      for (const row of b.filter((r) => !a.includes(r))) differences.push(`${name}/RECORD: only pipette has ${row}`)
    }
    for (const name of Object.keys(pip.runs)) {
      if (pip.runs[name] !== ours.runs[name]) differences.push(`bin/${name} runs differently: pip ${JSON.stringify(pip.runs[name])} pipette ${JSON.stringify(ours.runs[name])}`)
    }
    if (pip.stdout !== ours.stdout) differences.push(`output differs:\npip:\n${pip.stdout}\npipette:\n${ours.stdout}`)
    for (const key of Object.keys(pip.reports)) {
      if (pip.reports[key] !== ours.reports[key]) differences.push(`${key} differs:\npip tree:\n${pip.reports[key]}\npipette tree:\n${ours.reports[key]}`)
    }
    for (const path of [...new Set([...Object.keys(pip.afterUninstall), ...Object.keys(ours.afterUninstall)])].sort()) {
      const a = pip.afterUninstall[path]
      const b = ours.afterUninstall[path]
      if (JSON.stringify(a) !== JSON.stringify(b)) differences.push(`after uninstall, ${path}: pip ${JSON.stringify(a)} pipette ${JSON.stringify(b)}`)
    }
    return differences
  }

  it.each([
    ['--no-deps --no-compile', false],
    ['--no-deps (compiling)', true],
  ] as const)('%s: the trees are the same', (_label, compile) => {
    const pip = side('pip', compile)
    const ours = side('pipette', compile)
    // The comparison is meaningful: every feature is there.
    expect(Object.keys(pip.tree)).toContain(`lib/python${PY_XY}/site-packages/demo_pkg/données.txt`)
    expect(Object.keys(pip.tree)).toContain(`include/site/python${PY_XY}/demo-pkg/demo.h`)
    expect(Object.keys(pip.tree)).toContain('share/demo/readme.txt')
    expect(pip.runs['demo-console']).toBe("3 demo demo-console ['x', 'y']\n")
    expect(pip.runs['demo-fix']).toBe('0 fixed shebang\n')
    if (compile) expect(Object.keys(pip.tree).filter((p) => p.endsWith('.pyc')).length).toBeGreaterThan(700)
    expect(JSON.parse(pip.reports['own list --format json']!)).toHaveLength(NAMES.length)
    expect(pip.reports['own freeze']).toContain('Demo.Pkg @ file://')
    expect(Object.entries(pip.afterUninstall).filter(([p, e]) => p.includes('site-packages/') && e.kind === 'file')).toEqual([])
    expect(compare(pip, ours)).toEqual([])
    rmSync(join(work, 'venv'), { recursive: true, force: true })
    expect(existsSync(join(work, 'venv'))).toBe(false)
  })
})
