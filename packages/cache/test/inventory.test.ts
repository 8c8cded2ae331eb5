import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cacheInfo, cachedRequest, listWheels, openCache, purgeCache, removeWheels } from '../src/index.js'
import { send, startServer } from './helpers/http-server.js'
import { copyFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { DEBIAN_WHEELS } from './helpers/wheels.js'

async function filledCache() {
  const dir = mkdtempSync(join(tmpdir(), 'pipette-inv-'))
  // The inventory only needs unpacked trees to exist: a one-file tree is enough.
  const cache = await openCache({ dir, unpack: (wheel, dest) => copyFile(wheel, join(dest, basename(wheel))) })
  for (const name of readdirSync(DEBIAN_WHEELS)) {
    const stored = await cache.wheels.putFile(join(DEBIAN_WHEELS, name), {})
    await cache.archives.ensure({ sha256: stored.sha256, wheelPath: stored.path, filename: stored.filename })
  }
  const server = await startServer((_req, res) => res.writeHead(200, { 'cache-control': 'max-age=60' }).end('x'.repeat(2000)))
  await cachedRequest(cache.http, { url: `${server.origin}/simple/a/` }, send)
  await server.close()
  return { dir, cache }
}

describe('cache inventory (pip cache info/list/remove/purge over pipette buckets)', () => {
  it('reports buckets, lists wheels with pip patterns, removes wheels with their unpacked trees, purges', async () => {
    const { dir } = await filledCache()
    const info = await cacheInfo(dir)
    expect(info.http.location).toBe(join(dir, 'http-cache-v2'))
    expect(info.http.count).toBe(1) // one file per response, as pip counts files
    expect(info.http.size).toBeGreaterThan(2000)
    expect(info.wheels.count).toBe(3)
    expect(info.wheels.size).toBe(1698754 + 1261745 + 36047)
    expect(info.archives.count).toBe(3)

    expect((await listWheels(dir)).map((wheel) => wheel.filename).sort()).toEqual([
      'pip-23.0.1-py3-none-any.whl',
      'setuptools-66.1.1-py3-none-any.whl',
      'wheel-0.38.4-py3-none-any.whl',
    ])
    expect((await listWheels(dir, 'pip')).map((wheel) => wheel.filename)).toEqual(['pip-23.0.1-py3-none-any.whl'])
    expect((await listWheels(dir, 'pip-23.0')).map((wheel) => wheel.filename)).toEqual(['pip-23.0.1-py3-none-any.whl'])
    expect(await listWheels(dir, 'pi')).toEqual([])
    expect((await listWheels(dir, '[pw]*')).length).toBe(2)

    const wheel = (await listWheels(dir, 'wheel'))[0]
    const removed = await removeWheels(dir, 'wheel')
    expect(removed.files).toEqual([wheel?.path])
    expect(removed.bytes).toBe(36047)
    expect(removed.directories).toBe(2) // its hash directory and its unpacked tree (its shard still holds pip's wheel)
    expect(existsSync(join(dir, 'archives-v1', wheel?.sha256 as string))).toBe(false)
    expect((await cacheInfo(dir)).archives.count).toBe(2)
    expect(await removeWheels(dir, 'nothing-here')).toEqual({ files: [], bytes: 0, directories: 0 })

    // An entry of the retired format (http-v1: metadata and body files) goes with a purge too.
    mkdirSync(join(dir, 'http-v1', 'ab', 'cd'), { recursive: true })
    writeFileSync(join(dir, 'http-v1', 'ab', 'cd', 'abcd.json'), '{}')
    const purged = await purgeCache(dir)
    expect(purged.files).toHaveLength(2 + 1 + 1)
    expect(readdirSync(join(dir, 'http-v1'))).toEqual([])
    expect(purged.bytes).toBeGreaterThan(1698754 + 1261745)
    const after = await cacheInfo(dir)
    expect([after.http.count, after.wheels.count, after.archives.count]).toEqual([0, 0, 0])
    expect(after.wheels.size + after.archives.size).toBe(0)
  })
})
