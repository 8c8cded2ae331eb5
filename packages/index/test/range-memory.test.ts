import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openRangeMemoryFile } from '../src/metadata.js'

const dirs: string[] = []
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
})

describe('range memory file', () => {
  it('remembers origins that refuse ranges across runs, written atomically', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pipette-ranges-'))
    dirs.push(dir)
    const path = join(dir, 'index-v1', 'no-range-origins.json')
    const first = await openRangeMemoryFile(path)
    expect(first.refuses('https://files.example.com:443')).toBe(false)
    first.remember('https://files.example.com:443')
    first.remember('https://files.example.com:443')
    await first.flush()
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(['https://files.example.com:443'])
    const second = await openRangeMemoryFile(path)
    expect(second.refuses('https://files.example.com:443')).toBe(true)
  })

  it('starts empty from a damaged file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pipette-ranges-'))
    dirs.push(dir)
    await writeFile(join(dir, 'x.json'), '{not json')
    expect((await openRangeMemoryFile(join(dir, 'x.json'))).refuses('http://a:80')).toBe(false)
  })
})
