/**
 * `download` and `download-warm`: talking to an index, pipette against pip.
 *
 * The workload, served by Debian's nginx on loopback (@pipette/fixtures'
 * startIndexServer: PEP 691 negotiation, PEP 658 metadata files, ranges,
 * `Cache-Control: max-age=600` on pages): 200 projects of two versions each,
 * wheels of 10-150 KB of incompressible content. One round is two commands:
 *
 * 1. the metadata of the best wheel of all 200 projects: pipette's index
 *    library in a Node process (this file run as a script: one session, every
 *    project at once) against `pip install --dry-run --no-deps
 *    --ignore-installed` (pip's only way to fetch metadata without wheels);
 * 2. 100 wheels: `pipette download --no-deps` against
 *    `pip download --no-deps` of the same requirements.
 *
 * `download` runs each round with empty caches (a new cache directory for
 * pipette, `--cache-dir` for pip); `download-warm` fills the caches once and
 * then times rounds that reuse them (a new destination directory every round).
 * pip runs with `PIP_CONFIG_FILE=/dev/null` and no `PIP_*` variables, so the
 * machine's pip configuration plays no part; so does pipette. Both run the
 * real interpreter behind `python3` (resolved once: a pyenv shim would add
 * the same few hundred milliseconds of bash to every command of both sides).
 *
 * Both sides get `--trusted-host 127.0.0.1:<port>`. pip mounts its caching
 * HTTP adapter on `https://` and on trusted hosts only: against a plain-http
 * index it caches nothing, so without the flag pip's "warm" rounds would
 * repeat every request and write no cache in its cold rounds, while pipette
 * reads and writes its cache. With it, both sides fill a cache when cold and
 * use it when warm, as they would against an HTTPS index. (pipette caches
 * either way; for it the flag only affects TLS checks.)
 *
 * Floors shown in the same run (no targets): `node -e 0` twice (the two Node
 * start-ups of pipette's side), `node -e 0` + `pipette download --help` (the
 * same plus the CLI's own start-up, no work), and both halves' work through
 * the libraries inside this process (no start-up; modules loaded and code
 * warm after the first round), with the same cache state as pipette's side.
 */
import { execFileSync } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { seededRandom } from '@pipette/test-support'
import type { Benchmark, BenchmarkContext, Sample, Side } from '../runner.js'
import { timeCommand } from '../runner.js'
import { pipetteBin, python } from '../paths.js'

const PROJECTS = 200
const WHEELS = 100
const script = fileURLToPath(import.meta.url)

const projectName = (i: number) => `bench-pkg-${String(i).padStart(3, '0')}`

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('PIP_') && !key.startsWith('PIPETTE_')) env[key] = value
  return { ...env, PIP_CONFIG_FILE: '/dev/null', ...extra }
}

interface Fixture {
  readonly indexUrl: string
  readonly stop: () => Promise<void>
}

async function serveIndex(context: BenchmarkContext): Promise<Fixture> {
  const { buildWheel, writeIndex, startIndexServer } = await import('@pipette/fixtures')
  const wheels = join(context.workDir, 'wheels')
  const next = seededRandom(440)
  for (let i = 0; i < PROJECTS; i++) {
    for (const version of ['1.0.0', '1.1.0']) {
      const size = 10_000 + Math.floor(next() * 140_000)
      const bytes = new Uint8Array(size)
      for (let b = 0; b < size; b++) bytes[b] = Math.floor(next() * 256)
      const module = projectName(i).replace(/-/g, '_')
      await buildWheel({ name: projectName(i), version, requires: ['requests>=2', 'urllib3<3'], files: { [`${module}/__init__.py`]: `__version__ = '${version}'\n`, [`${module}/data.bin`]: bytes } }, { outDir: wheels })
    }
  }
  const root = join(context.workDir, 'index')
  await writeIndex({ wheelsDir: wheels, outDir: root })
  const server = await startIndexServer({ root })
  context.log(`download: ${PROJECTS * 2} wheels served at ${server.indexUrl}`)
  return { indexUrl: server.indexUrl, stop: () => server.stop() }
}

function combine(a: Sample, b: Sample): Sample {
  const rss = [a.maxRssKb, b.maxRssKb].filter((v): v is number => v !== undefined)
  return { ms: a.ms + b.ms, maxRssKb: rss.length > 0 ? Math.max(...rss) : undefined }
}

const metadataNames = Array.from({ length: PROJECTS }, (_, i) => projectName(i))
const wheelNames = Array.from({ length: WHEELS }, (_, i) => projectName(i))

type Round = (interpreter: string, indexUrl: string, cacheDir: string, dest: string) => Promise<Sample>

/** `127.0.0.1:<port>` of the index, for `--trusted-host` (see above). */
const hostOf = (indexUrl: string) => new URL(indexUrl).host

const pipetteRound: Round = async (interpreter, indexUrl, cacheDir, dest) => {
  const env = cleanEnv({ PIPETTE_CACHE_DIR: cacheDir })
  const metadata = await timeCommand(process.execPath, [script, 'metadata', interpreter, indexUrl, ...metadataNames], { env })
  const wheels = await timeCommand(
    process.execPath,
    [pipetteBin, 'download', '--no-deps', '-q', '--python', interpreter, '-d', dest, '-i', indexUrl, '--trusted-host', hostOf(indexUrl), ...wheelNames],
    { env },
  )
  return combine(metadata, wheels)
}

/** The floor of any two-command side: starting Node twice. */
const nodeTwiceRound: Round = async () => combine(await timeCommand(process.execPath, ['-e', '0']), await timeCommand(process.execPath, ['-e', '0']))

/** Starting Node, then the CLI up to a command without work (the floor of the `pipette download` half). */
const startupRound: Round = async () => {
  const env = cleanEnv({})
  return combine(await timeCommand(process.execPath, ['-e', '0'], { env }), await timeCommand(process.execPath, [pipetteBin, 'download', '--help'], { env }))
}

/** Both halves' work through the libraries in this process: no start-up, no module loading after the first round. */
const inProcessRound: Round = async (interpreter, indexUrl, cacheDir, dest) => {
  const start = process.hrtime.bigint()
  await runMetadata({ interpreter, indexUrl, names: metadataNames, cacheDir })
  await runDownload({ interpreter, indexUrl, names: wheelNames, cacheDir, dest })
  return { ms: Number(process.hrtime.bigint() - start) / 1e6 }
}

const pipRound: Round = async (interpreter, indexUrl, cacheDir, dest) => {
  const env = cleanEnv({})
  const common = ['--disable-pip-version-check', '--no-input', '-q', '--cache-dir', cacheDir, '-i', indexUrl, '--trusted-host', hostOf(indexUrl)]
  const metadata = await timeCommand(interpreter, ['-m', 'pip', 'install', '--dry-run', '--no-deps', '--ignore-installed', ...common, ...metadataNames], { env })
  const wheels = await timeCommand(interpreter, ['-m', 'pip', 'download', '--no-deps', '-d', dest, ...common, ...wheelNames], { env })
  return combine(metadata, wheels)
}

function makeBenchmark(warm: boolean): Benchmark {
  let fixture: Fixture | undefined
  const name = warm ? 'download-warm' : 'download'
  const pipetteSide = warm ? 'pipette (warm cache)' : 'pipette (cold cache)'
  const pipSide = warm ? 'pip (warm cache)' : 'pip (cold cache)'
  return {
    name,
    description: `metadata of ${PROJECTS} packages + ${WHEELS} wheels from nginx on loopback, ${warm ? 'warm' : 'cold'} caches: pipette vs pip`,
    subject: pipetteSide,
    targets: { [pipSide]: warm ? 50 : 10 },
    async setup(context) {
      fixture = await serveIndex(context)
      const { indexUrl } = fixture
      const interpreter = execFileSync(python, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8', env: cleanEnv({}) }).trim()
      let round = 0
      const fresh = async (what: string) => {
        const dir = join(context.workDir, `${what}-${round++}`)
        await mkdir(dir, { recursive: true })
        return dir
      }
      const side = (sideName: string, run: Round): Side => {
        if (!warm) {
          return { name: sideName, round: async () => run(interpreter, indexUrl, await fresh('cache'), await fresh('dest')) }
        }
        let cacheDir = ''
        return {
          name: sideName,
          warmup: async () => {
            cacheDir = await fresh('cache')
            await run(interpreter, indexUrl, cacheDir, await fresh('dest'))
          },
          round: async () => run(interpreter, indexUrl, cacheDir, await fresh('dest')),
        }
      }
      return [
        side(pipetteSide, pipetteRound),
        side(pipSide, pipRound),
        side('node -e 0, twice (floor)', nodeTwiceRound),
        side('node -e 0 + pipette download --help (floor)', startupRound),
        side('pipette in-process, no start-up (floor)', inProcessRound),
      ]
    },
    async teardown() {
      await fixture?.stop()
    },
  }
}

export const download: Benchmark = makeBenchmark(false)
export const downloadWarm: Benchmark = makeBenchmark(true)

interface WorkOptions {
  readonly interpreter: string
  readonly indexUrl: string
  readonly names: readonly string[]
  /** The cache directory; default: the environment's (`PIPETTE_CACHE_DIR`), as the CLI finds it. */
  readonly cacheDir?: string | undefined
}

async function openSession(options: WorkOptions) {
  // The interpreter is asked first (a Python run when its answer is not cached) while the index modules load;
  // the interpreter and tag modules alone, as the CLI's index commands load them.
  const cacheModule = import('@pipette/cache')
  const answer = Promise.all([cacheModule, import('@pipette/venv/find-interpreter'), import('@pipette/venv/query-interpreter')]).then(async ([{ resolveCacheDir }, { findInterpreter }, { queryInterpreter }]) => {
    const dir = options.cacheDir ?? resolveCacheDir({})
    return { dir, info: await queryInterpreter((await findInterpreter({ python: options.interpreter })).executable, { cacheDir: dir }) }
  })
  const [{ openIndexSession, pep440Versions, openRangeMemoryFile }, { interpreterTags }, { tagToString }, { openCache }, { dir, info }] = await Promise.all([
    import('@pipette/index'),
    import('@pipette/wheel/interpreter'),
    import('@pipette/wheel/tags'),
    cacheModule,
    answer,
  ])
  const cache = await openCache({ dir })
  const session = await openIndexSession({
    indexUrl: options.indexUrl,
    target: { pythonVersion: info.version, supportedTags: interpreterTags(info).map(tagToString) },
    versions: pep440Versions,
    cache: cache.http,
    trustedHosts: [new URL(options.indexUrl).host],
    ranges: dir === null ? undefined : await openRangeMemoryFile(join(cache.bucketDir('index-v1'), 'no-range-origins.json')),
  })
  return {
    session,
    cache,
    pep440Versions,
    close: async () => {
      await session.close()
      await cache.close()
    },
  }
}

/** The pipette side of the metadata half, through @pipette/index as the CLI uses it: every project at once. */
async function runMetadata(options: WorkOptions): Promise<void> {
  const { session, close } = await openSession(options)
  try {
    await Promise.all(
      options.names.map(async (name) => {
        const { best } = await session.finder.findBest(name)
        if (best === undefined) throw new Error(`no candidate for ${name}`)
        const { metadata } = await session.metadata(best)
        if (!Buffer.from(metadata).toString('utf8').includes('\nName: ')) throw new Error(`bad metadata for ${name}`)
      }),
    )
  } finally {
    await close()
  }
}

/** The library work of `pipette download --no-deps NAME... -d DEST` (for the in-process floor). */
async function runDownload(options: WorkOptions & { readonly dest: string }): Promise<void> {
  const { downloadDistributions } = await import('@pipette/index')
  const { session, cache, pep440Versions, close } = await openSession(options)
  try {
    const results = await downloadDistributions({
      finder: session.finder,
      http: session.http,
      versions: pep440Versions,
      requests: options.names.map((name) => ({ name, specifier: '', text: name })),
      dest: options.dest,
      store: cache.wheels,
    })
    if (results.length !== options.names.length) throw new Error('not every file was downloaded')
  } finally {
    await close()
  }
}

/** Run as a script (`node download.js metadata <python> <index-url> <name>...`): the pipette side of the metadata half. */
if (process.argv[1] === script && process.argv[2] === 'metadata') {
  await runMetadata({ interpreter: process.argv[3]!, indexUrl: process.argv[4]!, names: process.argv.slice(5) })
}
