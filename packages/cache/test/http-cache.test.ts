import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cachedRequest, createHttpCache, httpCacheKey, type HttpCacheOptions } from '../src/index.js'
import { send, startServer, type TestServer } from './helpers/http-server.js'

function allFiles(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...allFiles(full))
    else out.push(full)
  }
  return out
}

/** A page whose ETag is the hash of its content; answers If-None-Match with 304. */
function pageServer(state: { body: string; cacheControl?: string; etag?: boolean; lastModified?: string }) {
  return startServer((req, res) => {
    const etag = `"${createHash('sha256').update(state.body).digest('hex').slice(0, 16)}"`
    const headers: Record<string, string> = { 'content-type': 'application/vnd.pypi.simple.v1+json' }
    if (state.cacheControl !== undefined) headers['cache-control'] = state.cacheControl
    if (state.etag !== false) headers.etag = etag
    if (state.lastModified !== undefined) headers['last-modified'] = state.lastModified
    if (state.etag !== false && req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers).end()
      return
    }
    if (state.lastModified !== undefined && req.headers['if-modified-since'] === state.lastModified) {
      res.writeHead(304, headers).end()
      return
    }
    res.writeHead(200, headers).end(state.body)
  })
}

describe('HTTP cache (RFC 9111 via http-cache-semantics) against a real server', () => {
  let dir: string
  let server: TestServer | undefined
  let clock = Date.parse('2025-01-01T00:00:00Z')
  const now = () => clock
  const open = (extra: Partial<HttpCacheOptions> = {}) => createHttpCache({ dir, now, ...extra })

  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'pipette-http-')), 'http-cache-v2')
    clock = Date.parse('2025-01-01T00:00:00Z')
  })
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  it('serves a repeat within max-age without any request, then revalidates with If-None-Match', async () => {
    const state = { body: '{"v":1}', cacheControl: 'max-age=600' }
    server = await pageServer(state)
    const cache = open()
    const url = `${server.origin}/simple/six/`
    const first = await cachedRequest(cache, { url, project: 'six' }, send)
    expect(first.from).toBe('network')
    expect(first.body.toString()).toBe('{"v":1}')
    expect(first.stored).toBe(true)

    clock += 300_000
    const second = await cachedRequest(cache, { url, project: 'six' }, send)
    expect(second.from).toBe('cache')
    expect(second.body.toString()).toBe('{"v":1}')
    expect(server.seen).toHaveLength(1)

    clock += 600_000 // stale now
    const third = await cachedRequest(cache, { url, project: 'six' }, send)
    expect(third.from).toBe('revalidated')
    expect(third.body.toString()).toBe('{"v":1}')
    expect(server.seen).toHaveLength(2)
    expect(server.seen[1]?.headers['if-none-match']).toMatch(/^"[0-9a-f]{16}"$/)

    // The 304 renewed the stored policy: fresh again for another max-age.
    clock += 300_000
    expect((await cachedRequest(cache, { url, project: 'six' }, send)).from).toBe('cache')
    expect(server.seen).toHaveLength(2)
  })

  it('serves a fresh entry with the server stopped', async () => {
    server = await pageServer({ body: 'page', cacheControl: 'max-age=600' })
    const url = `${server.origin}/simple/a/`
    await cachedRequest(open(), { url }, send)
    await server.close()
    server = undefined
    clock += 10_000
    const again = await cachedRequest(open(), { url }, () => Promise.reject(new Error('no request expected')))
    expect(again.from).toBe('cache')
    expect(again.body.toString()).toBe('page')
  })

  it('revalidates with If-Modified-Since when there is no ETag, and replaces a changed page', async () => {
    const state = { body: 'one', etag: false, lastModified: 'Tue, 01 Oct 2024 10:00:00 GMT', cacheControl: 'max-age=60' }
    server = await pageServer(state)
    const cache = open()
    const url = `${server.origin}/simple/b/`
    await cachedRequest(cache, { url }, send)
    clock += 120_000
    const revalidated = await cachedRequest(cache, { url }, send)
    expect(revalidated.from).toBe('revalidated')
    expect(server.seen[1]?.headers['if-modified-since']).toBe(state.lastModified)

    clock += 120_000
    state.body = 'two'
    state.lastModified = 'Wed, 02 Oct 2024 10:00:00 GMT'
    const changed = await cachedRequest(cache, { url }, send)
    expect(changed.from).toBe('network')
    expect(changed.body.toString()).toBe('two')
    // One entry, one file (header line + new body), in its shard; nothing else left.
    const key = httpCacheKey(url)
    expect(allFiles(dir)).toEqual([join(dir, key.slice(0, 1), key)])
    const file = readFileSync(join(dir, key.slice(0, 1), key))
    const header = JSON.parse(file.subarray(0, file.indexOf(10)).toString()) as { v: number; url: string; body: { sha256: string; size: number } }
    expect(header).toMatchObject({ v: 2, url, body: { sha256: createHash('sha256').update('two').digest('hex'), size: 3 } })
    expect(file.subarray(file.indexOf(10) + 1).toString()).toBe('two')
  })

  it('revalidates a response without Cache-Control every time (no heuristic freshness)', async () => {
    server = await pageServer({ body: 'static', lastModified: 'Tue, 01 Oct 2024 10:00:00 GMT' })
    const cache = open()
    const url = `${server.origin}/simple/c/`
    expect((await cachedRequest(cache, { url }, send)).from).toBe('network')
    expect((await cachedRequest(cache, { url }, send)).from).toBe('revalidated')
    expect(server.seen).toHaveLength(2)
  })

  it('honours a request max-age=0 (always revalidate) and no-store responses', async () => {
    const state = { body: 'x', cacheControl: 'max-age=600' }
    server = await pageServer(state)
    const cache = open()
    const url = `${server.origin}/simple/d/`
    await cachedRequest(cache, { url }, send)
    clock += 1000
    const forced = await cachedRequest(cache, { url, headers: { 'cache-control': 'max-age=0' } }, send)
    expect(forced.from).toBe('revalidated')
    expect((await cachedRequest(cache, { url, headers: { 'cache-control': 'no-cache' } }, send)).from).toBe('revalidated')

    state.cacheControl = 'no-store'
    const other = `${server.origin}/simple/e/`
    const first = await cachedRequest(cache, { url: other }, send)
    expect(first.stored).toBe(false)
    expect((await cachedRequest(cache, { url: other }, send)).from).toBe('network')
  })

  it('--refresh revalidates every entry once per process; --refresh-package only that project', async () => {
    server = await pageServer({ body: 'p', cacheControl: 'max-age=600' })
    const six = `${server.origin}/simple/six/`
    const attrs = `${server.origin}/simple/attrs/`
    const before = open()
    await cachedRequest(before, { url: six, project: 'six' }, send)
    await cachedRequest(before, { url: attrs, project: 'attrs' }, send)
    expect(server.seen).toHaveLength(2)

    clock += 1000
    const refreshed = open({ refresh: { packages: ['SIX'] } })
    expect((await cachedRequest(refreshed, { url: six, project: 'six' }, send)).from).toBe('revalidated')
    expect((await cachedRequest(refreshed, { url: attrs, project: 'attrs' }, send)).from).toBe('cache')
    expect((await cachedRequest(refreshed, { url: six, project: 'six' }, send)).from).toBe('cache') // once
    expect(server.seen).toHaveLength(3)

    clock += 1000
    const all = open({ refresh: { all: true } })
    expect((await cachedRequest(all, { url: attrs }, send)).from).toBe('revalidated')
    expect((await cachedRequest(all, { url: attrs }, send)).from).toBe('cache')
  })

  it('keeps credentials out of keys, file names and files', async () => {
    server = await pageServer({ body: 'secret page', cacheControl: 'max-age=600' })
    const url = server.origin.replace('http://', 'http://alice:s3cr3t-pw@') + '/simple/private/#frag'
    const cache = open()
    const first = await cachedRequest(cache, { url, headers: { accept: 'text/html', cookie: 'session=c00kie-val' } }, send)
    expect(first.from).toBe('network')
    expect(server.seen[0]?.headers.authorization).toMatch(/^Basic /)
    expect(first.url).not.toContain('s3cr3t')
    expect(httpCacheKey(url)).toBe(httpCacheKey(`${server.origin}/simple/private/`))
    for (const file of allFiles(dir)) {
      expect(file).not.toContain('s3cr3t')
      const text = readFileSync(file, 'latin1')
      expect(text).not.toContain('s3cr3t')
      expect(text).not.toContain('alice')
      expect(text).not.toContain('c00kie')
      expect(text).not.toContain(Buffer.from('alice:s3cr3t-pw').toString('base64'))
    }
    // The same page without credentials in the URL hits the same entry.
    expect((await cachedRequest(cache, { url: `${server.origin}/simple/private/` }, send)).from).toBe('cache')
  })

  it('detects a damaged body by its hash, evicts it and fetches again', async () => {
    server = await pageServer({ body: 'good body', cacheControl: 'max-age=600' })
    const cache = open()
    const url = `${server.origin}/simple/f/`
    await cachedRequest(cache, { url }, send)
    const entry = allFiles(dir)[0] as string
    const stored = readFileSync(entry)
    writeFileSync(entry, Buffer.concat([stored.subarray(0, stored.length - 9), Buffer.from('evil body')])) // same size, other bytes
    expect(await cache.verify(url)).toBe('corrupt')
    const again = await cachedRequest(cache, { url }, send)
    expect(again.from).toBe('network')
    expect(again.body.toString()).toBe('good body')
    expect(await cache.verify(url)).toBe('ok')

    const good = readFileSync(allFiles(dir)[0] as string)
    writeFileSync(allFiles(dir)[0] as string, good.subarray(0, good.length - 2)) // torn: shorter than its header says
    expect(await cache.verify(url)).toBe('corrupt')
    expect((await cachedRequest(cache, { url }, send)).from).toBe('network')
    writeFileSync(allFiles(dir)[0] as string, '{"v":2,')
    expect((await cache.lookup({ url })).kind).toBe('miss') // and evicted
    expect(allFiles(dir).filter((file) => !file.split('/').pop()?.startsWith('.'))).toEqual([])
    expect(await cache.verify(url)).toBe('missing')
    await cachedRequest(cache, { url }, send)
    expect(await cache.evict(url)).toBe(true)
    expect(await cache.verify(url)).toBe('missing')
  })

  it('streams a large body to disk and serves it back intact', async () => {
    const big = Buffer.alloc(6 * 1024 * 1024)
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32LE(i, i)
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'cache-control': 'max-age=600', etag: '"big"' })
      let offset = 0
      const push = () => {
        while (offset < big.length) {
          const chunk = big.subarray(offset, offset + 65536)
          offset += chunk.length
          if (!res.write(chunk)) return void res.once('drain', push)
        }
        res.end()
      }
      push()
    })
    const cache = open()
    const url = `${server.origin}/big.json`
    const first = await cachedRequest(cache, { url }, send)
    expect(first.body.equals(big)).toBe(true)
    const entryFile = allFiles(dir)[0] as string
    expect(statSync(entryFile).size).toBeGreaterThan(big.length)
    expect(readFileSync(entryFile).subarray(-big.length).equals(big)).toBe(true)
    const again = await cachedRequest(cache, { url }, send)
    expect(again.from).toBe('cache')
    expect(again.body.equals(big)).toBe(true)
  })

  it('lets racing writers of one URL replace each other without a lock: one complete entry remains', async () => {
    let n = 0
    server = await startServer((_req, res) => {
      n += 1
      res.writeHead(200, { 'cache-control': 'max-age=600', etag: `"v${n}"` }).end(`version ${n} `.repeat(1000 + n))
    })
    const url = `${server.origin}/simple/race/`
    const caches = Array.from({ length: 6 }, () => open())
    const results = await Promise.all(caches.map((cache) => cachedRequest(cache, { url, headers: { 'cache-control': 'no-cache' } }, send)))
    const bodies = new Set(results.map((result) => result.body.toString()))
    expect(bodies.size).toBe(6)
    expect(allFiles(dir)).toHaveLength(1) // no temporary left behind
    const found = await open().lookup({ url })
    expect(found.kind).toBe('fresh')
    expect(bodies.has(found.kind === 'fresh' ? found.response.body.toString() : '')).toBe(true)
    expect(await open().verify(url)).toBe('ok')
  })

  it('does nothing when disabled (--no-cache-dir)', async () => {
    server = await pageServer({ body: 'n', cacheControl: 'max-age=600' })
    const cache = createHttpCache({ dir: null })
    const url = `${server.origin}/simple/g/`
    expect((await cachedRequest(cache, { url }, send)).stored).toBe(false)
    expect((await cachedRequest(cache, { url }, send)).from).toBe('network')
    expect(server.seen).toHaveLength(2)
  })

  it('does not cache range requests or other methods', async () => {
    server = await pageServer({ body: 'r', cacheControl: 'max-age=600' })
    const cache = open()
    const url = `${server.origin}/x.whl`
    expect(cache.isStorable({ url, headers: { range: 'bytes=0-1' } }, { status: 206, headers: {} })).toBe(false)
    expect(cache.isStorable({ url, method: 'HEAD' }, { status: 200, headers: { 'cache-control': 'max-age=60' } })).toBe(false)
    expect((await cache.lookup({ url, headers: { range: 'bytes=0-1' } })).kind).toBe('miss')
  })
})
