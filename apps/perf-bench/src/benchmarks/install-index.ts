/**
 * `install-cold`, `install-warm` (and their `-compile` twins) and `resolve`:
 * pipette and pip against the same local nginx index (@pipette/fixtures'
 * startIndexServer), each round a fresh virtual environment (made outside
 * the timed part with `python -m venv --without-pip`), each side timed as a
 * whole command with its peak RSS (GNU time).
 *
 * - install-cold: the universe of ../universe.ts (an application pulling in
 *   48 distributions, about 3,400 files) with an empty cache each round
 *   (pipette: PIPETTE_CACHE_DIR, pip: --cache-dir, a new directory each
 *   round; nothing is deleted while the rounds run, see freshPath).
 *   Floor: `unzip` of the chosen wheels into an empty directory (compiling:
 *   then `python -m compileall -q` of it, one process).
 * - install-warm: the same with the caches filled by a warm-up run (pip's
 *   HTTP and wheel caches, pipette's HTTP cache, unpacked wheels and
 *   bytecode). Floor: `cp -al` of the unpacked files into an empty directory
 *   (compiling: of the unpacked and compiled files).
 * - resolve: pip-resolver-benchmarks' pyrax_198 (../shared/corpus), 3,516
 *   metadata-only wheels on the index, `install --dry-run --ignore-installed
 *   pyrax==1.9.8`, both with warm caches (the benchmark's own setup runs pip
 *   this way).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { IndexServer } from '@pipette/fixtures'
import { buildWheel, startIndexServer, writeIndex } from '@pipette/fixtures'
import type { Benchmark, BenchmarkContext, Side } from '../runner.js'
import { timeCommand } from '../runner.js'
import { pipetteBin, python } from '../paths.js'
import { buildUniverse, UNIVERSE, UNIVERSE_REQUIREMENTS } from '../universe.js'

interface Setup {
  readonly server: IndexServer
  readonly workDir: string
  readonly env: NodeJS.ProcessEnv
  readonly requirements: readonly string[]
  readonly wheels: readonly string[]
}

/**
 * The same configuration for both sides: none. No `PIP_*` variable (this
 * machine sets PIP_FIND_LINKS, PIP_CERT, ...; pip ignores them under
 * `--isolated`, pipette would not) and `PIP_CONFIG_FILE=/dev/null`, which
 * makes pip and pipette skip every pip.conf, the global one too (this
 * machine's adds a constraints file).
 */
export function benchEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: undefined }
  for (const key of Object.keys(env)) if (key.startsWith('PIP_')) delete env[key]
  env['PIP_CONFIG_FILE'] = '/dev/null'
  env['PIP_DISABLE_PIP_VERSION_CHECK'] = '1'
  delete env['VIRTUAL_ENV']
  delete env['PIPETTE_CACHE_DIR']
  return env
}

let serial = 0

/**
 * A new path for one round. Nothing is deleted while the rounds run: right
 * after a large delete, creating files on this machine's ext4 is several
 * times slower for a while, and deleting a round's environment and cache
 * (10,000 inodes for a cold install) before the next round slowed the
 * installers more than the floors, which delete less. The work directory is
 * removed at the end of the run.
 */
function freshPath(workDir: string, name: string): string {
  return join(workDir, 'rounds', `${name}-${serial++}`)
}

async function freshVenv(workDir: string, name: string): Promise<string> {
  const dir = freshPath(workDir, name)
  await mkdir(join(workDir, 'rounds'), { recursive: true })
  const r = spawnSync(python, ['-m', 'venv', '--without-pip', dir], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`python -m venv failed: ${r.stderr}`)
  return dir
}

async function universeSetup(context: BenchmarkContext): Promise<Setup> {
  const wheelsDir = join(context.workDir, 'wheels')
  const paths = await buildUniverse(wheelsDir)
  await writeIndex({ files: paths, outDir: join(context.workDir, 'index') })
  const server = await startIndexServer({ root: join(context.workDir, 'index') })
  const newest = paths.filter((p) => p.includes('-2.1.0-'))
  context.log(`install: ${UNIVERSE.length} projects, ${paths.length} wheels on ${server.indexUrl}, python ${python}`)
  return { server, workDir: context.workDir, env: benchEnv(), requirements: UNIVERSE_REQUIREMENTS, wheels: newest }
}

type Mode = 'cold' | 'warm'

function pipetteSide(setup: Setup, name: string, mode: Mode, compile: boolean, extra: readonly string[] = []): Side {
  const warmCache = join(setup.workDir, `pipette-cache-${name.replace(/\W+/g, '-')}`)
  const args = (venv: string) => [pipetteBin, '--isolated', 'install', '-q', '--python', venv, '--index-url', setup.server.indexUrl, ...(compile ? [] : ['--no-compile']), ...extra, ...setup.requirements]
  const env = (cache: string) => ({ ...setup.env, PIPETTE_CACHE_DIR: cache })
  return {
    name,
    warmup: async () => {
      await rm(warmCache, { recursive: true, force: true })
      await timeCommand(process.execPath, args(await freshVenv(setup.workDir, 'venv-warmup')), { env: env(warmCache) })
    },
    round: async () => {
      const venv = await freshVenv(setup.workDir, 'venv-pipette')
      // Cold: a new, empty cache directory each round.
      return timeCommand(process.execPath, args(venv), { env: env(mode === 'cold' ? freshPath(setup.workDir, 'pipette-cache') : warmCache) })
    },
  }
}

function pipSide(setup: Setup, name: string, mode: Mode, compile: boolean, extra: readonly string[] = []): Side {
  const warmCache = join(setup.workDir, `pip-cache-${name.replace(/\W+/g, '-')}`)
  const args = (venv: string, cache: string) => [
    '-m',
    'pip',
    '--isolated',
    '--disable-pip-version-check',
    '-q',
    '--python',
    join(venv, 'bin', 'python'),
    'install',
    '--cache-dir',
    cache,
    '--index-url',
    setup.server.indexUrl,
    ...(compile ? [] : ['--no-compile']),
    ...extra,
    ...setup.requirements,
  ]
  return {
    name,
    warmup: async () => {
      await rm(warmCache, { recursive: true, force: true })
      await timeCommand(python, args(await freshVenv(setup.workDir, 'venv-warmup-pip'), warmCache), { env: setup.env })
    },
    round: async () => {
      const venv = await freshVenv(setup.workDir, 'venv-pip')
      return timeCommand(python, args(venv, mode === 'cold' ? freshPath(setup.workDir, 'pip-cache') : warmCache), { env: setup.env })
    },
  }
}

function unzipSide(setup: Setup): Side {
  return {
    name: 'unzip (floor)',
    round: async () => {
      const site = freshPath(setup.workDir, 'unzip-site')
      await mkdir(site, { recursive: true })
      return timeCommand('sh', ['-c', 'd="$1"; shift; for w in "$@"; do unzip -qo "$w" -d "$d" || exit 1; done', 'sh', site, ...setup.wheels])
    },
  }
}

/** `unzip` of the chosen wheels, then CPython's compileall over them in one process (two contend on two shared cores). */
function unzipCompileSide(setup: Setup): Side {
  return {
    name: 'unzip + compileall (floor)',
    round: async () => {
      const site = freshPath(setup.workDir, 'unzip-compile-site')
      await mkdir(site, { recursive: true })
      return timeCommand('sh', ['-c', 'd="$1"; shift; for w in "$@"; do unzip -qo "$w" -d "$d" || exit 1; done; "$PY" -m compileall -q "$d" >/dev/null', 'sh', site, ...setup.wheels], {
        env: { ...setup.env, PY: python },
      })
    },
  }
}

function linkFloorSide(setup: Setup, compiled = false): Side {
  const tree = join(setup.workDir, compiled ? 'unpacked-compiled' : 'unpacked')
  return {
    name: compiled ? 'cp -al of the compiled tree (floor)' : 'cp -al (floor)',
    warmup: async () => {
      await rm(tree, { recursive: true, force: true })
      await mkdir(tree, { recursive: true })
      await timeCommand('sh', ['-c', `d="$1"; shift; for w in "$@"; do unzip -qo "$w" -d "$d" || exit 1; done${compiled ? '; "$PY" -m compileall -q "$d" >/dev/null' : ''}`, 'sh', tree, ...setup.wheels], {
        env: { ...setup.env, PY: python },
      })
    },
    round: async () => {
      const site = freshPath(setup.workDir, 'link-site')
      await mkdir(join(setup.workDir, 'rounds'), { recursive: true })
      return timeCommand('cp', ['-al', tree, site])
    },
  }
}

function installBenchmark(mode: Mode, compile: boolean): Benchmark {
  const suffix = compile ? ' (compiling)' : ' --no-compile'
  const subject = `pipette${suffix}`
  const reference = `pip${suffix}`
  let setup: Setup | undefined
  return {
    name: `install-${mode}${compile ? '-compile' : ''}`,
    description: `install 48 distributions (~3,400 files) from a local nginx index into a fresh venv, ${mode === 'cold' ? 'empty caches' : 'filled caches'}${compile ? ', compiling bytecode' : ''}: pipette vs pip`,
    subject,
    setup: async (context) => {
      setup = await universeSetup(context)
      const sides = [pipetteSide(setup, subject, mode, compile), pipSide(setup, reference, mode, compile)]
      if (mode === 'cold') sides.push(compile ? unzipCompileSide(setup) : unzipSide(setup))
      else sides.push(linkFloorSide(setup, compile))
      return sides
    },
    targets: { [reference]: mode === 'cold' ? 10 : 80 },
    teardown: async () => {
      await setup?.server.stop()
    },
  }
}

export const installCold = installBenchmark('cold', false)
export const installColdCompile = installBenchmark('cold', true)
export const installWarm = installBenchmark('warm', false)
export const installWarmCompile = installBenchmark('warm', true)

// ---- resolve: pyrax_198 ----

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url))

function corpusDir(): string {
  const options = [process.env['PIPETTE_CORPUS'], join(repoRoot, '..', 'shared', 'corpus'), join(repoRoot, '..', '..', 'shared', 'corpus')]
  const found = options.find((o): o is string => o !== undefined && existsSync(o))
  if (found === undefined) throw new Error('resolver corpus not found: set PIPETTE_CORPUS (example: PIPETTE_CORPUS=/work/shared/corpus pnpm bench resolve)')
  return found
}

interface PyraxScenario {
  readonly input: { readonly requirements: readonly string[] }
  readonly packages: Readonly<Record<string, Readonly<Record<string, { readonly depends_by_extra?: Readonly<Record<string, readonly string[]>>; readonly requires_python?: string }>>>>
}

/** One metadata-only `py2.py3-none-any` wheel per version, as the upstream tool synthesizes them. */
async function buildPyraxIndex(dir: string): Promise<{ root: string; requirements: readonly string[]; wheels: number }> {
  const scenario = JSON.parse(readFileSync(join(corpusDir(), 'pip-resolver-benchmarks', 'scenarios', 'pyrax_198.json'), 'utf8')) as PyraxScenario
  const wheels: string[] = []
  for (const [name, versions] of Object.entries(scenario.packages)) {
    for (const [version, data] of Object.entries(versions)) {
      const { '': requires = [], ...extras } = data.depends_by_extra ?? {}
      wheels.push(
        await buildWheel(
          { name, version, tag: 'py2.py3-none-any', requires, extras, requiresPython: data.requires_python, files: {} },
          { outDir: join(dir, 'wheels') },
        ),
      )
    }
  }
  await writeIndex({ files: wheels, outDir: join(dir, 'index') })
  return { root: join(dir, 'index'), requirements: scenario.input.requirements, wheels: wheels.length }
}

let resolveServer: IndexServer | undefined

export const resolveBench: Benchmark = {
  name: 'resolve',
  description: "pip-resolver-benchmarks' pyrax_198 on a local nginx index (3,516 wheels): install --dry-run --ignore-installed, warm caches, pipette vs pip",
  subject: 'pipette --dry-run',
  setup: async (context) => {
    const built = await buildPyraxIndex(context.workDir)
    resolveServer = await startIndexServer({ root: built.root })
    context.log(`resolve: ${built.wheels} wheels on ${resolveServer.indexUrl}`)
    const setup: Setup = { server: resolveServer, workDir: context.workDir, env: benchEnv(), requirements: built.requirements, wheels: [] }
    return [pipetteSide(setup, 'pipette --dry-run', 'warm', false, ['--dry-run', '--ignore-installed']), pipSide(setup, 'pip --dry-run', 'warm', false, ['--dry-run', '--ignore-installed'])]
  },
  targets: { 'pip --dry-run': 20 },
  teardown: async () => {
    await resolveServer?.stop()
  },
}
