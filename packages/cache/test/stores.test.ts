import { createHash } from 'node:crypto'
import { createReadStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import { createArchiveStore, createWheelStore, forgetLinkMethods, hashFile, linkTree, listTree, openCache, unpackWheel } from '../src/index.js'
import { buildWheel } from '@pipette/fixtures'
import { DEBIAN_WHEELS } from './helpers/wheels.js'

const WHEEL_NAME = 'wheel-0.38.4-py3-none-any.whl'
const WHEEL = join(DEBIAN_WHEELS, WHEEL_NAME)
const made: string[] = []
const fresh = (name: string, parent = tmpdir()) => {
  const dir = mkdtempSync(join(parent, `pipette-${name}-`))
  made.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true })
})
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex')

describe('wheel store', () => {
  it('streams a download in, files it under its sha256 and verifies it when read', async () => {
    const store = createWheelStore({ dir: join(fresh('wheels'), 'wheels-v2') })
    const bytes = readFileSync(WHEEL)
    const digest = sha256(bytes)
    const stored = await store.put(createReadStream(WHEEL), { filename: 'wheel-0.38.4-py3-none-any.whl', expected: { sha256: digest } })
    expect(stored.sha256).toBe(digest)
    expect(stored.path).toBe(join(store.dir, digest.slice(0, 1), digest, 'wheel-0.38.4-py3-none-any.whl'))
    expect(stored.size).toBe(bytes.length)
    expect((await store.get({ sha256: digest, filename: stored.filename }))?.path).toBe(stored.path)
    expect(await store.list()).toEqual([stored])
    // Only the entry: no temporary left behind.
    expect(readdirSync(join(store.dir, '.tmp'))).toEqual([])
  })

  it('rejects bytes that match no expected hash and keeps nothing', async () => {
    const store = createWheelStore({ dir: join(fresh('wheels'), 'wheels-v2') })
    const wrong = 'a'.repeat(64)
    await expect(store.put(Readable.from([Buffer.from('not this')]), { filename: 'x-1-py3-none-any.whl', expected: { sha256: [wrong, 'b'.repeat(64)] }, source: 'https://u:pw@host/x.whl' })).rejects.toMatchObject({
      code: 'ERR_CACHE_HASH_MISMATCH',
      message: expect.stringContaining(`got sha256:${sha256('not this')}`),
      digests: { sha256: sha256('not this') },
    })
    await expect(store.put(Readable.from([Buffer.from('not this')]), { filename: 'x-1-py3-none-any.whl', expected: { sha256: wrong }, source: 'https://u:pw@host/x.whl' })).rejects.toThrow(/u:\*\*\*\*@host/)
    // Any one matching algorithm is enough (pip's --hash semantics).
    const ok = await store.put(Readable.from([Buffer.from('this')]), {
      filename: 'x-1-py3-none-any.whl',
      expected: { sha256: wrong, sha512: createHash('sha512').update('this').digest('hex') },
    })
    expect(ok.sha256).toBe(sha256('this'))
    expect((await store.list()).map((wheel) => wheel.sha256)).toEqual([sha256('this')])
    expect(readdirSync(join(store.dir, '.tmp'))).toEqual([])
  })

  it('keeps nothing of a download that fails half-way', async () => {
    const store = createWheelStore({ dir: join(fresh('wheels'), 'wheels-v2') })
    async function* broken() {
      yield Buffer.alloc(1000, 1)
      throw new Error('connection reset')
    }
    await expect(store.put(broken(), { filename: 'y-1-py3-none-any.whl' })).rejects.toThrow('connection reset')
    expect(await store.list()).toEqual([])
    expect(readdirSync(join(store.dir, '.tmp'))).toEqual([])
  })

  it('detects a damaged wheel by its hash and evicts it, so it is fetched again', async () => {
    const store = createWheelStore({ dir: join(fresh('wheels'), 'wheels-v2') })
    const stored = await store.putFile(WHEEL, {})
    expect(stored.sha256).toBe(await hashFile(WHEEL))
    const damaged = readFileSync(stored.path)
    damaged[1000] = (damaged[1000] as number) ^ 0xff
    writeFileSync(stored.path, damaged)
    expect(await store.verify(stored)).toBe('corrupt')
    expect(await store.get(stored, { verify: false })).toBeDefined()
    expect(await store.get(stored)).toBeUndefined()
    expect(existsSync(stored.path)).toBe(false)
    expect(await store.verify(stored)).toBe('missing')
  })

  it('stores the same bytes from racing writers without a lock, and verifies large files by streaming', async () => {
    const store = createWheelStore({ dir: join(fresh('wheels'), 'wheels-v2') })
    const big = Buffer.alloc(9 * 1024 * 1024) // above the one-read limit
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32LE(i, i)
    const stored = await Promise.all(Array.from({ length: 4 }, () => store.put(Readable.from([big.subarray(0, 5e6), big.subarray(5e6)]), { filename: 'big-1-py3-none-any.whl' })))
    expect(new Set(stored.map((wheel) => wheel.path)).size).toBe(1)
    expect(await store.list()).toEqual([stored[0]])
    expect(readdirSync(join(store.dir, '.tmp'))).toEqual([])
    expect(await store.verify(stored[0]!)).toBe('ok')
    big[7e6] = (big[7e6] as number) ^ 1
    writeFileSync(stored[0]!.path, big)
    expect(await store.get(stored[0]!)).toBeUndefined()
    expect(await store.list()).toEqual([])
  })

  it('trusts a stamped file with a stat, hashes it again after a change or a reboot', async () => {
    const dir = join(fresh('wheels'), 'wheels-v2')
    const store = createWheelStore({ dir })
    const stored = await store.putFile(WHEEL, {})
    const info = statSync(stored.path, { bigint: true })
    // The stamp: mtime = a whole second + k / 2^20, k from the sha256.
    const k = (parseInt(stored.sha256.slice(0, 5), 16) % (2 ** 20 - 1)) + 1
    expect(Math.round((Number(info.mtimeNs % 1_000_000_000n) * 2 ** 20) / 1e9)).toBe(k)
    expect(await store.get(stored)).toMatchObject({ path: stored.path })

    // An edit whose mtime is forged back to the stamp is trusted by get (a stat, no hash) but not by verify...
    const bytes = readFileSync(stored.path)
    bytes[500] = (bytes[500] as number) ^ 1
    writeFileSync(stored.path, bytes)
    expect(await store.get(stored)).toBeUndefined() // a plain edit loses the stamp: hashed, corrupt, evicted
    const again = await store.putFile(WHEEL, {})
    writeFileSync(again.path, bytes)
    const forged = Number(info.mtimeNs / 1_000_000_000n) + k / 2 ** 20
    utimesSync(again.path, forged, forged)
    expect(await store.get(again)).toBeDefined()
    expect(await store.verify(again)).toBe('corrupt')
    // ...and a file last changed before the machine booted (a crash may have torn it) is hashed again.
    const rebooted = createWheelStore({ dir, bootTimeMs: Date.now() + 60_000 })
    expect(await rebooted.get(again)).toBeUndefined()
    expect(existsSync(again.path)).toBe(false)
    const good = await store.putFile(WHEEL, {})
    expect(await rebooted.get(good)).toMatchObject({ path: good.path }) // hashed, good
  })

  it('refuses unsafe file names and malformed hashes', async () => {
    const store = createWheelStore({ dir: join(fresh('wheels'), 'wheels-v2') })
    await expect(store.put(Readable.from([Buffer.from('x')]), { filename: '../evil.whl' })).rejects.toMatchObject({ code: 'ERR_CACHE_INVALID' })
    await expect(store.get({ sha256: 'xyz', filename: 'a.whl' })).rejects.toMatchObject({ code: 'ERR_CACHE_INVALID' })
  })
})

describe('archive store', () => {
  it('unpacks a wheel once, with a manifest, and reuses it', async () => {
    const root = fresh('archives')
    let unpacks = 0
    const store = createArchiveStore({
      dir: join(root, 'archives-v1'),
      unpack: async (wheel, dest, options) => {
        unpacks += 1
        return unpackWheel(wheel, dest, options)
      },
    })
    const digest = await hashFile(WHEEL)
    const first = await store.ensure({ sha256: digest, wheelPath: WHEEL, filename: 'wheel-0.38.4-py3-none-any.whl' })
    expect(first.created).toBe(true)
    expect(first.tree).toBe(join(root, 'archives-v1', digest, 'tree'))
    const files = await listTree(first.tree)
    expect(files).toContain('wheel/__init__.py')
    expect(files).toContain('wheel-0.38.4.dist-info/RECORD')
    expect(first.manifest.files.map((file) => file.path)).toEqual(files)
    const init = first.manifest.files.find((file) => file.path === 'wheel/__init__.py')
    expect(init?.sha256).toBe(sha256(readFileSync(join(first.tree, 'wheel', '__init__.py'))))
    const second = await store.ensure({ sha256: digest, wheelPath: WHEEL, filename: 'wheel-0.38.4-py3-none-any.whl' })
    expect(second.created).toBe(false)
    expect(unpacks).toBe(1)
    expect(await store.list()).toEqual([digest])
    expect(await store.verify(digest, { deep: true })).toBe('ok')
  })

  it('detects an edited or missing file (deep verify) and rebuilds after eviction', async () => {
    const store = createArchiveStore({ dir: join(fresh('archives'), 'archives-v1') })
    const digest = await hashFile(WHEEL)
    const archive = await store.ensure({ sha256: digest, wheelPath: WHEEL, filename: WHEEL_NAME })
    const target = join(archive.tree, 'wheel', '__init__.py')
    const text = readFileSync(target, 'utf8')
    writeFileSync(target, text.replace(/\d/, (d) => String((Number(d) + 1) % 10))) // same size, other bytes
    expect(await store.verify(digest)).toBe('ok')
    expect(await store.verify(digest, { deep: true })).toBe('corrupt')
    expect(await store.evict(digest)).toBe(true)
    expect(await store.verify(digest)).toBe('missing')
    const rebuilt = await store.ensure({ sha256: digest, wheelPath: WHEEL, filename: WHEEL_NAME })
    expect(rebuilt.created).toBe(true)
    expect(await store.verify(digest, { deep: true })).toBe('ok')
  })

  it('leaves nothing when the unpacker fails', async () => {
    const dir = join(fresh('archives'), 'archives-v1')
    const failing = createArchiveStore({
      dir,
      unpack: async (_wheel, dest) => {
        writeFileSync(join(dest, 'half'), 'x')
        throw new Error('bad zip')
      },
    })
    const digest = await hashFile(WHEEL)
    await expect(failing.ensure({ sha256: digest, wheelPath: WHEEL, filename: WHEEL_NAME })).rejects.toThrow('bad zip')
    expect(readdirSync(dir).filter((name) => !name.startsWith('.'))).toEqual([])
    expect(await failing.get(digest)).toBeUndefined()
  })

  it('unpacks with the wheel reader: RECORD is checked, executable members keep their bit', async () => {
    const out = fresh('built')
    const good = await buildWheel(
      { name: 'demo', version: '1.0', files: [{ path: 'demo/__init__.py', content: 'x = 1\n' }, { path: 'demo/tool.sh', content: '#!/bin/sh\n', mode: 0o755 }] },
      { outDir: out },
    )
    const store = createArchiveStore({ dir: join(fresh('archives'), 'archives-v1') })
    const archive = await store.ensure({ sha256: await hashFile(good), wheelPath: good, filename: 'demo-1.0-py3-none-any.whl' })
    expect(archive.manifest.files.map((file) => file.path)).toEqual(['demo-1.0.dist-info/METADATA', 'demo-1.0.dist-info/RECORD', 'demo-1.0.dist-info/WHEEL', 'demo/__init__.py', 'demo/tool.sh'])
    expect(statSync(join(archive.tree, 'demo', 'tool.sh')).mode & 0o111).not.toBe(0)
    expect(statSync(join(archive.tree, 'demo', '__init__.py')).mode & 0o111).toBe(0)
    expect(await store.verify(archive.id, { deep: true })).toBe('ok')

    const tampered = await buildWheel(
      { name: 'bad', version: '1.0', files: { 'bad/__init__.py': 'x = 1\n' }, broken: { recordWrongHash: ['bad/__init__.py'] } },
      { outDir: out },
    )
    const digest = await hashFile(tampered)
    await expect(store.ensure({ sha256: digest, wheelPath: tampered, filename: 'bad-1.0-py3-none-any.whl' })).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_WHEEL_/) })
    expect(await store.get(digest)).toBeUndefined()
    expect(readdirSync(store.dir).filter((name) => name.startsWith('.tmp-'))).toEqual([])
  })
})

describe('linkTree', () => {
  async function makeTree() {
    const from = fresh('tree')
    const store = createArchiveStore({ dir: join(from, 'archives-v1') })
    const archive = await store.ensure({ sha256: await hashFile(WHEEL), wheelPath: WHEEL, filename: WHEEL_NAME })
    return archive.tree
  }

  it('hard-links on the same file system when reflinks are not supported, and reports it', async () => {
    forgetLinkMethods()
    const tree = await makeTree()
    const site = join(fresh('site'), 'site-packages')
    const result = await linkTree(tree, site)
    const files = await listTree(tree)
    expect(result.files).toEqual(files)
    // ext4 here: no reflink; a btrfs/XFS machine would report 'reflink'.
    expect(['reflink', 'hardlink']).toContain(result.method)
    expect(result.counts[result.method]).toBe(files.length)
    const a = statSync(join(tree, 'wheel', '__init__.py'))
    const b = statSync(join(site, 'wheel', '__init__.py'))
    if (result.method === 'hardlink') expect(b.ino).toBe(a.ino)
    expect(readFileSync(join(site, 'wheel', '__init__.py'))).toEqual(readFileSync(join(tree, 'wheel', '__init__.py')))
  })

  it('copies onto another file system (tmpfs at /dev/shm)', async (context) => {
    if (!existsSync('/dev/shm') || statSync('/dev/shm').dev === statSync(tmpdir()).dev) context.skip()
    forgetLinkMethods()
    const tree = await makeTree()
    const site = fresh('site', '/dev/shm')
    const result = await linkTree(tree, site)
    expect(result.method).toBe('copy')
    expect(result.counts.copy).toBe(result.files.length)
    for (const rel of result.files) expect(readFileSync(join(site, rel))).toEqual(readFileSync(join(tree, rel)))
    // The mode survives a copy (scripts stay executable).
    expect(statSync(join(site, result.files[0] as string)).mode).toBe(statSync(join(tree, result.files[0] as string)).mode)
  })

  it('fails on an existing file unless told to overwrite, and with a forced method that does not work', async () => {
    forgetLinkMethods()
    const tree = await makeTree()
    const site = fresh('site')
    writeFileSync(join(site, 'keep.txt'), 'mine')
    await linkTree(tree, site, { method: 'copy', files: ['wheel/__init__.py'] })
    await expect(linkTree(tree, site, { files: ['wheel/__init__.py'] })).rejects.toMatchObject({ code: 'ERR_LINK_EXISTS' })
    writeFileSync(join(site, 'wheel', '__init__.py'), 'old')
    const over = await linkTree(tree, site, { files: ['wheel/__init__.py'], overwrite: true })
    expect(over.files).toEqual(['wheel/__init__.py'])
    expect(readFileSync(join(site, 'wheel', '__init__.py'))).toEqual(readFileSync(join(tree, 'wheel', '__init__.py')))
    expect(readdirSync(join(site, 'wheel')).filter((name) => name.startsWith('.'))).toEqual([])
    await expect(linkTree(tree, site, { files: ['../x'] })).rejects.toMatchObject({ code: 'ERR_CACHE_INVALID' })
    if (statSync(tree).dev === statSync(site).dev) {
      // Whether reflink works depends on the file system; forcing it never silently falls back.
      const forced = linkTree(tree, fresh('site'), { method: 'reflink' })
      await forced.then(
        (result) => expect(result.method).toBe('reflink'),
        (error: NodeJS.ErrnoException) => expect(['ENOTSUP', 'EOPNOTSUPP', 'EINVAL', 'EXDEV']).toContain(error.code),
      )
    }
  })
})

describe('openCache', () => {
  it('puts the buckets under one directory, and a disabled cache in a temporary one removed on close', async () => {
    const dir = fresh('cache')
    const cache = await openCache({ dir })
    expect(cache.enabled).toBe(true)
    expect(cache.http.dir).toBe(join(dir, 'http-cache-v2'))
    expect(cache.wheels.dir).toBe(join(dir, 'wheels-v2'))
    expect(cache.archives.dir).toBe(join(dir, 'archives-v1'))
    expect(cache.bucketDir('interpreters-v1')).toBe(join(dir, 'interpreters-v1'))

    const off = await openCache({ dir: null })
    expect(off.enabled).toBe(false)
    expect(off.http.enabled).toBe(false)
    const stored = await off.wheels.putFile(WHEEL, {})
    expect(existsSync(stored.path)).toBe(true)
    await off.close()
    expect(existsSync(off.dir)).toBe(false)
  })
})
