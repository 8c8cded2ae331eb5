import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { HOST_TAG, acquireLock, tryLock, withLock } from '../src/index.js'

const fresh = () => mkdtempSync(join(tmpdir(), 'pipette-lock-'))
/** The pid of a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid as number

describe('lock files', () => {
  it('is exclusive while held and written with its owner', async () => {
    const path = join(fresh(), 'a.lock')
    const lock = await tryLock(path)
    expect(lock).toBeDefined()
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid, host: HOST_TAG })
    expect(await tryLock(path)).toBeUndefined()
    await lock?.release()
    expect(existsSync(path)).toBe(false)
    const again = await tryLock(path)
    expect(again).toBeDefined()
    await again?.release()
  })

  it('serialises concurrent holders', async () => {
    const path = join(fresh(), 'b.lock')
    let inside = 0
    let most = 0
    await Promise.all(
      Array.from({ length: 20 }, () =>
        withLock(path, async () => {
          inside += 1
          most = Math.max(most, inside)
          await new Promise((resolve) => setTimeout(resolve, 2))
          inside -= 1
        }),
      ),
    )
    expect(most).toBe(1)
  })

  it('breaks a lock whose holder on this host is dead', async () => {
    const path = join(fresh(), 'c.lock')
    writeFileSync(path, JSON.stringify({ pid: deadPid(), host: HOST_TAG, nonce: 'dead', time: 0 }))
    const lock = await tryLock(path)
    expect(lock).toBeDefined()
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid)
    await lock?.release()
  })

  it('keeps a lock of another host until it is old, and an unreadable one until it is old', async () => {
    const dir = fresh()
    const other = join(dir, 'd.lock')
    writeFileSync(other, JSON.stringify({ pid: 1, host: 'ffffffff', nonce: 'x', time: 0 }))
    expect(await tryLock(other, { staleMs: 60_000 })).toBeUndefined()
    const old = new Date(Date.now() - 120_000)
    utimesSync(other, old, old)
    const taken = await tryLock(other, { staleMs: 60_000 })
    expect(taken).toBeDefined()
    await taken?.release()

    const garbage = join(dir, 'e.lock')
    writeFileSync(garbage, '')
    expect(await tryLock(garbage, { staleMs: 60_000 })).toBeUndefined()
    utimesSync(garbage, old, old)
    expect(await tryLock(garbage, { staleMs: 60_000 })).toBeDefined()
  })

  it('does not remove a lock it no longer owns, and times out with a clear error', async () => {
    const path = join(fresh(), 'f.lock')
    const lock = await acquireLock(path)
    writeFileSync(path, JSON.stringify({ pid: process.pid, host: HOST_TAG, nonce: 'someone-else', time: 0 }))
    await lock.release()
    expect(existsSync(path)).toBe(true)
    await expect(acquireLock(path, { timeoutMs: 50 })).rejects.toMatchObject({ code: 'ERR_CACHE_LOCK_TIMEOUT' })
  })
})
