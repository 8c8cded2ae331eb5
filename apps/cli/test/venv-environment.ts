// A copy of packages/venv/test/environment.ts (test code cannot be shared across packages here).
/**
 * A real environment for differential tests: a venv made by `python3 -m venv`
 * into which pip itself installed the real wheels of /usr/share/python-wheels
 * and fixture wheels covering the features list/freeze/show/check/inspect and
 * uninstall deal with, plus a few hand-made distributions pip cannot install
 * (a legacy .egg-info, a PEP 660 editable, an invalid name, an invalid
 * version). Built once per content (cached under the temporary directory,
 * marked complete at the end, built by one test file at a time); tests copy it
 * before changing it.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildWheel } from '@pipette/fixtures'
import type { WheelDescription } from '@pipette/fixtures'

export const REAL_WHEELS_DIR = '/usr/share/python-wheels'

export const FIXTURE_WHEELS: readonly WheelDescription[] = [
  {
    name: 'demo-app',
    version: '1.0',
    summary: 'Démo app ✓',
    requires: ['dep-a>=1.0', 'Dep_B[extra1]>=2; python_version >= "3"', 'missing-dep', 'never-dep; python_version < "3"', 'dep-a'],
    extras: { x: ['extra-only-dep'] },
    metadata: [
      ['Author', 'Ada'],
      ['Author-email', 'ada@example.org'],
      ['License', 'MIT\n        Second line of the license'],
      ['Keywords', 'demo,app'],
      ['Classifier', 'Programming Language :: Python :: 3'],
      ['Classifier', 'License :: OSI Approved :: MIT License'],
      ['Project-URL', 'Home Page, https://example.org/demo'],
      ['Project-URL', 'Source, https://example.org/src'],
    ],
    description: 'A demo.\n\nWith a body.\n',
    files: {
      'demo_app/__init__.py': 'def main():\n    print("demo")\n',
      'demo_app/sub/mod.py': 'X = 1\n',
      'demo_app/données.txt': 'non-ASCII name\n',
      'ns/inner/__init__.py': '',
      'demo.pth': 'import os\n',
    },
    data: {
      scripts: { 'demo-script': '#!python\nprint("script")\n' },
      headers: { 'demo.h': '/* header */\n' },
      data: { 'share/demo/readme.txt': 'data\n' },
    },
    entryPoints: { console_scripts: { demo: 'demo_app:main' }, gui_scripts: { 'demo-gui': 'demo_app:main' }, 'demo.plugins': { p: 'demo_app:main' } },
  },
  { name: 'dep-a', version: '0.5', requires: ['demo-app'], files: { 'dep_a.py': '' } },
  { name: 'Dep_B', version: '2.0', buildTag: '1', files: { 'dep_b/__init__.py': '' }, extras: { extra1: [] } },
  { name: 'Weird.Name_Pkg', version: '1.0.0', files: { 'weird/__init__.py': '' } },
  {
    name: 'modern',
    version: '3.0',
    metadataVersion: '2.4',
    metadata: [
      ['License-Expression', 'MIT OR Apache-2.0'],
      ['License-File', 'LICENSE'],
    ],
    files: { 'modern.py': '' },
    distInfoFiles: { 'licenses/LICENSE': 'MIT\n' },
  },
]

export interface TestEnvironment {
  /** The venv directory. */
  readonly dir: string
  readonly python: string
  readonly sitePackages: string
}

function pythonVersion(python: string): string {
  return execFileSync(python, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' }).trim()
}

/** The shared environment (built on first use, then reused while its inputs are the same). */
export async function pipEnvironment(python = 'python3'): Promise<TestEnvironment> {
  const realWheels = readdirSync(REAL_WHEELS_DIR)
    .filter((name) => name.endsWith('.whl'))
    .sort()
  const version = pythonVersion(python)
  const key = createHash('sha256').update(JSON.stringify([FIXTURE_WHEELS, realWheels, version, python, 'v3'])).digest('hex').slice(0, 16)
  const dir = join(tmpdir(), `pipette-test-env-${key}`)
  const sitePackages = join(dir, 'lib', `python${version}`, 'site-packages')
  const result = { dir, python: join(dir, 'bin', 'python'), sitePackages }
  const complete = join(dir, '.pipette-test-complete')
  const lock = `${dir}.lock`
  for (let attempt = 0; ; attempt++) {
    if (existsSync(complete)) return result
    try {
      mkdirSync(lock)
      break
    } catch {
      // Another test file is building it: wait (a lock older than 5 minutes is stale).
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now())
      if (age > 300_000) rmSync(lock, { recursive: true, force: true })
      if (attempt > 1200) throw new Error(`timed out waiting for ${dir}`)
      await new Promise((r) => setTimeout(r, 250))
    }
  }
  try {
    if (existsSync(complete)) return result
    rmSync(dir, { recursive: true, force: true })
    // Built at its final path: console script shebangs and direct_url.json hold it.
    execFileSync(python, ['-m', 'venv', '--without-pip', dir])
    const wheelsDir = join(tmpdir(), `pipette-test-wheels-${key}`)
    mkdirSync(wheelsDir, { recursive: true })
    const wheels = [...realWheels.map((name) => join(REAL_WHEELS_DIR, name))]
    for (const description of FIXTURE_WHEELS) wheels.push(await buildWheel(description, { outDir: wheelsDir }))
    execFileSync(python, ['-m', 'pip', '--python', join(dir, 'bin', 'python'), 'install', '--no-deps', '--no-compile', '--disable-pip-version-check', '-q', ...wheels], {
      env: { ...process.env, PIP_NO_INPUT: '1' },
    })
    addHandMade(dir, sitePackages)
    writeFileSync(complete, '')
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
  return result
}

/** Copies an environment (cp -a keeps links and modes) to work on it. */
export function copyEnvironment(env: TestEnvironment, to: string): TestEnvironment {
  execFileSync('cp', ['-a', env.dir, to])
  return { dir: to, python: join(to, 'bin', 'python'), sitePackages: env.sitePackages.replace(env.dir, to) }
}

function write(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true })
  writeFileSync(path, text)
}

/** Distributions pip cannot install from wheels: written as other tools leave them. */
function addHandMade(dir: string, sitePackages: string): void {
  // A flat setuptools .egg-info (read-only support), with requires.txt sections.
  const egg = join(sitePackages, 'legacy_pkg-0.1-py3.11.egg-info')
  write(join(egg, 'PKG-INFO'), 'Metadata-Version: 1.1\nName: legacy-pkg\nVersion: 0.1\nSummary: An egg-info\nHome-page: https://example.org/legacy\nLicense: BSD\n')
  write(join(egg, 'requires.txt'), 'dep-a\n\n[fast]\ndep-b>=1\n\n[:python_version >= "3"]\nmissing-two\n')
  write(join(egg, 'top_level.txt'), 'legacy_pkg\n')
  write(join(egg, 'installed-files.txt'), '../legacy_pkg/__init__.py\nPKG-INFO\nrequires.txt\ntop_level.txt\ninstalled-files.txt\n')
  write(join(sitePackages, 'legacy_pkg', '__init__.py'), '')
  // A PEP 660 editable install of a project outside the environment.
  const project = join(dir, 'project')
  write(join(project, 'pyproject.toml'), '[project]\nname = "editable-pkg"\n')
  const editable = join(sitePackages, 'editable_pkg-0.1.dist-info')
  write(join(editable, 'METADATA'), 'Metadata-Version: 2.1\nName: editable-pkg\nVersion: 0.1\n')
  write(join(editable, 'INSTALLER'), 'pip\n')
  write(join(editable, 'RECORD'), '__editable__.editable_pkg-0.1.pth,,\neditable_pkg-0.1.dist-info/METADATA,,\neditable_pkg-0.1.dist-info/INSTALLER,,\neditable_pkg-0.1.dist-info/RECORD,,\neditable_pkg-0.1.dist-info/direct_url.json,,\n')
  write(join(editable, 'direct_url.json'), JSON.stringify({ url: `file://${project}`, dir_info: { editable: true } }))
  write(join(sitePackages, '__editable__.editable_pkg-0.1.pth'), `${project}\n`)
  // Left over by an interrupted pip: ignored with a warning.
  write(join(sitePackages, '~ip-1.0.dist-info', 'METADATA'), 'Metadata-Version: 2.1\nName: ~ip\nVersion: 1.0\n')
  // A version that is not PEP 440.
  const odd = join(sitePackages, 'oddver-weird.dist-info')
  write(join(odd, 'METADATA'), 'Metadata-Version: 2.1\nName: oddver\nVersion: weird\n')
  write(join(odd, 'RECORD'), 'oddver-weird.dist-info/METADATA,,\noddver-weird.dist-info/RECORD,,\n')
}
