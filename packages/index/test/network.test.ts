/**
 * TLS and proxies, against real servers started here: an HTTPS server with a
 * certificate from a throwaway CA (made with openssl), one that requires a
 * client certificate, and a CONNECT proxy in front of them.
 */
import { execFileSync } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer as createHttpServer } from 'node:http'
import type { Server as HttpServer } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { Server as HttpsServer } from 'node:https'
import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Clock } from '../src/http.js'
import { createHttpClient } from '../src/http.js'

const noWait: Clock = { now: () => Date.now(), sleep: async () => {} }
let dir: string
let ca: string
let clientPem: string
let plain: HttpsServer
let mutual: HttpsServer
let proxy: HttpServer
const tunnels: string[] = []

function openssl(args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' })
}

async function listen(server: HttpsServer | HttpServer): Promise<number> {
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return (server.address() as AddressInfo).port
}

const url = (server: HttpsServer, path = '/simple/demo/') => `https://127.0.0.1:${(server.address() as AddressInfo).port}${path}`

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipette-tls-'))
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=pipette test CA'])
  await writeFile(join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n')
  for (const name of ['server', 'client']) {
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name === 'server' ? '127.0.0.1' : 'pipette client'}`])
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', ...(name === 'server' ? ['-extfile', 'san.cnf'] : [])])
  }
  ca = join(dir, 'ca.pem')
  clientPem = join(dir, 'client-combined.pem')
  await writeFile(clientPem, `${await readFile(join(dir, 'client.key'), 'utf8')}${await readFile(join(dir, 'client.pem'), 'utf8')}`)
  const tls = { key: await readFile(join(dir, 'server.key')), cert: await readFile(join(dir, 'server.pem')) }
  const answer = (_: unknown, res: import('node:http').ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/html' })
    res.end('<a href="demo-1.0.tar.gz">demo-1.0.tar.gz</a>')
  }
  plain = createHttpsServer(tls, answer)
  mutual = createHttpsServer({ ...tls, ca: await readFile(ca), requestCert: true, rejectUnauthorized: true }, answer)
  proxy = createHttpServer((_, res) => res.writeHead(405).end())
  proxy.on('connect', (request: import('node:http').IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => {
    tunnels.push(request.url ?? '')
    const [host, port] = (request.url ?? '').split(':')
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(socket)
      socket.pipe(upstream)
    })
    upstream.on('error', () => socket.destroy())
    socket.on('error', () => upstream.destroy())
  })
  await Promise.all([listen(plain), listen(mutual), listen(proxy)])
}, 60_000)

afterAll(async () => {
  for (const server of [plain, mutual, proxy]) {
    server?.closeAllConnections()
    server?.close()
  }
  await rm(dir, { recursive: true, force: true })
})

async function fetchText(options: Parameters<typeof createHttpClient>[0], target: string): Promise<string> {
  const http = createHttpClient({ clock: noWait, retries: 1, ...options })
  try {
    return Buffer.from((await http.get(target)).body).toString()
  } finally {
    await http.close()
  }
}

describe('TLS', () => {
  it('refuses an unknown CA with one clear error and a hint', async () => {
    const error = await fetchText({ network: { env: {} } }, url(plain)).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ERR_INDEX_TLS' })
    expect((error as Error).message).toContain(`could not establish a trusted TLS connection to ${url(plain)}`)
    expect((error as { hint: string }).hint).toContain('--cert')
  })

  it('trusts the CA bundle of --cert, and of REQUESTS_CA_BUNDLE', async () => {
    expect(await fetchText({ network: { cert: ca, env: {} } }, url(plain))).toContain('demo-1.0.tar.gz')
    expect(await fetchText({ network: { env: { REQUESTS_CA_BUNDLE: ca } } }, url(plain))).toContain('demo-1.0.tar.gz')
  })

  it('says so when the CA bundle cannot be read', async () => {
    await expect(fetchText({ network: { cert: join(dir, 'missing.pem'), env: {} } }, url(plain))).rejects.toMatchObject({ code: 'ERR_CERT_FILE' })
  })

  it('skips verification for --trusted-host (host, or host:port)', async () => {
    const port = (plain.address() as AddressInfo).port
    expect(await fetchText({ network: { trustedHosts: ['127.0.0.1'], env: {} } }, url(plain))).toContain('demo')
    expect(await fetchText({ network: { trustedHosts: [`127.0.0.1:${port}`], env: {} } }, url(plain))).toContain('demo')
    await expect(fetchText({ network: { trustedHosts: ['127.0.0.1:1'], env: {} } }, url(plain))).rejects.toMatchObject({ code: 'ERR_INDEX_TLS' })
  })

  it('presents --client-cert to a server that requires one', async () => {
    expect(await fetchText({ network: { cert: ca, clientCert: clientPem, env: {} } }, url(mutual))).toContain('demo')
    await expect(fetchText({ network: { cert: ca, env: {} } }, url(mutual))).rejects.toBeInstanceOf(Error)
  })
})

describe('proxies', () => {
  it('tunnels through --proxy, and through HTTPS_PROXY unless NO_PROXY matches', async () => {
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
    const target = `127.0.0.1:${(plain.address() as AddressInfo).port}`
    tunnels.length = 0
    expect(await fetchText({ network: { proxy: proxyUrl, cert: ca, env: {} } }, url(plain))).toContain('demo')
    expect(tunnels).toEqual([target])
    tunnels.length = 0
    expect(await fetchText({ network: { cert: ca, env: { HTTPS_PROXY: proxyUrl } } }, url(plain))).toContain('demo')
    expect(tunnels).toEqual([target])
    tunnels.length = 0
    expect(await fetchText({ network: { cert: ca, env: { https_proxy: proxyUrl, NO_PROXY: '127.0.0.1' } } }, url(plain))).toContain('demo')
    expect(tunnels).toEqual([])
  })
})

describe('timeouts (--timeout), on the default transport', () => {
  it('gives up on a server that never answers, and on a body that stalls, after the retries', async () => {
    let requests = 0
    const stalling = createHttpServer((request, res) => {
      requests += 1
      if (request.url === '/silent/') return // never answers
      res.writeHead(200, { 'content-length': '1000' })
      res.write('x'.repeat(10)) // then nothing more
    })
    await listen(stalling)
    const base = `http://127.0.0.1:${(stalling.address() as AddressInfo).port}`
    try {
      const silent = await fetchText({ timeout: 0.2, network: { env: {} } }, `${base}/silent/`).catch((e: unknown) => e)
      expect(silent).toMatchObject({ code: 'ERR_INDEX_UNREACHABLE' })
      expect((silent as Error).message).toMatch(/ETIMEDOUT|within 0\.2 s/)
      expect(requests).toBe(2) // the first attempt and one retry
      requests = 0
      const stalled = await fetchText({ timeout: 0.2, network: { env: {} } }, `${base}/stalled/`).catch((e: unknown) => e)
      expect(stalled).toMatchObject({ code: 'ERR_INDEX_UNREACHABLE' })
      expect(requests).toBe(2)
    } finally {
      stalling.closeAllConnections()
      stalling.close()
    }
  })
})
