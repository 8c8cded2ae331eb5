import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildWheel } from '@pipette/fixtures'
import { queryInterpreter } from '@pipette/venv'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { installWheelFiles, siteEnvironment } from '../src/index.js'
import type { InstallEvent } from '../src/index.js'

let work: string
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pipette-install-files-'))
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

describe('installWheelFiles', () => {
  it('commits in installation order and stops at the first wheel that fails', async () => {
    const venv = join(work, 'venv')
    execFileSync('python3', ['-m', 'venv', '--without-pip', venv])
    const info = await queryInterpreter(join(venv, 'bin/python'), { cacheDir: null })
    const out = join(work, 'wheels')
    const many = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`bbb/m${i}.py`, `X = ${i}\n`]))
    // Installation order is by name, descending (no Requires-Python): ccc, bbb, aaa.
    const wheels = [
      await buildWheel({ name: 'aaa', version: '1' }, { outDir: out }),
      await buildWheel({ name: 'bbb', version: '1', files: many, broken: { recordWrongHash: ['bbb/m119.py'] } }, { outDir: out }),
      await buildWheel({ name: 'ccc', version: '1' }, { outDir: out }),
    ]
    const events: InstallEvent[] = []
    await expect(
      installWheelFiles({ interpreter: info, wheels, compile: false, environment: siteEnvironment(info), onEvent: (e) => events.push(e) }),
    ).rejects.toMatchObject({ code: 'ERR_WHEEL_RECORD_MISMATCH' })
    const site = info.schemes.default.purelib
    expect(existsSync(join(site, 'ccc-1.dist-info/RECORD'))).toBe(true)
    expect(existsSync(join(site, 'bbb'))).toBe(false)
    expect(existsSync(join(site, 'aaa'))).toBe(false)
    expect(events.filter((e) => e.kind === 'collected')).toEqual([{ kind: 'collected', names: ['ccc', 'bbb', 'aaa'] }])
    expect(events.filter((e) => e.kind === 'installed').map((e) => (e as { name: string }).name)).toEqual(['ccc'])
    const leftovers = execFileSync('find', [venv, '-name', '.pipette-*'], { encoding: 'utf8' })
    expect(leftovers).toBe('')
  })
})
