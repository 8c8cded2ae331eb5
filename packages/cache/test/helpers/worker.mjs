// A separate pipette process using one shared cache, for the concurrency and
// kill -9 tests. It imports the built package (dist/) as any consumer would.
// Usage: node worker.mjs '<json task>'; prints one JSON line with its results.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { request } from 'node:http'
import { BUCKETS, cachedRequest, openCache } from '../../dist/index.js'

const task = JSON.parse(process.argv[2])
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const say = (value) => process.stdout.write(`${JSON.stringify(value)}\n`)

function send(req) {
  const url = new URL(req.url)
  return new Promise((resolve, reject) => {
    const r = request({ host: url.hostname, port: url.port, path: url.pathname, method: req.method, headers: req.headers, agent: false }, (res) =>
      resolve({ status: res.statusCode, headers: res.headers, body: res }),
    )
    r.on('error', reject)
    r.end()
  })
}

// Start together: wait for the barrier file.
if (task.barrier) while (!existsSync(task.barrier)) await sleep(5)

if (task.mode === 'fill') {
  const cache = await openCache({ dir: task.cacheDir }) // the default unpacker: @pipette/wheel's reader
  const out = { wheels: [], archives: [], pages: [] }
  // Each process goes through the work in its own order, to mix the races.
  const order = (list) => list.map((item, i) => [item, (i * 7 + task.index * 3) % list.length]).sort((a, b) => a[1] - b[1]).map(([item]) => item)
  for (const wheel of order(task.wheels)) {
    const stored = await cache.wheels.putFile(wheel, {})
    out.wheels.push({ sha256: stored.sha256, path: stored.path })
    const archive = await cache.archives.ensure({ sha256: stored.sha256, wheelPath: stored.path, filename: stored.filename })
    out.archives.push({ sha256: stored.sha256, created: archive.created, files: archive.manifest.files.length })
  }
  for (const url of order(task.pages)) {
    const page = await cachedRequest(cache.http, { url }, send)
    out.pages.push({ url, from: page.from, length: page.body.length })
  }
  say(out)
} else if (task.mode === 'slow-wheel') {
  // Streams a wheel into the store and never finishes: the test kills us.
  const cache = await openCache({ dir: task.cacheDir })
  async function* slow() {
    yield Buffer.alloc(64 * 1024, 7)
    // The write stream opens its temporary asynchronously: announce once it exists.
    const tmp = join(task.cacheDir, BUCKETS.wheels, '.tmp')
    while (!existsSync(tmp) || readdirSync(tmp).length === 0) await sleep(5)
    say({ writing: true })
    for (;;) {
      await sleep(50)
      yield Buffer.alloc(1024, 7)
    }
  }
  await cache.wheels.put(slow(), { filename: 'slow-1.0-py3-none-any.whl' })
} else if (task.mode === 'slow-page') {
  const cache = await openCache({ dir: task.cacheDir })
  const response = await send({ url: task.url, method: 'GET', headers: {} })
  let announced = false
  async function* tee() {
    for await (const chunk of response.body) {
      yield chunk
      if (!announced) {
        announced = true
        say({ writing: true })
      }
    }
  }
  await cache.http.store({ url: task.url }, response, tee())
} else if (task.mode === 'slow-unpack') {
  // Holds the archive lock while unpacking forever.
  const cache = await openCache({
    dir: task.cacheDir,
    unpack: async (_wheel, dest) => {
      const { writeFile } = await import('node:fs/promises')
      await writeFile(`${dest}/partial.py`, 'x = 1\n')
      say({ writing: true })
      for (;;) await sleep(1000)
    },
  })
  await cache.archives.ensure({ sha256: task.sha256, wheelPath: task.wheel, filename: task.wheel.split('/').pop() })
}
