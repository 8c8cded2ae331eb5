import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { findInterpreter, queryInterpreter } from '@pipette/venv'
import { interpreterTags, parseTag, supportedTags, tagPriorities, tagToString } from '../src/index.js'
import type { TagEnvironment } from '../src/index.js'

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))

/** Cases generated from PyPA packaging by fixtures/generate-tag-cases.py: description, env, sys_tags(). */
const cases = JSON.parse(readFileSync(fixture('tag-cases.json'), 'utf8')) as Array<{ description: string; env: TagEnvironment; tags: string[] }>

describe('supportedTags equals packaging.tags.sys_tags()', () => {
  it.each(cases.map((c) => [c.description, c] as const))('%s', (_description, c) => {
    expect(supportedTags(c.env).map(tagToString)).toEqual(c.tags)
  })

  // The live interpreters: the oracle script reports the interpreter's own values
  // and sys_tags() computed by packaging 23.0 running inside that interpreter.
  it.each(['/usr/bin/python3', 'python3'])('for %s on this machine', (python) => {
    const out = execFileSync(python, [fixture('tag-oracle.py')], { encoding: 'utf8' })
    const { env, tags } = JSON.parse(out) as { env: TagEnvironment; tags: string[] }
    expect(tags.length).toBeGreaterThan(100)
    expect(supportedTags(env).map(tagToString)).toEqual(tags)
  })

  // The same, from @pipette/venv's interpreter query (what install uses).
  it.each(['/usr/bin/python3', 'python3'])('for %s through queryInterpreter', async (python) => {
    const out = execFileSync(python, [fixture('tag-oracle.py')], { encoding: 'utf8' })
    const { tags } = JSON.parse(out) as { tags: string[] }
    const info = await queryInterpreter((await findInterpreter({ python })).executable, { cacheDir: null })
    expect(interpreterTags(info).map(tagToString)).toEqual(tags)
  })
})

describe('parseTag', () => {
  it('expands compressed tag sets and lower-cases', () => {
    expect(parseTag('py2.py3-none-any').map(tagToString)).toEqual(['py2-none-any', 'py3-none-any'])
    expect(parseTag('CP311-abi3-Manylinux_2_17_x86_64.manylinux2014_x86_64').map(tagToString)).toEqual([
      'cp311-abi3-manylinux_2_17_x86_64',
      'cp311-abi3-manylinux2014_x86_64',
    ])
  })
  it('rejects a string that is not a triple', () => {
    expect(() => parseTag('py3-none')).toThrow(RangeError)
  })
})

describe('tagPriorities', () => {
  it('ranks the first occurrence of each tag', () => {
    const env = cases[0]!.env
    const priorities = tagPriorities(supportedTags(env))
    expect(priorities.get(tagToString(supportedTags(env)[0]!))).toBe(0)
    expect(priorities.get('py3-none-any')).toBeGreaterThan(priorities.get('cp312-abi3-manylinux_2_17_aarch64')!)
    expect(priorities.has('cp313-cp313-manylinux_2_17_aarch64')).toBe(false)
  })
})
