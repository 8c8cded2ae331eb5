import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startIndexServer } from '@pipette/fixtures'
import type { ServedIndex } from './index-helpers.js'
import { pip, pipette, pipetteAsync, serveIndex, tempDir } from './index-helpers.js'

let served: ServedIndex
beforeAll(async () => {
  served = await serveIndex()
}, 60_000)
afterAll(async () => {
  await served?.close()
})

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')

describe('pipette download --no-deps', () => {
  it('downloads the files pip downloads, with pip-shaped output', () => {
    const ours = tempDir()
    const theirs = tempDir()
    const cache = tempDir()
    const args = ['download', '--no-deps', 'alpha', 'beta<2', 'Mixed.Case-Name==0.1', '-i', served.server.indexUrl]
    const result = pipette([...args, '-d', ours], { env: { PIPETTE_CACHE_DIR: cache } })
    const reference = pip([...args, '-d', theirs, '--no-cache-dir'])
    expect(reference.status).toBe(0)
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(readdirSync(ours).sort()).toEqual(readdirSync(theirs).sort())
    for (const name of readdirSync(ours)) expect(sha256(join(ours, name))).toBe(sha256(join(theirs, name)))
    const lines = result.stdout.trimEnd().split('\n')
    expect(lines[0]).toBe(`Looking in indexes: ${served.server.indexUrl}`)
    expect(lines).toContain('Collecting alpha')
    expect(lines).toContain(`Saved ${ours}/alpha-2.0-py3-none-any.whl`)
    // pip lists the names in its resolver's order; pipette in the order given.
    const names = (text: string) => text.trimEnd().split('\n').at(-1)!.split(' ').sort()
    expect(names(result.stdout)).toEqual(names(reference.stdout))
  })

  it('prints what pip prints for --no-index --find-links, first and second time', () => {
    const dir = tempDir()
    const args = ['download', '--no-deps', '--no-index', '-f', '/usr/share/python-wheels', 'wheel', '-f', join(dir, 'missing-dir-is-not-used'), '-d']
    for (const round of [1, 2]) {
      const ours = pipette([...args, 'ours'], { env: { PIPETTE_CACHE_DIR: join(dir, 'cache') }, cwd: dir })
      const theirs = pip([...args, 'theirs', '--no-cache-dir'], { cwd: dir })
      expect([round, ours.status, ours.stdout.replace(/ours/g, 'theirs')]).toEqual([round, 0, theirs.stdout])
    }
  })

  it('reads -r files (with their own options) and says when a file was already downloaded', () => {
    const dir = tempDir()
    const cache = tempDir()
    writeFileSync(join(dir, 'reqs.txt'), `--index-url ${served.server.indexUrl}\nalpha==1.0\nbeta ; python_version < "3"\n`)
    const first = pipette(['download', '--no-deps', '-r', join(dir, 'reqs.txt'), '-d', join(dir, 'out')], { env: { PIPETTE_CACHE_DIR: cache }, cwd: dir })
    expect(first.status).toBe(0)
    expect(first.stdout).toContain('Ignoring beta: markers \'python_version < "3"\' don\'t match your environment')
    expect(first.stdout).toContain('Saved ./out/alpha-1.0-py3-none-any.whl')
    const again = pipette(['download', '--no-deps', '-r', join(dir, 'reqs.txt'), '-d', join(dir, 'out')], { env: { PIPETTE_CACHE_DIR: cache }, cwd: dir })
    expect(again.stdout).toContain(`  File was already downloaded ${join(dir, 'out', 'alpha-1.0-py3-none-any.whl')}`)
    expect(readdirSync(join(dir, 'out'))).toEqual(['alpha-1.0-py3-none-any.whl'])
  })

  it('refuses a file whose hash does not match: one message, a hint, nothing saved', () => {
    const dir = tempDir()
    const result = pipette(['download', '--no-deps', 'tampered', '-d', dir, '-i', served.server.authUrl('/simple/')], { env: { PIPETTE_CACHE_DIR: tempDir() } })
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(new RegExp(`^ERROR: hash mismatch for tampered-1.0-py3-none-any.whl from ${served.server.url}/auth/files/tampered-1.0-py3-none-any.whl:\\n`))
    expect(result.stderr).toMatch(/\nhint: /)
    expect(result.stderr).not.toContain(served.server.password)
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(readdirSync(dir)).toEqual([])
  })

  it('says what is missing when nothing matches, and downloads nothing', () => {
    const dir = tempDir()
    const result = pipette(['download', '--no-deps', 'alpha', 'beta>=9', '-d', dir, '-i', served.server.indexUrl], { env: { PIPETTE_CACHE_DIR: tempDir() } })
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('ERROR: Could not find a version that satisfies the requirement beta>=9 (from versions: 1.0, 1.5)\nNo matching distribution found for beta>=9')
    expect(readdirSync(dir)).toEqual([])
  })

  it('without --no-deps resolves (dependencies: see install-index.test.ts)', () => {
    const dir = tempDir()
    const result = pipette(['download', 'alpha', '-d', dir, '-i', served.server.indexUrl], { env: { PIPETTE_CACHE_DIR: tempDir() } })
    expect(result.status).toBe(0)
    expect(readdirSync(dir)).toEqual(['alpha-2.0-py3-none-any.whl'])
  })

  it('lets 8 processes fill one cache at once', async () => {
    const cache = tempDir()
    const dests = Array.from({ length: 8 }, () => tempDir())
    const results = await Promise.all(dests.map((dest) => pipetteAsync(['download', '--no-deps', '-q', 'alpha', 'beta', 'Mixed.Case-Name', '-d', dest, '-i', served.server.indexUrl], { env: { PIPETTE_CACHE_DIR: cache } })))
    for (const result of results) expect([result.status, result.stderr]).toEqual([0, ''])
    const expected = readdirSync(dests[0]!).sort()
    expect(expected).toEqual(['alpha-2.0-py3-none-any.whl', 'beta-1.0-py3-none-any.whl', 'mixed_case_name-0.1-py3-none-any.whl'])
    for (const dest of dests) {
      expect(readdirSync(dest).sort()).toEqual(expected)
      for (const name of expected) expect(sha256(join(dest, name))).toBe(sha256(join(served.root, 'files', name)))
    }
    const verify = pipette(['cache', 'list', '--format', 'abspath'], { env: { PIPETTE_CACHE_DIR: cache } })
    expect(verify.stdout.trim().split('\n').map((p) => p.split('/').at(-1)).sort()).toEqual(expected)
  })

  it('repeats within max-age with the server stopped, from the cache', async () => {
    const dir = tempDir()
    const cache = tempDir()
    const own = await startIndexServer({ root: served.root })
    const args = ['download', '--no-deps', 'alpha', 'beta', '-i', own.indexUrl]
    const first = pipette([...args, '-d', join(dir, 'one')], { env: { PIPETTE_CACHE_DIR: cache } })
    expect(first.status).toBe(0)
    await own.stop()
    const second = pipette([...args, '-d', join(dir, 'two')], { env: { PIPETTE_CACHE_DIR: cache } })
    expect([second.status, second.stderr]).toEqual([0, ''])
    expect(second.stdout).toContain('  Using cached alpha-2.0-py3-none-any.whl')
    expect(readdirSync(join(dir, 'two')).sort()).toEqual(['alpha-2.0-py3-none-any.whl', 'beta-1.0-py3-none-any.whl'])
    const versions = pipette(['index', 'versions', 'alpha', '-i', own.indexUrl], { env: { PIPETTE_CACHE_DIR: cache } })
    expect(versions.stdout.split('\n')[0]).toBe('alpha (2.0)')
  })
})
