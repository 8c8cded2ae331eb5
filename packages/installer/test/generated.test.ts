import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createGeneratedFiles } from '../src/generated.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pipette-generated-'))
  mkdirSync(join(dir, 'env'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('createGeneratedFiles', () => {
  it('stores a content once and links it, with its mode', () => {
    const store = createGeneratedFiles(join(dir, 'store'))
    expect(store.place(join(dir, 'env', 'a'), Buffer.from('pipette\n'), 0o644)).toBe(true)
    expect(store.place(join(dir, 'env', 'b'), Buffer.from('pipette\n'), 0o644)).toBe(true)
    expect(store.place(join(dir, 'env', 'run'), Buffer.from('#!/bin/sh\n'), 0o755)).toBe(true)
    expect(readFileSync(join(dir, 'env', 'a'), 'utf8')).toBe('pipette\n')
    expect(statSync(join(dir, 'env', 'a')).ino).toBe(statSync(join(dir, 'env', 'b')).ino)
    expect(statSync(join(dir, 'env', 'a')).mode & 0o7777).toBe(0o644)
    expect(statSync(join(dir, 'env', 'run')).mode & 0o7777).toBe(0o755)
    expect(readdirSync(join(dir, 'store')).map((name) => name.replace(/^[0-9a-f]{64}-/, '<sha256>-')).sort()).toEqual(['<sha256>-644', '<sha256>-755'])
  })

  it('replaces an existing file, also one that is the same link already, leaving no temporary file', () => {
    const store = createGeneratedFiles(join(dir, 'store'))
    writeFileSync(join(dir, 'env', 'RECORD'), 'old\n')
    expect(store.place(join(dir, 'env', 'RECORD'), Buffer.from('new\n'), 0o644)).toBe(true)
    expect(store.place(join(dir, 'env', 'RECORD'), Buffer.from('new\n'), 0o644)).toBe(true)
    expect(readFileSync(join(dir, 'env', 'RECORD'), 'utf8')).toBe('new\n')
    expect(readdirSync(join(dir, 'env'))).toEqual(['RECORD'])
  })

  it('says no (and the caller writes) when the store cannot be used', () => {
    writeFileSync(join(dir, 'store'), 'a file, not a directory\n')
    const store = createGeneratedFiles(join(dir, 'store'))
    expect(store.place(join(dir, 'env', 'a'), Buffer.from('x'), 0o644)).toBe(false)
    expect(store.place(join(dir, 'env', 'b'), Buffer.from('y'), 0o644)).toBe(false)
    expect(readdirSync(join(dir, 'env'))).toEqual([])
  })
})
