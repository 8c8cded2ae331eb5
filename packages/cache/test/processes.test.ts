import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { createArchiveStore, createHttpCache, createWheelStore, hashFile, sweepTemporaries } from '../src/index.js'
import { startServer } from './helpers/http-server.js'
import { DEBIAN_WHEELS } from './helpers/wheels.js'

const WORKER = fileURLToPath(new URL('./helpers/worker.mjs', import.meta.url))
const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url))
const WHEELS = readdirSync(DEBIAN_WHEELS).map((name) => join(DEBIAN_WHEELS, name)).sort()
const roots: string[] = []
const fresh = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), `pipette-${name}-`))
  roots.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of roots) rmSync(dir, { recursive: true, force: true })
})

function start(task: object): { child: ChildProcess; lines: Promise<unknown[]>; exit: Promise<number | null>; firstLine: Promise<unknown> } {
  const child = spawn(process.execPath, [WORKER, JSON.stringify(task)], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  let resolveFirst: (value: unknown) => void = () => undefined
  const firstLine = new Promise<unknown>((resolve) => (resolveFirst = resolve))
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString()
    const newline = out.indexOf('\n')
    if (newline !== -1) resolveFirst(JSON.parse(out.slice(0, newline)))
  })
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()))
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const lines = exit.then((code) => {
    if (code !== 0 && code !== null) throw new Error(`worker exited ${code}: ${err}`)
    return out
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as unknown)
  })
  return { child, lines, exit, firstLine }
}

function walk(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name)
    out.push(full)
    if (entry.isDirectory()) out.push(...walk(full))
  }
  return out
}

describe.runIf(existsSync(DIST))('several real processes sharing one cache', () => {
  it('8 processes filling one cache at once leave it complete and consistent', async () => {
    const cacheDir = fresh('shared')
    const pageBody = (i: number) => `{"name":"p${i}","files":[${'"x",'.repeat(5000 + i)}"y"]}`
    const server = await startServer((req, res) => {
      const i = Number(/\/simple\/p(\d+)\//.exec(req.url ?? '')?.[1])
      const body = pageBody(i)
      const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag, 'cache-control': 'max-age=600' }).end()
      res.writeHead(200, { etag, 'cache-control': 'max-age=600', 'content-type': 'application/json' }).end(body)
    })
    const pages = Array.from({ length: 16 }, (_, i) => `${server.origin}/simple/p${i}/`)
    const barrier = join(cacheDir, '..', `${Date.now()}-go`)
    roots.push(barrier)
    const workers = Array.from({ length: 8 }, (_, index) => start({ mode: 'fill', index, cacheDir, wheels: WHEELS, pages, barrier }))
    writeFileSync(barrier, 'go')
    const results = (await Promise.all(workers.map((worker) => worker.lines))).map(
      (lines) => lines[0] as { wheels: { sha256: string }[]; archives: { sha256: string; created: boolean; files: number }[]; pages: { url: string; length: number }[] },
    )
    await server.close()

    expect(results).toHaveLength(8)
    const digests = await Promise.all(WHEELS.map((wheel) => hashFile(wheel)))
    for (const digest of digests) {
      // Unpacked exactly once across all processes: the others waited and reused it.
      const creators = results.flatMap((result) => result.archives.filter((archive) => archive.sha256 === digest && archive.created))
      expect(creators).toHaveLength(1)
    }
    for (const result of results) {
      expect(result.pages.map((page) => page.length).sort()).toEqual(pages.map((_, i) => Buffer.byteLength(pageBody(i))).sort())
    }

    const wheels = createWheelStore({ dir: join(cacheDir, 'wheels-v2') })
    expect((await wheels.list()).map((wheel) => wheel.sha256).sort()).toEqual([...digests].sort())
    for (const wheel of await wheels.list()) expect(await wheels.verify(wheel)).toBe('ok')
    const archives = createArchiveStore({ dir: join(cacheDir, 'archives-v1') })
    expect(await archives.list()).toEqual([...digests].sort())
    for (const digest of digests) expect(await archives.verify(digest, { deep: true })).toBe('ok')
    const http = createHttpCache({ dir: join(cacheDir, 'http-cache-v2') })
    for (const url of pages) expect(await http.verify(url)).toBe('ok')
    // Nothing temporary and no lock is left behind by processes that ended normally.
    const leftovers = walk(cacheDir).filter((path) => /\/\.(tmp-|.*\.lock$)/.test(path))
    expect(leftovers).toEqual([])
    // One file per page: racing writers replaced each other's complete entries, nothing else is left.
    expect(walk(join(cacheDir, 'http-cache-v2')).filter((path) => /\/[0-9a-f]{64}$/.test(path))).toHaveLength(pages.length)
  }, 60_000)

  it('a wheel download killed with SIGKILL mid-write leaves no entry that looks complete', async () => {
    const cacheDir = fresh('killed')
    const worker = start({ mode: 'slow-wheel', cacheDir })
    expect(await worker.firstLine).toEqual({ writing: true })
    worker.child.kill('SIGKILL')
    await worker.exit
    const store = createWheelStore({ dir: join(cacheDir, 'wheels-v2') })
    expect(await store.list()).toEqual([])
    const temporaries = readdirSync(join(cacheDir, 'wheels-v2', '.tmp'))
    expect(temporaries).toHaveLength(1)
    expect(temporaries[0]).toMatch(new RegExp(`^\\.tmp-${worker.child.pid}\\.`))
    expect(await sweepTemporaries(join(cacheDir, 'wheels-v2', '.tmp'))).toBe(1)
    expect(readdirSync(join(cacheDir, 'wheels-v2', '.tmp'))).toEqual([])
  }, 30_000)

  it('an HTTP response killed mid-body is not in the cache', async () => {
    const cacheDir = fresh('killed-http')
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'cache-control': 'max-age=600', etag: '"e"', 'content-length': '1000000' })
      res.write(Buffer.alloc(100_000, 1)) // and never the rest
    })
    const url = `${server.origin}/simple/slow/`
    const worker = start({ mode: 'slow-page', cacheDir, url })
    expect(await worker.firstLine).toEqual({ writing: true })
    worker.child.kill('SIGKILL')
    await worker.exit
    await server.close()
    const http = createHttpCache({ dir: join(cacheDir, 'http-cache-v2') })
    expect((await http.lookup({ url })).kind).toBe('miss')
    expect(existsSync(join(cacheDir, 'http-cache-v2')) ? walk(join(cacheDir, 'http-cache-v2')).filter((path) => !/\/\.tmp-/.test(path) && statSync(path).isFile()) : []).toEqual([])
  }, 30_000)

  it('an unpack killed with its lock held: no archive appears, and the next process breaks the stale lock', async () => {
    const cacheDir = fresh('killed-unpack')
    const wheel = WHEELS.find((path) => path.includes('/wheel-')) as string
    const sha256 = await hashFile(wheel)
    const worker = start({ mode: 'slow-unpack', cacheDir, sha256, wheel })
    expect(await worker.firstLine).toEqual({ writing: true })
    const lockPath = join(cacheDir, 'archives-v1', '.locks', `${sha256}.lock`)
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toMatchObject({ pid: worker.child.pid })
    worker.child.kill('SIGKILL')
    await worker.exit
    const archives = createArchiveStore({ dir: join(cacheDir, 'archives-v1'), lockTimeoutMs: 20_000 })
    expect(await archives.get(sha256)).toBeUndefined()
    expect(await archives.verify(sha256)).toBe('missing')
    const rebuilt = await archives.ensure({ sha256, wheelPath: wheel, filename: basename(wheel) })
    expect(rebuilt.created).toBe(true)
    expect(rebuilt.manifest.files.some((file) => file.path === 'partial.py')).toBe(false)
    expect(await archives.verify(sha256, { deep: true })).toBe('ok')
    expect(existsSync(lockPath)).toBe(false)
    expect(await sweepTemporaries(join(cacheDir, 'archives-v1'))).toBe(1) // the dead process's half-built tree
  }, 30_000)
})

describe.runIf(!existsSync(DIST))('several real processes sharing one cache', () => {
  it('needs the build', () => {
    throw new Error(`Build @pipette/cache first (pnpm turbo run build --filter @pipette/cache): ${DIST} is missing`)
  })
})
