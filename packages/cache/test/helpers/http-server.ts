import { request as httpRequest, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { IncomingResponse, OutgoingRequest } from '../../src/index.js'

export interface SeenRequest {
  readonly url: string
  readonly headers: IncomingMessage['headers']
}

export interface TestServer {
  readonly origin: string
  readonly seen: SeenRequest[]
  close(): Promise<void>
}

/** A real HTTP server on 127.0.0.1 (an ephemeral port) recording every request it gets. */
export async function startServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const seen: SeenRequest[] = []
  const server: Server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers })
    handler(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** `send` for cachedRequest over node:http (credentials in the URL become Basic auth, as an index client does). */
export function send(request: OutgoingRequest): Promise<IncomingResponse> {
  const url = new URL(request.url)
  const headers: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(request.headers)) headers[name] = typeof value === 'string' ? value : [...value]
  if (url.username !== '') headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: request.method, headers, agent: false },
      (res) => resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string | string[]>, body: res }),
    )
    req.on('error', reject)
    req.end()
  })
}
