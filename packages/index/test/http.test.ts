import { MockAgent } from 'undici'
import { describe, expect, it } from 'vitest'
import { createCredentialStore } from '../src/credentials.js'
import type { CacheLookup, Clock, HttpCacheLike, HttpEvent } from '../src/http.js'
import { backoffMs, createHttpClient } from '../src/http.js'

function fakeClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = []
  return { sleeps, now: () => 0, sleep: async (ms) => void sleeps.push(ms) }
}

function mock() {
  const agent = new MockAgent()
  agent.disableNetConnect()
  return agent
}

function connectionReset(): Error {
  return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
}

describe('HTTP client', () => {
  it('backs off as urllib3 does with pip factor', () => {
    expect([1, 2, 3, 4, 5].map(backoffMs)).toEqual([0, 500, 1000, 2000, 4000])
  })

  it('retries 503 with backoff, then succeeds', async () => {
    const agent = mock()
    const pool = agent.get('https://index.example.com')
    pool.intercept({ path: '/simple/a/' }).reply(503, 'busy').times(2)
    pool.intercept({ path: '/simple/a/' }).reply(200, 'ok', { headers: { 'content-type': 'text/html' } })
    const clock = fakeClock()
    const events: HttpEvent[] = []
    const http = createHttpClient({ dispatcher: agent, clock, onEvent: (e) => events.push(e) })
    const response = await http.get('https://index.example.com/simple/a/')
    expect(Buffer.from(response.body).toString()).toBe('ok')
    expect(clock.sleeps).toEqual([500])
    expect(events.filter((e) => e.type === 'retry').map((e) => (e as { reason: string }).reason)).toEqual(['HTTP 503', 'HTTP 503'])
  })

  it('honours Retry-After', async () => {
    const agent = mock()
    const pool = agent.get('https://index.example.com')
    pool.intercept({ path: '/x' }).reply(503, '', { headers: { 'retry-after': '2' } })
    pool.intercept({ path: '/x' }).reply(200, 'ok')
    const clock = fakeClock()
    await createHttpClient({ dispatcher: agent, clock }).get('https://index.example.com/x')
    expect(clock.sleeps).toEqual([2000])
  })

  it('gives up after --retries with one clear, redacted error', async () => {
    const agent = mock()
    agent.get('https://index.example.com').intercept({ path: '/simple/a/' }).replyWithError(connectionReset()).times(3)
    const http = createHttpClient({ dispatcher: agent, clock: fakeClock(), retries: 2 })
    const error = await http.get('https://alice:hunter2@index.example.com/simple/a/').catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ERR_INDEX_UNREACHABLE' })
    expect((error as Error).message).toContain('https://index.example.com/simple/a/')
    expect((error as Error).message).toContain('after 3 attempts')
    expect((error as Error).message).not.toContain('hunter2')
  })

  it('returns the last 5xx after the retries as an error', async () => {
    const agent = mock()
    agent.get('https://index.example.com').intercept({ path: '/a' }).reply(500, 'no').times(2)
    const error = await createHttpClient({ dispatcher: agent, clock: fakeClock(), retries: 1 }).get('https://index.example.com/a').catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ERR_INDEX_HTTP' })
  })

  it('sends credentials to their origin and drops them on a redirect to another host', async () => {
    const agent = mock()
    const seen: Record<string, string | undefined> = {}
    agent
      .get('https://index.example.com')
      .intercept({ path: '/packages/a.whl' })
      .reply((request) => {
        seen['index'] = (request.headers as Record<string, string>)['authorization']
        return { statusCode: 302, data: '', responseOptions: { headers: { location: 'https://cdn.example.net/a.whl?sig=1' } } }
      })
    agent
      .get('https://cdn.example.net')
      .intercept({ path: '/a.whl?sig=1' })
      .reply((request) => {
        seen['cdn'] = (request.headers as Record<string, string>)['authorization'] ?? 'none'
        return { statusCode: 200, data: 'wheel' }
      })
    const events: HttpEvent[] = []
    const credentials = createCredentialStore({ urls: ['https://alice:pw@index.example.com/simple'] })
    const http = createHttpClient({ dispatcher: agent, credentials, onEvent: (e) => events.push(e) })
    const response = await http.get('https://index.example.com/packages/a.whl')
    expect(Buffer.from(response.body).toString()).toBe('wheel')
    expect(seen).toEqual({ index: `Basic ${Buffer.from('alice:pw').toString('base64')}`, cdn: 'none' })
    expect(response.url).toBe('https://cdn.example.net/a.whl?sig=1')
    expect(events).toContainEqual({ type: 'redirect', from: 'https://index.example.com/packages/a.whl', to: 'https://cdn.example.net/a.whl?sig=1', credentialsDropped: true })
  })

  it('keeps inline credentials on a same-origin redirect only', async () => {
    const agent = mock()
    const auth: (string | undefined)[] = []
    const pool = agent.get('https://index.example.com')
    pool.intercept({ path: '/simple/A/' }).reply((r) => (auth.push((r.headers as Record<string, string>)['authorization']), { statusCode: 301, data: '', responseOptions: { headers: { location: '/simple/a/' } } }))
    pool.intercept({ path: '/simple/a/' }).reply((r) => (auth.push((r.headers as Record<string, string>)['authorization']), { statusCode: 200, data: 'ok' }))
    await createHttpClient({ dispatcher: agent }).get('https://bob:pw@index.example.com/simple/A/')
    expect(auth).toEqual([`Basic ${Buffer.from('bob:pw').toString('base64')}`, `Basic ${Buffer.from('bob:pw').toString('base64')}`])
  })

  it('turns 401 and 403 into an auth error naming the redacted URL', async () => {
    const agent = mock()
    agent.get('https://index.example.com').intercept({ path: '/simple/a/' }).reply(401, 'who are you')
    const error = await createHttpClient({ dispatcher: agent }).get('https://bob:secret@index.example.com/simple/a/').catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ERR_INDEX_AUTH' })
    expect((error as Error).message).toBe('401 Unauthorized from https://index.example.com/simple/a/ (credentials were sent)')
  })

  it('returns accepted statuses (404) to the caller', async () => {
    const agent = mock()
    agent.get('https://index.example.com').intercept({ path: '/simple/nope/' }).reply(404, 'not found')
    const response = await createHttpClient({ dispatcher: agent }).get('https://index.example.com/simple/nope/', { acceptStatus: [404] })
    expect(response.status).toBe(404)
  })

  it('answers from a fresh cache entry without a request, and revalidates a stale one', async () => {
    const agent = mock()
    const conditional: (string | undefined)[] = []
    agent
      .get('https://index.example.com')
      .intercept({ path: '/simple/b/' })
      .reply((r) => (conditional.push((r.headers as Record<string, string>)['if-none-match']), { statusCode: 304, data: '' }))
    const stored = { url: 'x', status: 200, headers: { 'content-type': 'text/html' }, body: Buffer.from('cached'), stored: true }
    const cache: HttpCacheLike = {
      lookup: async (request): Promise<CacheLookup> =>
        request.url.endsWith('/a/') ? { kind: 'fresh', response: stored } : { kind: 'stale', response: stored, conditionalHeaders: { 'if-none-match': '"v1"' }, revision: '1' },
      store: async () => {
        throw new Error('nothing to store')
      },
      revalidated: async () => ({ ...stored, body: Buffer.from('revalidated') }),
    }
    const http = createHttpClient({ dispatcher: agent, cache })
    const fresh = await http.get('https://index.example.com/simple/a/')
    expect([fresh.fromCache, Buffer.from(fresh.body).toString()]).toEqual([true, 'cached'])
    const revalidated = await http.get('https://index.example.com/simple/b/')
    expect([revalidated.fromCache, Buffer.from(revalidated.body).toString()]).toEqual([false, 'revalidated'])
    expect(conditional).toEqual(['"v1"'])
  })

  it('keeps at most `concurrency` requests in flight', async () => {
    const agent = mock()
    agent.get('https://index.example.com').intercept({ path: /\/f\/\d+/ }).reply(200, 'x').persist()
    let active = 0
    let peak = 0
    const counting = {
      async request(options: Parameters<MockAgent['request']>[0]) {
        active++
        peak = Math.max(peak, active)
        await new Promise((resolve) => setTimeout(resolve, 5))
        active--
        return agent.request(options)
      },
    } as unknown as MockAgent
    const http = createHttpClient({ dispatcher: counting, concurrency: 3 })
    await Promise.all(Array.from({ length: 12 }, (_, i) => http.get(`https://index.example.com/f/${i}`)))
    expect(peak).toBe(3)
  })
})
