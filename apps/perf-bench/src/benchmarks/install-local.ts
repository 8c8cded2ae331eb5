/**
 * `install-local` and `install-local-compile`: install the same wheel files
 * into a fresh virtual environment with pipette and with pip, and (without
 * compilation) unzip them with `unzip` as the physical floor.
 *
 * The wheels are Debian's real pip, setuptools and wheel wheels
 * (/usr/share/python-wheels) plus fixture wheels built here with
 * @pipette/fixtures (a package with `.data` scripts, headers and data,
 * console and GUI scripts, a `.pth` file, a namespace directory and non-ASCII
 * file names; a platform wheel with a build tag). Every round of every side
 * gets a fresh `python -m venv --without-pip` environment (created outside
 * the timed part) and times one whole command:
 *   - `pipette install --python VENV --no-deps [--no-compile] WHEELS`
 *   - `python -m pip --isolated --python VENV/bin/python install --no-deps [--no-compile] WHEELS`
 *   - `unzip -qo WHEEL -d SITE` for each wheel, in one `sh`.
 * pipette's interpreter query is cached on disk by a warm-up run, as it is
 * for any second command run against an environment.
 */
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { buildWheel } from '@pipette/fixtures'
import type { WheelDescription } from '@pipette/fixtures'
import type { Benchmark, BenchmarkContext, Side } from '../runner.js'
import { timeCommand } from '../runner.js'
import { pipetteBin, python } from '../paths.js'

const REAL_WHEELS = '/usr/share/python-wheels'

const FIXTURES: readonly WheelDescription[] = [
  {
    name: 'bench-demo',
    version: '1.0',
    files: {
      'bench_demo/__init__.py': 'def main():\n    return 0\n',
      'bench_demo/données.txt': 'é\n',
      'bench_demo/sub/__init__.py': '',
      'bench_demo/sub/mod.py': 'X = 1\n'.repeat(100),
      'bench_demo.pth': 'import sys\n',
      'bench_ns/plugin/__init__.py': '',
    },
    data: {
      scripts: { 'bench-fix': '#!python\nprint("fixed")\n' },
      headers: { 'bench.h': '#define BENCH 1\n' },
      data: { 'share/bench/readme.txt': 'data\n' },
      purelib: { 'bench_extra.py': 'P = 1\n' },
    },
    entryPoints: { console_scripts: { 'bench-demo': 'bench_demo:main' }, gui_scripts: { 'bench-gui': 'bench_demo:main' } },
  },
  {
    name: 'bench-plat',
    version: '2.0',
    buildTag: '1',
    tag: 'cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64',
    rootIsPurelib: false,
    files: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`bench_plat/m${i}.py`, `VALUE = ${i}\n`.repeat(i + 1)])),
  },
]

interface Setup {
  readonly wheels: readonly string[]
  readonly env: NodeJS.ProcessEnv
  readonly workDir: string
}

async function prepare(context: BenchmarkContext): Promise<Setup> {
  const out = join(context.workDir, 'wheels')
  const fixtures = await Promise.all(FIXTURES.map((d) => buildWheel(d, { outDir: out })))
  const real = readdirSync(REAL_WHEELS)
    .filter((n) => n.endsWith('.whl'))
    .sort()
    .map((n) => join(REAL_WHEELS, n))
  const wheels = [...real, ...fixtures]
  context.log(`install-local: ${wheels.length} wheels (${real.length} from ${REAL_WHEELS}), python ${python}`)
  const env: NodeJS.ProcessEnv = { ...process.env, PIPETTE_CACHE_DIR: join(context.workDir, 'cache'), PIP_DISABLE_PIP_VERSION_CHECK: '1' }
  delete env['VIRTUAL_ENV']
  return { wheels, env, workDir: context.workDir }
}

/** A fresh environment for one round (not timed). */
async function freshVenv(setup: Setup, name: string): Promise<string> {
  const dir = join(setup.workDir, name)
  await rm(dir, { recursive: true, force: true })
  const r = spawnSync(python, ['-m', 'venv', '--without-pip', dir], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`python -m venv failed: ${r.stderr}`)
  return dir
}

function pipetteSide(setup: Setup, name: string, compile: boolean): Side {
  const args = (venv: string) => [pipetteBin, 'install', '-q', '--python', venv, '--no-deps', ...(compile ? [] : ['--no-compile']), ...setup.wheels]
  return {
    name,
    // Caches the interpreter query, as any earlier command against the environment would.
    warmup: async () => {
      await timeCommand(process.execPath, args(await freshVenv(setup, 'venv-warmup')), { env: setup.env })
    },
    round: async () => timeCommand(process.execPath, args(await freshVenv(setup, 'venv-pipette')), { env: setup.env }),
  }
}

function pipSide(setup: Setup, name: string, compile: boolean): Side {
  return {
    name,
    round: async () => {
      const venv = await freshVenv(setup, 'venv-pip')
      const args = ['-m', 'pip', '--isolated', '-q', '--python', join(venv, 'bin', 'python'), 'install', '--no-deps', ...(compile ? [] : ['--no-compile']), ...setup.wheels]
      return timeCommand(python, args, { env: setup.env })
    },
  }
}

function unzipSide(setup: Setup): Side {
  return {
    name: 'unzip',
    round: async () => {
      const site = join(setup.workDir, 'unzip-site')
      await rm(site, { recursive: true, force: true })
      await mkdir(site, { recursive: true })
      return timeCommand('sh', ['-c', 'd="$1"; shift; for w in "$@"; do unzip -qo "$w" -d "$d" || exit 1; done', 'sh', site, ...setup.wheels])
    },
  }
}

export const installLocal: Benchmark = {
  name: 'install-local',
  description: 'install real + fixture wheels into a fresh venv: pipette vs pip (both --no-compile) vs unzip (floor)',
  subject: 'pipette --no-compile',
  setup: async (context) => {
    const setup = await prepare(context)
    return [pipetteSide(setup, 'pipette --no-compile', false), pipSide(setup, 'pip --no-compile', false), unzipSide(setup)]
  },
  // pip at least 5x slower; unzip at most 1.5x faster (ratio unzip/pipette >= 1/1.5).
  targets: { 'pip --no-compile': 5, unzip: 1 / 1.5 },
}

export const installLocalCompile: Benchmark = {
  name: 'install-local-compile',
  description: 'install real + fixture wheels into a fresh venv, compiling bytecode: pipette vs pip',
  subject: 'pipette (compiling)',
  setup: async (context) => {
    const setup = await prepare(context)
    return [pipetteSide(setup, 'pipette (compiling)', true), pipSide(setup, 'pip (compiling)', true)]
  },
}
