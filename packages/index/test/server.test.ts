/**
 * The index client against a real nginx on loopback (@pipette/fixtures'
 * startIndexServer): content negotiation, auth and redaction, redirects to
 * another origin, retries, range-request metadata, hash mismatches,
 * truncated bodies, a download killed mid-way, connection reuse.
 */
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { buildWheel, startIndexServer, writeIndex } from '@pipette/fixtures'
import type { IndexServer } from '@pipette/fixtures'
import { createCredentialStore } from '../src/credentials.js'
import { downloadFile, removeStalePartials } from '../src/download.js'
import { expectedFrom } from '../src/hashing.js'
import { createFinder } from '../src/finder.js'
import type { Clock, HttpClient } from '../src/http.js'
import { createHttpClient } from '../src/http.js'
import { createRangeMemory, fetchMetadata } from '../src/metadata.js'
import { SIMPLE_ACCEPT, parseSimpleResponse } from '../src/simple-api.js'
import type { DistributionFile } from '../src/simple-api.js'
import { fetchProjectPage } from '../src/sources.js'
import { pep440Versions } from '../src/pep440-scheme.js'

const target = { pythonVersion: '3.11.7', supportedTags: ['py3-none-any'] }
const noWait: Clock = { now: () => Date.now(), sleep: async () => {} }

let dir: string
let server: IndexServer
let http: HttpClient
const bigFiles: Record<string, string> = {}
// Like a real wheel: many files whose content does not compress away, so the central directory is a small part of it.
for (let i = 0; i < 1000; i++) bigFiles[`big/module_${i}.py`] = Array.from({ length: 40 }, (_, j) => `# ${createHash('sha256').update(`${i}/${j}`).digest('hex')}\n`).join('')

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipette-index-server-'))
  const wheels = join(dir, 'wheels')
  for (const version of ['1.0', '2.0']) await buildWheel({ name: 'alpha', version, requires: ['six'] }, { outDir: wheels })
  await buildWheel({ name: 'alpha', version: '3.0', requiresPython: '>=3.99' }, { outDir: wheels })
  await buildWheel({ name: 'big', version: '1.0', files: bigFiles, requires: ['alpha>=1'] }, { outDir: wheels })
  await buildWheel({ name: 'tampered', version: '1.0' }, { outDir: wheels })
  await buildWheel({ name: 'badmeta', version: '1.0' }, { outDir: wheels })
  const file = (name: string) => join(wheels, name)
  await writeIndex({
    outDir: join(dir, 'root'),
    files: [
      file('alpha-1.0-py3-none-any.whl'),
      file('alpha-2.0-py3-none-any.whl'),
      file('alpha-3.0-py3-none-any.whl'),
      { path: file('big-1.0-py3-none-any.whl'), metadata: false },
      { path: file('tampered-1.0-py3-none-any.whl'), wrongHash: true },
      { path: file('badmeta-1.0-py3-none-any.whl'), metadataWrongHash: true },
    ],
  })
  server = await startIndexServer({ root: join(dir, 'root') })
  http = createHttpClient({ clock: noWait, retries: 2 })
}, 60_000)

afterAll(async () => {
  await http?.close()
  await server?.stop()
  await rm(dir, { recursive: true, force: true })
})

beforeEach(async () => {
  await server.clearAccessLog()
  await server.resetCounters()
})

/** The access log once it has `count` entries (nginx writes a line after the response is sent). */
async function logOf(count: number) {
  for (let i = 0; ; i++) {
    const log = await server.accessLog()
    if (log.length >= count || i === 100) return log
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function page(project: string, indexUrl = server.indexUrl, client = http) {
  const result = await fetchProjectPage({ http: client }, indexUrl, project)
  if (result.status !== 'found') throw new Error(`${project}: ${result.status}`)
  return result.page
}

function fileOf(files: readonly DistributionFile[], filename: string): DistributionFile {
  const found = files.find((f) => f.filename === filename)
  if (found === undefined) throw new Error(`no ${filename}`)
  return found
}

describe('content negotiation', () => {
  it('asks for JSON first and reads the same files from the JSON and the HTML page', async () => {
    const json = await page('alpha')
    expect(json.format).toBe('json')
    expect(json.apiVersion).toBe('1.1')
    expect(json.versions).toEqual(['1.0', '2.0', '3.0'])
    expect((await logOf(1)).find((e) => e.uri === '/simple/alpha/')?.accept).toBe(SIMPLE_ACCEPT)

    const response = await http.get(`${server.indexUrl}alpha/`, { headers: { accept: 'text/html' } })
    expect(response.headers['content-type']).toMatch(/^text\/html/)
    const html = parseSimpleResponse({ body: response.body, contentType: response.headers['content-type'], url: response.url })
    const shape = (files: readonly DistributionFile[]) =>
      files.map((f) => [f.filename, f.url.replace(/#.*$/, ''), f.hashes['sha256'], f.requiresPython, f.yanked, f.coreMetadata === false ? null : f.coreMetadata.hashes])
    expect(shape(html.files)).toEqual(shape(json.files))
    expect(json.files[0]!.size).toBeGreaterThan(0)
  })

  it('finds the best candidate over HTTP, skipping a Requires-Python it cannot meet', async () => {
    const finder = createFinder({ http, target, versions: pep440Versions, indexUrl: server.indexUrl })
    const { best, found } = await finder.findBest('Alpha')
    expect(best?.file.filename).toBe('alpha-2.0-py3-none-any.whl')
    expect(found.skipped.map((s) => s.detail)).toEqual(['3.0 Requires-Python >=3.99'])
    const missing = await finder.findAll('no-such-project')
    expect(missing.candidates).toEqual([])
    expect(missing.pages.map((p) => p.status)).toEqual(['not-found'])
  })

  it('keeps connections to an origin alive across requests', async () => {
    const client = createHttpClient()
    try {
      for (let round = 0; round < 3; round++) for (const project of ['alpha', 'big', 'tampered', 'badmeta']) await page(project, server.indexUrl, client)
      const log = await logOf(12)
      expect(log).toHaveLength(12)
      // undici may open a second socket while the first finishes a response; both are kept alive.
      expect(new Set(log.map((e) => e.connection)).size).toBeLessThanOrEqual(2)
    } finally {
      await client.close()
    }
  })
})

describe('auth and redaction', () => {
  it('sends the index URL credentials to the index and to files on the same origin', async () => {
    const indexUrl = server.authUrl('/simple/')
    const client = createHttpClient({ credentials: createCredentialStore({ urls: [indexUrl] }), clock: noWait })
    try {
      const files = (await page('alpha', indexUrl, client)).files
      const wheel = fileOf(files, 'alpha-2.0-py3-none-any.whl')
      expect(wheel.url).toContain('/auth/files/')
      const dest = join(dir, 'auth', wheel.filename)
      await downloadFile({ http: client, url: wheel.url, dest, expected: expectedFrom(wheel.hashes) })
      expect((await stat(dest)).size).toBeGreaterThan(0)
      const log = await logOf(2)
      expect(log.map((e) => [e.uri, e.status, e.user])).toEqual([
        ['/auth/simple/alpha/', 200, server.user],
        [`/auth/files/${wheel.filename}`, 200, server.user],
      ])
    } finally {
      await client.close()
    }
  })

  it('answers a wrong password with one clear error that never shows it', async () => {
    const url = server.authUrl('/simple/', { user: server.user, password: 'wrong-password-42' })
    const error = await fetchProjectPage({ http }, url, 'alpha').catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ERR_INDEX_AUTH' })
    const message = `${(error as Error).message} ${(error as { hint?: string }).hint}`
    expect(message).toContain(`401 Unauthorized from ${server.url}/auth/simple/alpha/ (credentials were sent)`)
    expect(message).not.toContain('wrong-password-42')
    const none = await fetchProjectPage({ http }, `${server.url}/auth/simple/`, 'alpha').catch((e: unknown) => e)
    expect((none as Error).message).toContain('(no credentials were sent)')
  })

  it('does not forward credentials on a redirect to another origin', async () => {
    const credentials = createCredentialStore({ urls: [server.authUrl('/simple/')] })
    const client = createHttpClient({ credentials, clock: noWait })
    try {
      const response = await client.get(`${server.url}/auth/redirect-other/files/alpha-1.0-py3-none-any.whl`)
      expect(response.url).toBe(`${server.otherUrl}/files/alpha-1.0-py3-none-any.whl`)
      const log = await logOf(2)
      expect(log.map((e) => [e.port, e.status, e.authorization === '' ? 'none' : 'sent'])).toEqual([
        [server.port, 302, 'sent'],
        [server.otherPort, 200, 'none'],
      ])
      // A redirect into the other origin's protected area fails there, for lack of credentials.
      const error = await client.get(`${server.url}/auth/redirect-other/auth/simple/alpha/`).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'ERR_INDEX_AUTH' })
      expect((error as Error).message).toBe(`401 Unauthorized from ${server.otherUrl}/auth/simple/alpha/ (no credentials were sent)`)
    } finally {
      await client.close()
    }
  })
})

describe('retries', () => {
  it('retries 503s and succeeds', async () => {
    const result = await fetchPage503()
    expect(result).toBe('found')
    const statuses = (await logOf(3)).filter((e) => e.uri === '/flaky/2/simple/alpha/').map((e) => e.status)
    expect(statuses).toEqual([503, 503, 200])
  })

  async function fetchPage503() {
    return (await fetchProjectPage({ http }, `${server.url}/flaky/2/simple/`, 'alpha')).status
  }

  it('gives up after --retries with the last status', async () => {
    const error = await fetchProjectPage({ http }, `${server.url}/fail/500/9/simple/`, 'alpha').catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ERR_INDEX_HTTP' })
    expect((await logOf(3)).length).toBe(3)
  })

  it('reports an unreachable index once, after the retries', async () => {
    const stopped = await startIndexServer({ root: join(dir, 'root') })
    const url = stopped.indexUrl
    await stopped.stop()
    const error = await fetchProjectPage({ http }, url, 'alpha').catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ERR_INDEX_UNREACHABLE' })
    expect((error as Error).message).toMatch(new RegExp(`^could not reach ${url}alpha/ \\(.*ECONNREFUSED.*\\) after 3 attempts$`))
  })
})

describe('metadata without downloading', () => {
  it('uses the .metadata file when announced, checking its hash', async () => {
    const files = (await page('alpha')).files
    const wheel = fileOf(files, 'alpha-2.0-py3-none-any.whl')
    const result = await fetchMetadata({ http, file: wheel, project: 'alpha' })
    expect(result.via).toBe('metadata-file')
    expect(Buffer.from(result.metadata).toString()).toMatch(/^Metadata-Version: .*\nName: alpha\nVersion: 2.0\n/s)
    const bad = fileOf((await page('badmeta')).files, 'badmeta-1.0-py3-none-any.whl')
    await expect(fetchMetadata({ http, file: bad, project: 'badmeta' })).rejects.toMatchObject({ code: 'ERR_HASH_MISMATCH' })
  })

  it('reads METADATA with a few small range requests', async () => {
    const wheel = fileOf((await page('big')).files, 'big-1.0-py3-none-any.whl')
    expect(wheel.coreMetadata).toBe(false)
    await server.clearAccessLog()
    const result = await fetchMetadata({ http, file: wheel, project: 'big', ranges: createRangeMemory() })
    expect(result.via).toBe('range')
    expect(Buffer.from(result.metadata).toString()).toContain('Requires-Dist: alpha>=1')
    const log = await logOf(2)
    const size = (await stat(join(dir, 'root', 'files', wheel.filename))).size
    expect(log.every((e) => e.status === 206 && e.range !== '')).toBe(true)
    expect(log.length).toBeLessThanOrEqual(3)
    expect(log.reduce((sum, e) => sum + e.bytes, 0)).toBeLessThan(size / 4)
  })

  it('reads the whole file from a server that refuses ranges, and remembers it', async () => {
    const wheel = fileOf((await page('big')).files, 'big-1.0-py3-none-any.whl')
    const file = { ...wheel, url: `${server.url}/norange/files/${wheel.filename}` }
    const ranges = createRangeMemory()
    const first = await fetchMetadata({ http, file, project: 'big', ranges })
    expect(first.via).toBe('whole-file')
    expect(ranges.refuses(server.url.replace(/^http:\/\/([^/]+)$/, 'http://$1'))).toBe(true)
    await server.clearAccessLog()
    const second = await fetchMetadata({ http, file, project: 'big', ranges })
    expect(Buffer.from(second.metadata).equals(Buffer.from(first.metadata))).toBe(true)
    expect((await logOf(1)).map((e) => e.range)).toEqual([''])
  })
})

describe('downloads', () => {
  it('refuses a file whose hash does not match, leaving nothing behind', async () => {
    const wheel = fileOf((await page('tampered')).files, 'tampered-1.0-py3-none-any.whl')
    const out = join(dir, 'tampered')
    const error = await downloadFile({ http, url: wheel.url, dest: join(out, wheel.filename), expected: expectedFrom(wheel.hashes) }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ERR_HASH_MISMATCH' })
    expect((error as Error).message).toContain(`hash mismatch for tampered-1.0-py3-none-any.whl from ${server.url}/files/tampered-1.0-py3-none-any.whl`)
    expect(await readdir(out)).toEqual([])
  })

  it('fails on a truncated body after resuming, leaving nothing behind', async () => {
    const out = join(dir, 'truncated')
    const error = await downloadFile({ http, url: `${server.url}/truncate/files/alpha-1.0-py3-none-any.whl`, dest: join(out, 'alpha.whl'), retries: 2 }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ERR_DOWNLOAD_INCOMPLETE' })
    expect(await readdir(out)).toEqual([])
  })

  it('resumes a body cut short with a range request', async () => {
    const name = 'big-1.0-py3-none-any.whl'
    const original = await readFile(join(dir, 'root', 'files', name))
    // The first response is cut after 10000 bytes; the resume goes to the plain file.
    const cutThenWhole: HttpClient = {
      get: http.get,
      close: http.close,
      flush: http.flush,
      open: (url, options) => http.open(options?.headers?.['range'] ? `${server.url}/files/${name}` : `${server.url}/truncate/10000/files/${name}`, options),
    }
    const dest = join(dir, 'resumed', name)
    const result = await downloadFile({ http: cutThenWhole, url: `${server.url}/files/${name}`, dest, expected: { sha256: [createHash('sha256').update(original).digest('hex')] } })
    expect(result.size).toBe(original.length)
    expect((await logOf(2)).map((e) => [e.status, e.range])).toEqual([
      [200, ''],
      [206, 'bytes=10000-'],
    ])
  })

  it('leaves no complete-looking file when killed mid-way, and succeeds when run again', async () => {
    const name = 'big-1.0-py3-none-any.whl'
    const out = join(dir, 'killed')
    const dest = join(out, name)
    const script = fileURLToPath(new URL('./support/download-child.mjs', import.meta.url))
    const child = spawn(process.execPath, [script, `${server.url}/slow/20000/files/${name}`, dest], { stdio: ['ignore', 'pipe', 'inherit'] })
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('progress')) resolve()
      })
      child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)))
    })
    child.kill('SIGKILL')
    await new Promise((resolve) => child.once('exit', resolve))
    const left = await readdir(out)
    expect(left).not.toContain(name)
    expect(left.every((n) => n.endsWith('.part'))).toBe(true)
    const original = await readFile(join(dir, 'root', 'files', name))
    const result = await downloadFile({ http, url: `${server.url}/files/${name}`, dest, expected: { sha256: [createHash('sha256').update(original).digest('hex')] } })
    expect(result.size).toBe(original.length)
    expect(await removeStalePartials(out, 0)).toBe(left.length)
    expect(await readdir(out)).toEqual([name])
  })
})

describe('with @pipette/cache', () => {
  it('downloads into the store once, then places the stored file (a link where possible); an edit of a linked copy is caught', async () => {
    const { openCache } = await import('@pipette/cache')
    const { downloadDistributions } = await import('../src/operations.js')
    const cache = await openCache({ dir: join(dir, 'cache-place') })
    let own = await startIndexServer({ root: join(dir, 'root') })
    const run = async (dest: string) => {
      const client = createHttpClient({ cache: cache.http, clock: noWait, retries: 0 })
      const finder = createFinder({ http: client, target, versions: pep440Versions, indexUrl: own.indexUrl })
      try {
        const [result] = await downloadDistributions({ finder, http: client, versions: pep440Versions, requests: [{ name: 'alpha', specifier: '', text: 'alpha' }], dest, store: cache.wheels })
        return result!
      } finally {
        await client.close()
      }
    }
    try {
      const first = await run(join(dir, 'place-1'))
      expect(first.status).toBe('downloaded')
      const original = await readFile(first.path)
      const stored = (await cache.wheels.list())[0]!
      expect(await readFile(stored.path)).toEqual(original)
      await own.stop()
      const second = await run(join(dir, 'place-2'))
      expect(second.status).toBe('cached') // no request: the page from the HTTP cache, the wheel from the store
      expect(await readFile(second.path)).toEqual(original)
      expect((await run(join(dir, 'place-2'))).status).toBe('already-downloaded')
      // Edited in place: when it shares the store's file (a hard link), the store sees the change and fetches again.
      const linked = (await stat(second.path)).ino === (await stat(stored.path)).ino
      const edited = Buffer.from(original)
      edited[100] = (edited[100] as number) ^ 1
      await writeFile(second.path, edited)
      own = await startIndexServer({ root: join(dir, 'root') })
      const third = await run(join(dir, 'place-3'))
      expect(third.status).toBe(linked ? 'downloaded' : 'cached')
      expect(await readFile(third.path)).toEqual(original)
    } finally {
      await own.stop()
      await cache.close()
    }
  })

  it('repeats within max-age with the server stopped: pages and metadata from the HTTP cache, wheels from the store', async () => {
    const { openCache } = await import('@pipette/cache')
    const cache = await openCache({ dir: join(dir, 'cache') })
    const own = await startIndexServer({ root: join(dir, 'root') })
    const client = createHttpClient({ cache: cache.http, clock: noWait, retries: 0 })
    try {
      const first = await page('alpha', own.indexUrl, client)
      const wheel = fileOf(first.files, 'alpha-2.0-py3-none-any.whl')
      const metadata = await fetchMetadata({ http: client, file: wheel, project: 'alpha' })
      const { downloadStream } = await import('../src/download.js')
      const stored = await cache.wheels.put(downloadStream({ http: client, url: wheel.url }), { filename: wheel.filename, expected: { sha256: wheel.hashes['sha256']! } })
      await client.flush()
      await own.stop()
      const again = await page('alpha', own.indexUrl, client)
      expect(again.files.map((f) => f.url)).toEqual(first.files.map((f) => f.url))
      const metadataAgain = await fetchMetadata({ http: client, file: wheel, project: 'alpha' })
      expect(Buffer.from(metadataAgain.metadata).equals(Buffer.from(metadata.metadata))).toBe(true)
      expect((await cache.wheels.get({ sha256: wheel.hashes['sha256']!, filename: wheel.filename }))?.path).toBe(stored.path)
      await expect(page('beta', own.indexUrl, client)).rejects.toMatchObject({ code: 'ERR_INDEX_UNREACHABLE' })
    } finally {
      await client.close()
      await own.stop()
      await cache.close()
    }
  })
})
