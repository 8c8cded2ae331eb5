import { writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ServedIndex } from './index-helpers.js'
import { pip, pipette, serveIndex, tempDir } from './index-helpers.js'

let served: ServedIndex
let cache: string
beforeAll(async () => {
  served = await serveIndex()
  cache = tempDir('pipette-cli-index-cache-')
}, 60_000)
afterAll(async () => {
  await served?.close()
})

const env = () => ({ PIPETTE_CACHE_DIR: cache })

describe('pipette index versions', () => {
  it.each([
    [['alpha']],
    [['alpha', '--pre']],
    [['Mixed.Case-Name']],
    [['beta']],
  ])('prints what pip 23.2.1 prints for %j', (args) => {
    const ours = pipette(['index', 'versions', ...args, '-i', served.server.indexUrl], { env: env() })
    const theirs = pip(['index', 'versions', ...args, '-i', served.server.indexUrl, '--no-cache-dir'])
    expect(ours.stderr).toBe('')
    expect([ours.status, ours.stdout]).toEqual([0, theirs.stdout.replace(/\n {2}(INSTALLED|LATEST): .*/g, '')])
  })

  it('prints JSON as pip 25.1+ does', () => {
    const ours = pipette(['index', 'versions', 'alpha', '--pre', '--json', '-i', served.server.indexUrl], { env: env() })
    expect(ours.stdout).toBe('{"name": "alpha", "versions": ["3.0b1", "2.0", "1.0"], "latest": "3.0b1"}\n')
  })

  it('answers an unknown project as pip does, with a hint', () => {
    const ours = pipette(['index', 'versions', 'no-such-project', '-i', served.server.indexUrl], { env: env() })
    const theirs = pip(['index', 'versions', 'no-such-project', '-i', served.server.indexUrl, '--no-cache-dir'])
    expect(ours.status).toBe(theirs.status)
    expect(ours.stderr.split('\n')[0]).toBe(theirs.stderr.trim().split('\n').at(-1))
    expect(ours.stderr).toMatch(/\nhint: /)
  })

  it('uses credentials in the index URL and never prints them', () => {
    const good = pipette(['index', 'versions', 'alpha', '-i', served.server.authUrl('/simple/')], { env: env() })
    expect([good.status, good.stdout.split('\n')[0]]).toEqual([0, 'alpha (2.0)'])
    const url = served.server.authUrl('/simple/', { user: 'pipette', password: 'not-the-password' })
    // A fresh cache: the HTTP cache keys entries by URL without credentials, as pip's does.
    const bad = pipette(['index', 'versions', 'alpha', '-i', url], { env: { PIPETTE_CACHE_DIR: tempDir('pipette-cli-index-cache-') } })
    expect(bad.status).toBe(1)
    expect(bad.stderr).toContain(`ERROR: 401 Unauthorized from ${served.server.url}/auth/simple/alpha/ (credentials were sent)`)
    expect(bad.stderr).not.toContain('not-the-password')
    expect(bad.stderr).not.toMatch(/\n\s+at /)
  })

  it('reads credentials from PIPETTE_INDEX_<HOST>_USERNAME/_PASSWORD and .netrc', () => {
    const home = tempDir('pipette-cli-home-')
    const port = String(served.server.port)
    const byEnv = pipette(['index', 'versions', 'alpha', '-i', `${served.server.url}/auth/simple/`], {
      env: { ...env(), [`PIPETTE_INDEX_127_0_0_1_${port}_USERNAME`]: served.server.user, [`PIPETTE_INDEX_127_0_0_1_${port}_PASSWORD`]: served.server.password },
    })
    expect(byEnv.stdout.split('\n')[0]).toBe('alpha (2.0)')
    writeFileSync(`${home}/.netrc`, `machine 127.0.0.1 login ${served.server.user} password ${served.server.password}\n`)
    const byNetrc = pipette(['index', 'versions', 'alpha', '-i', `${served.server.url}/auth/simple/`], { env: { ...env(), HOME: home } })
    expect(byNetrc.stdout.split('\n')[0]).toBe('alpha (2.0)')
  })

  it('reports an unreachable index with a warning per retry, one error, a hint and exit 1', () => {
    const result = pipette(['index', 'versions', 'alpha', '-i', 'http://127.0.0.1:9/simple/', '--retries', '1'], { env: env() })
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/^WARNING: Retrying \(1\/1\) after ECONNREFUSED: http:\/\/127\.0\.0\.1:9\/simple\/alpha\/\nERROR: could not reach http:\/\/127\.0\.0\.1:9\/simple\/alpha\/ \(.*ECONNREFUSED.*\) after 2 attempts\nhint: /)
  })

  it('rejects a bad option value as pip would', () => {
    const result = pipette(['index', 'versions', 'alpha', '--retries', 'many'], { env: env() })
    // pip: optparse's usage error, exit 2
    expect(result.status).toBe(2)
    expect(result.stderr).toContain("option --retries: invalid integer value: 'many'")
  })
})
