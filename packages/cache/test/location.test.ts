import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { bucketDir, defaultCacheDir, resolveCacheDir } from '../src/index.js'

const home = '/home/ann'

describe('defaultCacheDir (platformdirs user_cache_dir, as pip)', () => {
  it('uses XDG_CACHE_HOME on Linux when set and not blank', () => {
    expect(defaultCacheDir({ platform: 'linux', homedir: home, env: { XDG_CACHE_HOME: '/xdg' } })).toBe('/xdg/pipette')
    expect(defaultCacheDir({ platform: 'linux', homedir: home, env: { XDG_CACHE_HOME: '  ' } })).toBe('/home/ann/.cache/pipette')
    expect(defaultCacheDir({ platform: 'linux', homedir: home, env: {} })).toBe('/home/ann/.cache/pipette')
  })
  it('uses ~/Library/Caches on macOS and %LOCALAPPDATA%\\pipette\\Cache on Windows', () => {
    expect(defaultCacheDir({ platform: 'darwin', homedir: home, env: { XDG_CACHE_HOME: '/xdg' } })).toBe('/home/ann/Library/Caches/pipette')
    expect(defaultCacheDir({ platform: 'win32', homedir: 'C:\\Users\\ann', env: { LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local' } })).toBe(
      'C:\\Users\\ann\\AppData\\Local\\pipette\\Cache',
    )
  })
})

describe('resolveCacheDir (pip precedence and normalize_path)', () => {
  const base = { platform: 'linux' as const, homedir: home, cwd: '/work/here' }
  it('prefers the command line, then PIP_NO_CACHE_DIR, PIPETTE_CACHE_DIR, PIP_CACHE_DIR, the default', () => {
    const env = { PIP_CACHE_DIR: '/pip', PIPETTE_CACHE_DIR: '/pipette', XDG_CACHE_HOME: '/xdg' }
    expect(resolveCacheDir({ ...base, env, cacheDir: '/cli' })).toBe('/cli')
    expect(resolveCacheDir({ ...base, env })).toBe('/pipette')
    expect(resolveCacheDir({ ...base, env: { PIP_CACHE_DIR: '/pip' } })).toBe('/pip')
    expect(resolveCacheDir({ ...base, env: { XDG_CACHE_HOME: '/xdg' } })).toBe('/xdg/pipette')
    expect(resolveCacheDir({ ...base, env: { ...env, PIP_NO_CACHE_DIR: '1' } })).toBeNull()
    expect(resolveCacheDir({ ...base, env: { ...env, PIP_NO_CACHE_DIR: '1' }, cacheDir: '/cli' })).toBe('/cli')
  })
  it('disables the cache for any truth value of PIP_NO_CACHE_DIR, even 0, and rejects other values (as pip)', () => {
    expect(resolveCacheDir({ ...base, env: { PIP_NO_CACHE_DIR: '0' } })).toBeNull()
    expect(resolveCacheDir({ ...base, env: { PIP_NO_CACHE_DIR: 'off' } })).toBeNull()
    expect(() => resolveCacheDir({ ...base, env: { PIP_NO_CACHE_DIR: 'foo' } })).toThrow(/invalid truth value 'foo'/)
  })
  it('lets the later of --cache-dir and --no-cache-dir win', () => {
    expect(resolveCacheDir({ ...base, env: {}, cacheDir: '/a', noCacheDir: true })).toBeNull()
    expect(resolveCacheDir({ ...base, env: {}, cacheDir: '/a', noCacheDir: true, last: 'no-cache-dir' })).toBeNull()
    expect(resolveCacheDir({ ...base, env: {}, cacheDir: '/a', noCacheDir: true, last: 'cache-dir' })).toBe('/a')
    expect(resolveCacheDir({ ...base, env: {}, noCacheDir: true })).toBeNull()
  })
  it('expands ~, makes relative paths absolute and resolves symbolic links', () => {
    expect(resolveCacheDir({ ...base, env: {}, cacheDir: '~/x' })).toBe('/home/ann/x')
    expect(resolveCacheDir({ ...base, env: { PIP_CACHE_DIR: '~' } })).toBe('/home/ann')
    expect(resolveCacheDir({ ...base, env: {}, cacheDir: 'rel/x' })).toBe('/work/here/rel/x')
    expect(resolveCacheDir({ ...base, env: { XDG_CACHE_HOME: 'rel' } })).toBe('/work/here/rel/pipette')
    const root = mkdtempSync(join(tmpdir(), 'pipette-loc-'))
    mkdirSync(join(root, 'real'))
    symlinkSync(join(root, 'real'), join(root, 'link'))
    const realRoot = resolveCacheDir({ ...base, env: {}, cacheDir: root }) as string
    expect(resolveCacheDir({ ...base, env: {}, cacheDir: join(root, 'link', 'not', 'yet') })).toBe(join(realRoot, 'real', 'not', 'yet'))
    expect(resolveCacheDir({ ...base, env: {}, cacheDir: join(root, 'link', '..', 'real') })).toBe(join(realRoot, 'real'))
  })
})

describe('bucketDir', () => {
  it('accepts versioned names only', () => {
    expect(bucketDir('/c', 'interpreters-v1')).toBe('/c/interpreters-v1')
    expect(() => bucketDir('/c', '../x')).toThrow(/Not a bucket name/)
    expect(() => bucketDir('/c', 'http')).toThrow(/Not a bucket name/)
  })
})
