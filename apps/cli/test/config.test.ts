/**
 * The configuration layer end to end: pip.conf files, PIP_* variables and the
 * command line, with pip's precedence, and `pipette config`. Every run gets a
 * temporary HOME (the user file is ~/.config/pip/pip.conf) and a temporary
 * XDG_CONFIG_DIRS (the global file is <dir>/pip/pip.conf), no PIP_* variable of
 * this machine, and is compared with pip (the oracle) where pip is installed.
 * /etc/pip.conf is read by both, so assertions avoid what it may set.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const bin = fileURLToPath(new URL('../bin/run.js', import.meta.url))

interface Result {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

interface Machine {
  readonly root: string
  readonly home: string
  readonly userFile: string
  readonly globalFile: string
  readonly env: Record<string, string>
}

/** A temporary HOME and XDG_CONFIG_DIRS with the given user and global files. */
function machine(files: { user?: string; global?: string } = {}): Machine {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'pipette-cli-config-')))
  const home = join(root, 'home')
  const userFile = join(home, '.config', 'pip', 'pip.conf')
  const globalFile = join(root, 'xdg', 'pip', 'pip.conf')
  mkdirSync(join(home, '.config', 'pip'), { recursive: true })
  mkdirSync(join(root, 'xdg', 'pip'), { recursive: true })
  if (files.user !== undefined) writeFileSync(userFile, files.user)
  if (files.global !== undefined) writeFileSync(globalFile, files.global)
  return { root, home, userFile, globalFile, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, XDG_CONFIG_DIRS: join(root, 'xdg') } }
}

function run(command: string, args: readonly string[], m: Machine, env: Record<string, string>): Result {
  const r = spawnSync(command, args, { encoding: 'utf8', env: { ...m.env, ...env }, cwd: m.root })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}
const pipette = (m: Machine, args: readonly string[], env: Record<string, string> = {}) => run(process.execPath, [bin, ...args], m, env)
const pip = (m: Machine, args: readonly string[], env: Record<string, string> = {}) =>
  run('python3', ['-m', 'pip', '--disable-pip-version-check', ...args], m, env)
const pipAvailable = spawnSync('python3', ['-m', 'pip', '--version']).status === 0

/** pipette's answer, checked against pip's (status and stdout) when pip is here. */
function both(m: Machine, args: readonly string[], env: Record<string, string> = {}): Result {
  const ours = pipette(m, args, env)
  if (pipAvailable) {
    const theirs = pip(m, args, env)
    expect({ status: ours.status, stdout: ours.stdout }).toEqual({ status: theirs.status, stdout: theirs.stdout })
  }
  return ours
}

describe('configuration: pip.conf, PIP_* and the command line', () => {
  it('takes the flag over PIP_*, PIP_* over the user file, the user file over the global file', () => {
    const m = machine({ global: '[global]\ncache-dir = /g\n', user: '[global]\ncache-dir = /u\n' })
    expect(both(m, ['cache', 'dir'], { PIP_CACHE_DIR: '/e' }).stdout).toBe('/e\n')
    expect(both(m, ['cache', 'dir', '--cache-dir', '/f'], { PIP_CACHE_DIR: '/e' }).stdout).toBe('/f\n')
    expect(both(m, ['cache', 'dir']).stdout).toBe('/u\n')
    writeFileSync(m.userFile, '[install]\ncache-dir = /u\n')
    expect(both(m, ['cache', 'dir']).stdout).toBe('/g\n')
    // The command's section ([cache] for `cache dir`) over [global].
    writeFileSync(m.userFile, '[cache]\ncache-dir = /c\n[global]\ncache-dir = /u\n')
    expect(both(m, ['cache', 'dir']).stdout).toBe('/c\n')
  })

  it('reads PIP_CONFIG_FILE over the other files, and then skips the user file', () => {
    const m = machine({ global: '[global]\ncache-dir = /g\n', user: '[global]\ncache-dir = /u\n' })
    const own = join(m.root, 'own.conf')
    writeFileSync(own, '[global]\nno-color = yes\n')
    expect(both(m, ['cache', 'dir'], { PIP_CONFIG_FILE: own }).stdout).toBe('/g\n')
    writeFileSync(own, '[global]\ncache-dir = /own\n')
    expect(both(m, ['cache', 'dir'], { PIP_CONFIG_FILE: own }).stdout).toBe('/own\n')
  })

  it('--isolated ignores PIP_* and the user file, before or after the command name', () => {
    const m = machine({ global: '[global]\ncache-dir = /g\n', user: '[global]\ncache-dir = /u\n' })
    expect(both(m, ['--isolated', 'cache', 'dir'], { PIP_CACHE_DIR: '/e' }).stdout).toBe('/g\n')
    expect(both(m, ['cache', 'dir', '--isolated'], { PIP_CACHE_DIR: '/e' }).stdout).toBe('/g\n')
  })

  it("reads PIP_NO_CACHE_DIR as pip does: any boolean disables the cache, anything else is an error naming the variable", () => {
    const m = machine()
    for (const value of ['1', 'false', 'off']) {
      const r = both(m, ['cache', 'dir'], { PIP_NO_CACHE_DIR: value })
      expect(r.status).toBe(1)
      expect(r.stderr).toContain('cache is disabled')
    }
    const bad = both(m, ['cache', 'dir'], { PIP_NO_CACHE_DIR: 'maybe' })
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain("ERROR: --no-cache-dir error: invalid truth value 'maybe'\n  (from the PIP_NO_CACHE_DIR environment variable)\nhint: ")
  })

  it('splits PIP_FIND_LINKS on spaces and appends the command line to it', () => {
    const m = machine({ user: '[download]\nno-index = yes\n' })
    const args = ['download', '--no-deps', 'nothing', '-d', join(m.root, 'out'), '-f', join(m.root, 'l3')]
    const r = both(m, args, { PIP_FIND_LINKS: `${join(m.root, 'l1')}  ${join(m.root, 'l2')}` })
    expect(r.status).toBe(1)
    expect(r.stdout).toBe(`Looking in links: ${join(m.root, 'l1')}, ${join(m.root, 'l2')}, ${join(m.root, 'l3')}\n`)
  })

  it('reports a bad value with the file and key it comes from, a hint and pip\'s exit code (3)', () => {
    const m = machine({ user: '[global]\ntimeout = soon\n' })
    const r = pipette(m, ['download', 'nothing', '--no-index'])
    expect(r.status).toBe(3)
    expect(r.stderr).toBe(
      `ERROR: An error occurred during configuration: option timeout: invalid floating-point value: 'soon'\n  (from [global] timeout in ${m.userFile})\nhint: Fix or remove "timeout" in the configuration (PIP_TIMEOUT or a pip.conf file), e.g. timeout = 15\n`,
    )
    if (pipAvailable) expect(pip(m, ['download', 'nothing', '--no-index']).status).toBe(3)
  })

  it('reports a file that is not INI with its name and line (exit 2, as pip)', () => {
    const m = machine({ user: 'timeout = 60\n' })
    const r = pipette(m, ['cache', 'dir'])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain(`ERROR: Configuration file could not be loaded.\nFile contains no section headers.\nfile: '${m.userFile}', line: 1\n`)
    expect(r.stderr).toContain('\nhint: ')
    expect(r.stderr).not.toMatch(/\n\s+at /)
    if (pipAvailable) expect(pip(m, ['cache', 'dir']).status).toBe(2)
  })
})

describe('pipette config', () => {
  it('sets, gets, lists and unsets values in the user file, as pip', () => {
    const m = machine()
    expect(both(m, ['config', 'set', 'global.timeout', '60']).stdout).toBe(`Writing to ${m.userFile}\n`)
    expect(both(m, ['config', '--user', 'set', 'install.no-deps', 'yes']).stdout).toBe(`Writing to ${m.userFile}\n`)
    expect(readFileSync(m.userFile, 'utf8')).toBe('[global]\ntimeout = 60\n\n[install]\nno-deps = yes\n\n')
    expect(both(m, ['config', 'get', 'global.timeout']).stdout).toBe('60\n')
    expect(both(m, ['config', '--user', 'list']).stdout).toBe("global.timeout='60'\ninstall.no-deps='yes'\n")
    const list = both(m, ['config', 'list'], { PIP_RETRIES: '2' }).stdout.split('\n')
    expect(list).toEqual(expect.arrayContaining([":env:.retries='2'", "global.timeout='60'", "install.no-deps='yes'"]))
    // Not idempotent: pipette alone unsets, pip then reads the file it wrote.
    expect(pipette(m, ['config', 'unset', 'global.timeout']).stdout).toBe(`Writing to ${m.userFile}\n`)
    expect(readFileSync(m.userFile, 'utf8')).toBe('[install]\nno-deps = yes\n\n')
    const missing = both(m, ['config', 'get', 'global.timeout'])
    expect(missing.status).toBe(1)
    expect(missing.stderr).toContain('ERROR: No such key - global.timeout\n')
    // The value set is used by the commands: --isolated leaves the user file out.
    writeFileSync(m.userFile, '[global]\ncache-dir = /u\n')
    expect(both(m, ['--isolated', 'config', 'list']).stdout).not.toContain('/u')
    expect(both(m, ['config', '--global', 'list']).stdout).not.toContain('/u')
  })

  it('refuses a key without a section, a wrong number of arguments and a missing action (exit 1)', () => {
    const m = machine()
    expect(both(m, ['config', 'get', 'timeout']).stderr).toContain("ERROR: Key does not contain dot separated section and key. Perhaps you wanted to use 'global.timeout' instead?\n")
    expect(both(m, ['config', 'set', 'global.timeout']).stderr).toContain('ERROR: Got unexpected number of arguments, expected 2. (example: "pipette config set [name] [value]")\n')
    expect(both(m, ['config']).stderr).toContain('ERROR: Need an action (debug, edit, get, list, set, unset) to perform.\n')
  })

  it('debug lists every file with its values, as pip', () => {
    const m = machine({ user: '[global]\ntimeout = 60\n' })
    const r = both(m, ['config', 'debug'], { PIP_RETRIES: '2' })
    expect(r.stdout).toContain(`env_var:\n  PIP_RETRIES='2'\nenv:\nglobal:\n  ${m.globalFile}, exists: False\n`)
    expect(r.stdout).toContain(`  ${m.userFile}, exists: True\n    global.timeout: 60\n`)
  })
})
