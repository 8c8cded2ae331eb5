/**
 * `install-local` and `install-local-compile`: install the same wheel files
 * into a fresh virtual environment with pipette and with pip, against the
 * physical floor (`unzip` of the same wheels) and pipette's own floors.
 *
 * The wheels are Debian's real pip, setuptools and wheel wheels
 * (/usr/share/python-wheels) plus fixture wheels built here with
 * @pipette/fixtures (a package with `.data` scripts, headers and data,
 * console and GUI scripts, a `.pth` file, a namespace directory and non-ASCII
 * file names; a platform wheel with a build tag).
 *
 * Fairness:
 *   - every round of every side gets a new environment made the same way,
 *     `<python> -m venv --without-pip` with the real interpreter (not a pyenv
 *     shim, which costs pip ~60 ms per start), outside the timed part;
 *   - pip runs as `<python> -m pip --isolated --python VENV/bin/python`, the
 *     way the differential test runs it; pipette with `--isolated` too, both
 *     without PIP_* variables and with `PIP_CONFIG_FILE=/dev/null` (no
 *     pip.conf at all: this machine's global one adds a constraints file,
 *     which makes pip and pipette resolve the wheel files, and pipette then
 *     links them from its archive cache instead of extracting them);
 *   - `unzip -qo WHEEL -d DIR` for each wheel, in one `sh`, writes every file
 *     of every wheel (no RECORD, no scripts, no hash checks): a floor;
 *   - nothing is deleted while the rounds run (every round writes into a new
 *     directory; the run's directory is removed at the end). On a file system
 *     like this machine's (ext4 without a journal) freshly freed inodes are
 *     skipped, slowly, when new files are created, so deleting the previous
 *     round's 850 files just before a side's round made file creation several
 *     times slower and the run much noisier, for every side.
 * pipette's interpreter query is cached by the warm-up (its first venv is
 * queried for real; later venvs of the same interpreter and layout are
 * answered from that, see @pipette/venv's venv-template.ts).
 *
 * Floors shown in the same run (no targets): `node -e 0` (starting Node),
 * `pipette install --help` (starting the CLI: Node, the bundle, oclif, flag
 * parsing, no work), and `installWheelFiles()` called in this process (the
 * library's work without any start-up, its code warm after the first round).
 * For compilation: `unzip` then `python -m compileall -j 0` over the same
 * files (CPython's compiler on every CPU).
 */
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { buildWheel } from '@pipette/fixtures'
import type { WheelDescription } from '@pipette/fixtures'
import type { Benchmark, BenchmarkContext, Side } from '../runner.js'
import { timeCommand } from '../runner.js'
import { pipetteBin, python } from '../paths.js'
import { benchEnv } from './install-index.js'

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
  /** The real interpreter (a pyenv shim resolved). */
  readonly python: string
  readonly cacheDir: string
}

let serial = 0

async function prepare(context: BenchmarkContext): Promise<Setup> {
  const out = join(context.workDir, 'wheels')
  const fixtures = await Promise.all(FIXTURES.map((d) => buildWheel(d, { outDir: out })))
  const real = readdirSync(REAL_WHEELS)
    .filter((n) => n.endsWith('.whl'))
    .sort()
    .map((n) => join(REAL_WHEELS, n))
  const wheels = [...real, ...fixtures]
  const { findInterpreter, queryInterpreter } = await import('@pipette/venv')
  const base = await queryInterpreter((await findInterpreter({ python })).executable, { cacheDir: null })
  const cacheDir = join(context.workDir, 'cache')
  context.log(`install-local: ${wheels.length} wheels (${real.length} from ${REAL_WHEELS}), python ${base.executable} (${base.version})`)
  // No configuration for either side (see benchEnv): this machine's global pip.conf adds a constraints
  // file, which turns wheel files into a resolution (pip's behaviour, and pipette's).
  const env: NodeJS.ProcessEnv = { ...benchEnv(), PIPETTE_CACHE_DIR: cacheDir }
  return { wheels, env, workDir: context.workDir, python: base.executable, cacheDir }
}

/** A new directory for one round (never deleted during the run). */
function freshDir(setup: Setup, name: string): string {
  return join(setup.workDir, 'rounds', `${name}-${serial++}`)
}

/** A fresh environment for one round (not timed). */
function freshVenv(setup: Setup, name: string): string {
  const dir = freshDir(setup, name)
  const r = spawnSync(setup.python, ['-m', 'venv', '--without-pip', dir], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`python -m venv failed: ${r.stderr}`)
  return dir
}

function pipetteSide(setup: Setup, name: string, compile: boolean): Side {
  const args = (venv: string) => [pipetteBin, '--isolated', 'install', '-q', '--python', venv, '--no-deps', ...(compile ? [] : ['--no-compile']), ...setup.wheels]
  return {
    name,
    // Caches the interpreter query, as any earlier command against an environment of this interpreter would.
    warmup: async () => {
      await timeCommand(process.execPath, args(freshVenv(setup, 'pipette-warmup')), { env: setup.env })
    },
    round: async () => timeCommand(process.execPath, args(freshVenv(setup, 'pipette')), { env: setup.env }),
  }
}

function pipSide(setup: Setup, name: string, compile: boolean): Side {
  return {
    name,
    round: async () => {
      const venv = freshVenv(setup, 'pip')
      const args = ['-m', 'pip', '--isolated', '-q', '--python', join(venv, 'bin', 'python'), 'install', '--no-deps', ...(compile ? [] : ['--no-compile']), ...setup.wheels]
      return timeCommand(setup.python, args, { env: setup.env })
    },
  }
}

const UNZIP_ALL = 'd="$1"; shift; for w in "$@"; do unzip -qo "$w" -d "$d" || exit 1; done'

function unzipSide(setup: Setup): Side {
  return {
    name: 'unzip',
    round: async () => {
      const site = freshDir(setup, 'unzip')
      await mkdir(site, { recursive: true })
      return timeCommand('sh', ['-c', UNZIP_ALL, 'sh', site, ...setup.wheels])
    },
  }
}

function unzipCompileSide(setup: Setup): Side {
  return {
    name: 'unzip + compileall -j 0',
    round: async () => {
      const site = freshDir(setup, 'unzip-compile')
      await mkdir(site, { recursive: true })
      return timeCommand('sh', ['-c', `${UNZIP_ALL} && "$PY" -m compileall -q -j 0 "$d" >/dev/null`, 'sh', site, ...setup.wheels], { env: { ...setup.env, PY: setup.python } })
    },
  }
}

/** Floors of any pipette command: starting Node, and starting the CLI without doing any work. */
function startupSides(setup: Setup): Side[] {
  return [
    { name: 'node -e 0', round: () => timeCommand(process.execPath, ['-e', '0']) },
    { name: 'pipette install --help', round: () => timeCommand(process.execPath, [pipetteBin, 'install', '--help'], { env: setup.env }) },
  ]
}

/** The library's work alone: query (answered from the cache) and installWheelFiles() in this process. */
function inProcessSide(setup: Setup, compile: boolean): Side {
  return {
    name: compile ? 'installWheelFiles() in-process (compiling)' : 'installWheelFiles() in-process',
    round: async () => {
      const venv = freshVenv(setup, 'in-process')
      const { findInterpreter, queryInterpreter } = await import('@pipette/venv')
      const { installWheelFiles, siteEnvironment } = await import('@pipette/wheel')
      const start = process.hrtime.bigint()
      const info = await queryInterpreter((await findInterpreter({ python: venv })).executable, { cacheDir: setup.cacheDir })
      await installWheelFiles({ interpreter: info, wheels: setup.wheels, noDeps: true, compile, environment: siteEnvironment(info) })
      return { ms: Number(process.hrtime.bigint() - start) / 1e6 }
    },
  }
}

export const installLocal: Benchmark = {
  name: 'install-local',
  description: 'install real + fixture wheels into a fresh venv: pipette vs pip (both --no-compile) vs unzip (floor), with start-up floors',
  subject: 'pipette --no-compile',
  setup: async (context) => {
    const setup = await prepare(context)
    return [pipetteSide(setup, 'pipette --no-compile', false), pipSide(setup, 'pip --no-compile', false), unzipSide(setup), inProcessSide(setup, false), ...startupSides(setup)]
  },
  // pip at least 5x slower; unzip at most 1.5x faster (ratio unzip/pipette >= 1/1.5).
  targets: { 'pip --no-compile': 5, unzip: 1 / 1.5 },
}

export const installLocalCompile: Benchmark = {
  name: 'install-local-compile',
  description: 'install real + fixture wheels into a fresh venv, compiling bytecode: pipette vs pip vs unzip + compileall -j 0 (floor)',
  subject: 'pipette (compiling)',
  setup: async (context) => {
    const setup = await prepare(context)
    return [pipetteSide(setup, 'pipette (compiling)', true), pipSide(setup, 'pip (compiling)', true), unzipCompileSide(setup), inProcessSide(setup, true)]
  },
  targets: { 'pip (compiling)': 5, 'unzip + compileall -j 0': 1 / 1.5 },
}
