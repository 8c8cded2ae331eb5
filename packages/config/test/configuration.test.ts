import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  configDebugLines,
  configDefaults,
  configSource,
  configGet,
  configListLines,
  configSet,
  configUnset,
  configurationFiles,
  configurationItems,
  fileToEdit,
  findTargetPrefix,
  loadConfiguration,
  OptionError,
  saveConfigFile,
  ConfigCommandError,
} from '../src/index.js'

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'pipette-config-'))
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  return root
}

/** File access that sees the tree's etc/pip.conf as /etc/pip.conf (this machine has its own). */
function fsIn(root: string) {
  const redirect = (path: string) => (path === '/etc/pip.conf' ? join(root, 'etc/pip.conf') : path)
  return {
    exists: (path: string) => {
      try {
        statSync(redirect(path))
        return true
      } catch {
        return false
      }
    },
    readFile: (path: string) => readFileSync(redirect(path), 'utf8'),
  }
}

describe('configurationFiles (where pip 26 looks on Linux)', () => {
  it('defaults: /etc/xdg, /etc, ~/.pip, ~/.config, sys.prefix', () => {
    expect(configurationFiles({ env: {}, home: '/home/u', sitePrefix: '/venv' })).toEqual({
      global: ['/etc/xdg/pip/pip.conf', '/etc/pip.conf'],
      user: ['/home/u/.pip/pip.conf', '/home/u/.config/pip/pip.conf'],
      site: ['/venv/pip.conf'],
    })
  })
  it('XDG_CONFIG_DIRS (every entry, as written) and XDG_CONFIG_HOME', () => {
    const files = configurationFiles({ env: { XDG_CONFIG_DIRS: '/a:/b/::~/c', XDG_CONFIG_HOME: '/x' }, home: '/home/u', sitePrefix: null })
    expect(files.global).toEqual(['/a/pip/pip.conf', '/b/pip/pip.conf', 'pip/pip.conf', '~/c/pip/pip.conf', '/etc/pip.conf'])
    expect(files.user).toEqual(['/home/u/.pip/pip.conf', '/x/pip/pip.conf'])
    expect(files.site).toEqual([])
  })
  it('blank XDG variables mean their defaults', () => {
    const files = configurationFiles({ env: { XDG_CONFIG_DIRS: '  ', XDG_CONFIG_HOME: ' ' }, home: '/h', sitePrefix: null })
    expect(files.global[0]).toBe('/etc/xdg/pip/pip.conf')
    expect(files.user[1]).toBe('/h/.config/pip/pip.conf')
  })
})

describe('loadConfiguration (precedence as pip)', () => {
  const root = tree({
    'xdg/pip/pip.conf': '[global]\ntimeout = 1\nindex-url = http://global\n',
    'etc/pip.conf': '[global]\ntimeout = 2\n',
    'home/.pip/pip.conf': '[global]\ntimeout = 3\nretries = 9\n',
    'home/.config/pip/pip.conf': '[global]\ntimeout = 4\n[install]\nno_deps = yes\n',
    'venv/pip.conf': '[global]\ntimeout = 5\n',
    'env.conf': '[global]\ntimeout = 6\n',
  })
  const env = { XDG_CONFIG_DIRS: join(root, 'xdg'), PIP_RETRIES: '7' }
  const load = (extra: Record<string, string> = {}, isolated = false) =>
    loadConfiguration({ env: { ...env, ...extra }, home: join(root, 'home'), sitePrefix: join(root, 'venv'), isolated, ...fsIn(root) })

  it('later variants win; keys keep their first position', () => {
    const items = configurationItems(load())
    expect(items.get('global.timeout')).toBe('5')
    expect(items.get('global.retries')).toBe('9')
    expect(items.get(':env:.retries')).toBe('7')
    expect(items.get('install.no-deps')).toBe('yes')
    expect([...items.keys()].slice(0, 2)).toEqual(['global.timeout', 'global.index-url'])
  })
  it('PIP_CONFIG_FILE beats the site file and hides the user files', () => {
    const conf = load({ PIP_CONFIG_FILE: join(root, 'env.conf') })
    expect(configurationItems(conf).get('global.timeout')).toBe('6')
    expect(configurationItems(conf).get('global.retries')).toBeUndefined()
    expect(conf.fileLists.map(([variant]) => variant)).toEqual(['env', 'global', 'site'])
    expect(configurationItems(conf).get(':env:.config-file')).toBe(join(root, 'env.conf'))
  })
  it('a missing PIP_CONFIG_FILE keeps the user files', () => {
    const conf = load({ PIP_CONFIG_FILE: join(root, 'missing.conf') })
    expect(configurationItems(conf).get('global.retries')).toBe('9')
  })
  it('PIP_CONFIG_FILE=/dev/null reads no file at all', () => {
    const conf = load({ PIP_CONFIG_FILE: '/dev/null' })
    expect([...configurationItems(conf).keys()]).toEqual([':env:.retries', ':env:.config-file'])
  })
  it('--isolated: no user files, no PIP_* variables', () => {
    const items = configurationItems(load({}, true))
    expect(items.get('global.timeout')).toBe('5')
    expect(items.get('global.retries')).toBeUndefined()
    expect(items.get(':env:.retries')).toBeUndefined()
  })
  it('loadOnly reads one variant (and still the environment)', () => {
    const items = configurationItems(loadConfiguration({ env, home: join(root, 'home'), sitePrefix: join(root, 'venv'), isolated: false, loadOnly: 'user', ...fsIn(root) }))
    expect(items.get('global.timeout')).toBe('4')
    expect(items.get(':env:.retries')).toBe('7')
    expect(items.get('global.index-url')).toBeUndefined()
  })
  it('names the file or variable a bad value comes from (configKey, configSource)', () => {
    const root = tree({ 'user/pip.conf': '[global]\nTimeOut = soon\n', 'global/pip/pip.conf': '[global]\ntimeout = 9\n', 'etc/pip.conf': '' })
    const env = { XDG_CONFIG_HOME: join(root, 'nowhere'), XDG_CONFIG_DIRS: join(root, 'global'), PIP_NO_DEPS: 'maybe' }
    const conf = loadConfiguration({ env, home: join(root, 'home'), sitePrefix: null, isolated: false, ...fsIn(root) })
    const userFile = join(root, 'home', '.pip', 'pip.conf')
    mkdirSync(join(root, 'home', '.pip'), { recursive: true })
    writeFileSync(userFile, '[global]\nTimeOut = soon\n')
    const withUser = loadConfiguration({ env, home: join(root, 'home'), sitePrefix: null, isolated: false, ...fsIn(root) })
    expect(configSource(conf, 'global.timeout')).toBe(`[global] timeout in ${join(root, 'global', 'pip', 'pip.conf')}`)
    expect(configSource(withUser, 'global.timeout')).toBe(`[global] timeout in ${userFile}`)
    expect(configSource(withUser, ':env:.no-deps')).toBe('the PIP_NO_DEPS environment variable')
    expect(configSource(withUser, 'install.timeout')).toBeUndefined()
    const specs = [
      { dest: 'timeout', long: ['timeout'], action: 'store', type: 'float', default: 15 },
      { dest: 'no-deps', long: ['no-deps'], action: 'store_true' },
    ] as const
    for (const [items, key, kind] of [
      [new Map([['global.timeout', 'soon']]), 'global.timeout', 'configuration'],
      [new Map([[':env:.no-deps', 'maybe']]), ':env:.no-deps', 'usage'],
    ] as const) {
      try {
        configDefaults({ specs, items, command: 'install', home: root })
        expect.unreachable()
      } catch (error) {
        expect((error as OptionError).configKey).toBe(key)
        expect((error as OptionError).kind).toBe(kind)
      }
    }
  })
  it("a file configparser rejects is pip's error (exit 2)", () => {
    const bad = tree({ 'pip.conf': 'timeout = 1\n' })
    try {
      loadConfiguration({ env: { PIP_CONFIG_FILE: join(bad, 'pip.conf') }, home: bad, sitePrefix: null, isolated: false })
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(OptionError)
      expect((error as OptionError).exitCode).toBe(2)
      expect((error as OptionError).message).toBe(`Configuration file could not be loaded.\nFile contains no section headers.\nfile: '${join(bad, 'pip.conf')}', line: 1\n'timeout = 1\\n'\n`)
    }
  })
  it('a file that is not UTF-8 is an error naming it', () => {
    const bad = tree({})
    writeFileSync(join(bad, 'pip.conf'), Buffer.from([0x5b, 0x67, 0x5d, 0x0a, 0xff, 0x0a]))
    expect(() => loadConfiguration({ env: { PIP_CONFIG_FILE: join(bad, 'pip.conf') }, home: bad, sitePrefix: null, isolated: false })).toThrow(
      `Configuration file contains invalid UTF-8 characters in ${join(bad, 'pip.conf')}.`,
    )
  })
  it('an unreadable path (a directory) is an empty file, as configparser skips it', () => {
    const dir = tree({ 'pip.conf/x': '' })
    const conf = loadConfiguration({ env: { PIP_CONFIG_FILE: join(dir, 'pip.conf') }, home: dir, sitePrefix: null, isolated: false })
    expect(conf.files[0]?.path).toBe(join(dir, 'pip.conf'))
  })
})

describe('pip config list/get/set/unset/debug', () => {
  it('list prints repr values, sorted', () => {
    const root = tree({ 'c.conf': "[global]\nb = it's\na = 1\n  2\n" })
    const conf = loadConfiguration({ env: { PIP_CONFIG_FILE: join(root, 'c.conf'), PIP_X_Y: 'z', XDG_CONFIG_DIRS: root }, home: root, sitePrefix: null, isolated: false, ...fsIn(root) })
    expect(configListLines(conf)).toEqual([`:env:.config-file='${join(root, 'c.conf')}'`, ":env:.x-y='z'", "global.a='1\\n2'", 'global.b="it\'s"'])
  })
  it('get, with pip\'s errors', () => {
    const conf = loadConfiguration({ env: { PIP_CONFIG_FILE: '/dev/null', PIP_TIMEOUT: '3' }, home: '/nowhere', sitePrefix: null, isolated: false })
    expect(configGet(conf, ':env:.TIMEOUT')).toBe('3')
    expect(() => configGet(conf, 'timeout')).toThrow("Key does not contain dot separated section and key. Perhaps you wanted to use 'global.timeout' instead?")
    expect(() => configGet(conf, 'global.Nope')).toThrow('No such key - global.Nope')
  })
  it('set writes the last file of the variant, atomically, keeping its mode; unset removes and cleans up', () => {
    const root = tree({ 'home/.pip/pip.conf': '[global]\nlegacy = 1\n' })
    const home = join(root, 'home')
    const env = { XDG_CONFIG_DIRS: join(root, 'xdg') }
    const conf = loadConfiguration({ env, home, sitePrefix: null, isolated: false, loadOnly: 'user' })
    expect(fileToEdit(conf)).toBe(join(home, '.config/pip/pip.conf'))
    const change = configSet(conf, 'Install.No_Deps', 'yes')
    expect(change.path).toBe(join(home, '.config/pip/pip.conf'))
    saveConfigFile(change.path, change.ini)
    expect(readFileSync(change.path, 'utf8')).toBe('[install]\nno-deps = yes\n\n')
    chmodSync(change.path, 0o600)
    const again = configSet(change.configuration, 'global.timeout', '60')
    saveConfigFile(again.path, again.ini)
    expect(readFileSync(again.path, 'utf8')).toBe('[install]\nno-deps = yes\n\n[global]\ntimeout = 60\n\n')
    expect(statSync(again.path).mode & 0o777).toBe(0o600)
    const reloaded = loadConfiguration({ env, home, sitePrefix: null, isolated: false, loadOnly: 'user' })
    const removed = configUnset(reloaded, 'install.no-deps')
    saveConfigFile(removed.path, removed.ini)
    expect(readFileSync(removed.path, 'utf8')).toBe('[global]\ntimeout = 60\n\n')
    expect(() => configUnset(reloaded, 'global.nope')).toThrow('No such key - global.nope')
    // Set in the legacy file only: pip cannot remove it from the file it modifies.
    expect(() => configUnset(reloaded, 'global.legacy')).toThrow('Fatal Internal error [id=1]. Please report as a bug.')
  })
  it('set without a file variant, or with none loaded, fails as pip', () => {
    const all = loadConfiguration({ env: { PIP_CONFIG_FILE: '/dev/null' }, home: '/h', sitePrefix: null, isolated: false })
    expect(() => configSet(all, 'global.x', '1')).toThrow(ConfigCommandError)
    const none = loadConfiguration({ env: { PIP_CONFIG_FILE: '/dev/null' }, home: '/h', sitePrefix: null, isolated: false, loadOnly: 'user' })
    expect(() => configSet(none, 'global.x', '1')).toThrow('Fatal Internal error [id=2]. Please report as a bug.')
  })
  it('debug lists variables and files as pip', () => {
    const root = tree({ 'home/.config/pip/pip.conf': '[global]\nfind-links =\n  /a\n  /b\n' })
    const files = fsIn(root)
    const conf = loadConfiguration({ env: { XDG_CONFIG_DIRS: join(root, 'xdg'), PIP_B: '2', PIP_A: "it's" }, home: join(root, 'home'), sitePrefix: join(root, 'venv'), isolated: false, ...files })
    expect(configDebugLines(conf, files.exists)).toEqual([
      'env_var:',
      '  PIP_A="it\'s"',
      "  PIP_B='2'",
      'env:',
      'global:',
      `  ${join(root, 'xdg/pip/pip.conf')}, exists: False`,
      '  /etc/pip.conf, exists: False',
      'site:',
      `  ${join(root, 'venv/pip.conf')}, exists: False`,
      'user:',
      `  ${join(root, 'home/.pip/pip.conf')}, exists: False`,
      `  ${join(root, 'home/.config/pip/pip.conf')}, exists: True`,
      '    global.find-links: ',
      '    /a',
      '    /b',
    ])
  })
})

describe('findTargetPrefix (the site file without running Python)', () => {
  it('a venv directory, VIRTUAL_ENV, ./.venv', () => {
    const root = tree({ 'v/pyvenv.cfg': 'home = /usr/bin\n', 'v/bin/python': '', 'w/.venv/pyvenv.cfg': '', 'w/.venv/bin/python': '' })
    expect(findTargetPrefix({ python: 'v', env: {}, cwd: root })).toEqual({ prefix: join(root, 'v'), isVirtualEnv: true })
    expect(findTargetPrefix({ python: join(root, 'v/bin/python'), env: {}, cwd: '/' })).toEqual({ prefix: join(root, 'v'), isVirtualEnv: true })
    expect(findTargetPrefix({ env: { VIRTUAL_ENV: join(root, 'v') }, cwd: '/' })).toEqual({ prefix: join(root, 'v'), isVirtualEnv: true })
    expect(findTargetPrefix({ env: { PATH: '' }, cwd: join(root, 'w') })).toEqual({ prefix: join(root, 'w/.venv'), isVirtualEnv: true })
  })
  it('a shim script is unknown; a missing interpreter too', () => {
    const root = tree({ 'bin/python3': '#!/bin/sh\nexec python "$@"\n' })
    chmodSync(join(root, 'bin/python3'), 0o755)
    expect(findTargetPrefix({ env: { PATH: join(root, 'bin') }, cwd: root })).toEqual({ prefix: null, isVirtualEnv: false })
    expect(findTargetPrefix({ python: 'no-such-python', env: { PATH: '' }, cwd: root })).toEqual({ prefix: null, isVirtualEnv: false })
  })
  it('a real interpreter binary: the directory above its bin', () => {
    const found = findTargetPrefix({ python: '/usr/bin/python3', env: {}, cwd: '/' })
    expect(found).toEqual({ prefix: '/usr', isVirtualEnv: false })
  })
})

describe('configFileVariant (pip config --user/--global/--site)', () => {
  it('one flag names the variant; two are an error; none means all, or site/user for a change', async () => {
    const { configFileVariant } = await import('../src/index.js')
    const base = { user: false, global: false, site: false, siteFiles: ['/v/pip.conf'] }
    expect(configFileVariant({ ...base, global: true, needValue: true })).toBe('global')
    expect(() => configFileVariant({ ...base, global: true, user: true, needValue: false })).toThrow('Need exactly one file to operate upon (--user, --site, --global) to perform.')
    expect(configFileVariant({ ...base, needValue: false })).toBeNull()
    expect(configFileVariant({ ...base, needValue: true, exists: () => false })).toBe('user')
    expect(configFileVariant({ ...base, needValue: true, exists: (path) => path === '/v/pip.conf' })).toBe('site')
  })
})
