import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openCache } from '@pipette/cache'
import { beforeAll, describe, expect, it } from 'vitest'

const bin = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const WHEELS = readdirSync('/usr/share/python-wheels')
  .filter((name) => name.endsWith('.whl'))
  .map((name) => join('/usr/share/python-wheels', name))
// PATH and HOME only, and no configuration file: this machine's PIP_* variables and pip.conf files stay out.
const baseEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', PIP_CONFIG_FILE: '/dev/null' }
type Env = Record<string, string>
const pipette = (args: string[], env: Env = {}, cwd?: string) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...baseEnv, ...env }, ...(cwd === undefined ? {} : { cwd }) })
const pip = (args: string[], env: Env = {}, cwd?: string) =>
  spawnSync('python3', ['-m', 'pip', '--disable-pip-version-check', ...args], { encoding: 'utf8', env: { ...baseEnv, ...env }, ...(cwd === undefined ? {} : { cwd }) })
const pipAvailable = pip(['--version']).status === 0

/** A pipette cache holding Debian's three wheels (stored and unpacked), and a pip cache holding the same wheels. */
async function caches(): Promise<{ ours: string; theirs: string }> {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'pipette-cli-cache-')))
  const ours = join(root, 'pipette')
  const cache = await openCache({
    dir: ours,
    // The CLI tests only need trees to exist; @pipette/wheel's reader is the real unpacker.
    unpack: async (wheel, dest) => {
      copyFileSync(wheel, join(dest, basename(wheel)))
    },
  })
  for (const wheel of WHEELS) {
    const stored = await cache.wheels.putFile(wheel, {})
    await cache.archives.ensure({ sha256: stored.sha256, wheelPath: stored.path, filename: stored.filename })
  }
  const theirs = join(root, 'pip')
  mkdirSync(join(theirs, 'wheels', 'ab', 'cd'), { recursive: true })
  for (const wheel of WHEELS) copyFileSync(wheel, join(theirs, 'wheels', 'ab', 'cd', basename(wheel)))
  return { ours, theirs }
}

describe('pipette cache dir', () => {
  it('follows PIPETTE_CACHE_DIR, PIP_CACHE_DIR, --cache-dir and --no-cache-dir', () => {
    expect(pipette(['cache', 'dir'], { PIP_CACHE_DIR: '/tmp/pip-x', PIPETTE_CACHE_DIR: '/tmp/pipette-x' }).stdout).toBe('/tmp/pipette-x\n')
    expect(pipette(['cache', 'dir', '--cache-dir', '/tmp/cli-x'], { PIPETTE_CACHE_DIR: '/tmp/pipette-x' }).stdout).toBe('/tmp/cli-x\n')
    expect(pipette(['cache', 'dir', '--no-cache-dir', '--cache-dir', '/tmp/cli-x']).stdout).toBe('/tmp/cli-x\n')
    const disabled = pipette(['cache', 'dir', '--cache-dir', '/tmp/cli-x', '--no-cache-dir'])
    expect(disabled.status).toBe(1)
    expect(disabled.stderr).toContain('ERROR: pipette cache commands can not function since cache is disabled.')
    expect(pipette(['cache', 'info'], { PIP_NO_CACHE_DIR: '1' }).status).toBe(1)
  })

  it.runIf(pipAvailable)('resolves the directory as pip does (symbolic links, ~, relative paths, XDG)', () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'pipette-cli-dir-')))
    mkdirSync(join(root, 'real'))
    symlinkSync(join(root, 'real'), join(root, 'link'))
    const same: [string[], Env][] = [
      [['--cache-dir', join(root, 'link', 'sub')], {}],
      [['--cache-dir', 'rel/x'], {}],
      [['--cache-dir', '~/x'], {}],
      [[], { PIP_CACHE_DIR: join(root, 'link', '..', 'real') }],
      [['--no-cache-dir', '--cache-dir', join(root, 'a')], {}],
    ]
    for (const [flags, env] of same) {
      const theirs = pip(['cache', 'dir', ...flags], env, root)
      expect(theirs.status).toBe(0)
      expect(pipette(['cache', 'dir', ...flags], env, root).stdout).toBe(theirs.stdout)
    }
    // The default differs by the application's name only: .../pip for pip, .../pipette for pipette.
    for (const env of [{}, { XDG_CACHE_HOME: 'rel' }, { XDG_CACHE_HOME: join(root, 'link') }] as Env[]) {
      const theirs = pip(['cache', 'dir'], env, root).stdout
      expect(theirs).toMatch(/\/pip\n$/)
      expect(pipette(['cache', 'dir'], env, root).stdout).toBe(theirs.replace(/\/pip\n$/, '/pipette\n'))
    }
  })
})

describe('pipette cache info | list | remove | purge', () => {
  let ours: string
  let theirs: string
  beforeAll(async () => {
    ;({ ours, theirs } = await caches())
  })

  it.runIf(pipAvailable)('lists wheels exactly as pip lists its cache, for each pattern', () => {
    for (const pattern of [[], ['pip'], ['[sw]*'], ['setuptools-66'], ['nomatch']]) {
      const mine = pipette(['cache', 'list', ...pattern, '--cache-dir', ours])
      const pips = pip(['cache', 'list', ...pattern, '--cache-dir', theirs])
      expect(mine.status).toBe(0)
      if (pips.stdout.startsWith('No locally built wheels')) expect(mine.stdout).toBe('No wheels cached.\n')
      else expect(mine.stdout).toBe(pips.stdout)
    }
    // abspath: one path per line, sorted (pipette's paths are content addresses, so only the names compare).
    const names = (text: string) => text.trim().split('\n').map((line) => basename(line)).sort()
    const abspath = pipette(['cache', 'list', '--format', 'abspath', '--cache-dir', ours]).stdout
    expect(names(abspath)).toEqual(names(pip(['cache', 'list', '--format=abspath', '--cache-dir', theirs]).stdout))
    expect(abspath.trim().split('\n')).toEqual(abspath.trim().split('\n').sort())
  })

  it('lists human and absolute paths', () => {
    const human = pipette(['cache', 'list', '--cache-dir', ours])
    expect(human.stdout).toBe(
      'Cache contents:\n\n - pip-23.0.1-py3-none-any.whl (1.7 MB)\n - setuptools-66.1.1-py3-none-any.whl (1.3 MB)\n - wheel-0.38.4-py3-none-any.whl (36 kB)\n',
    )
    const paths = pipette(['cache', 'list', 'wheel', '--format=abspath', '--cache-dir', ours]).stdout.trim().split('\n')
    expect(paths).toHaveLength(1)
    expect(paths[0]).toMatch(new RegExp(`^${ours}/wheels-v2/[0-9a-f]/[0-9a-f]{64}/wheel-0.38.4-py3-none-any.whl$`))
    expect(existsSync(paths[0] as string)).toBe(true)
  })

  it('shows information in pip shape, with the unpacked wheels added', () => {
    const info = pipette(['cache', 'info', '--cache-dir', ours])
    expect(info.status).toBe(0)
    const lines = info.stdout.split('\n')
    expect(lines[7]).toMatch(/^Unpacked wheels size: 3\.\d MB$/)
    lines[7] = 'Unpacked wheels size: (checked above)'
    expect(lines).toEqual([
      `Package index page cache location: ${ours}/http-cache-v2`,
      'Package index page cache size: 0 bytes',
      'Number of HTTP files: 0',
      `Wheels location: ${ours}/wheels-v2`,
      'Wheels size: 3.0 MB',
      'Number of wheels: 3',
      `Unpacked wheels location: ${ours}/archives-v1`,
      'Unpacked wheels size: (checked above)',
      'Number of unpacked wheels: 3',
      '',
    ])
  })

  it('removes by pattern with pip messages, then purges', () => {
    const none = pipette(['cache', 'remove', 'nomatch', '--cache-dir', ours])
    expect(none.status).toBe(0)
    expect(none.stderr).toBe('WARNING: No matching packages for pattern "nomatch"\n')
    expect(none.stdout).toBe('Files removed: 0 (0 bytes)\nDirectories removed: 0\n')

    const one = pipette(['cache', 'remove', 'wheel', '-v', '--cache-dir', ours])
    expect(one.status).toBe(0)
    expect(one.stdout).toMatch(/^Removed \S+\/wheel-0\.38\.4-py3-none-any\.whl\nFiles removed: 1 \(36 kB\)\nDirectories removed: [2-4]\n$/)
    expect(pipette(['cache', 'list', '--cache-dir', ours]).stdout).not.toContain('wheel-0.38.4')
    expect(pipette(['cache', 'info', '--cache-dir', ours]).stdout).toContain('Number of unpacked wheels: 2')

    const purge = pipette(['cache', 'purge', '--cache-dir', ours])
    expect(purge.status).toBe(0)
    expect(purge.stdout).toMatch(/^Files removed: 2 \(3\.0 MB\)\nDirectories removed: \d+\n$/)
    expect(pipette(['cache', 'list', '--cache-dir', ours]).stdout).toBe('No wheels cached.\n')
    const again = pipette(['cache', 'purge', '--cache-dir', ours])
    expect(again.stderr).toBe('WARNING: No matching packages\n')
    expect(again.stdout).toBe('Files removed: 0 (0 bytes)\nDirectories removed: 0\n')
  })

  it('answers bad usage as pip: exit 1, one clear error, no stack trace', () => {
    const cases: [string[], string][] = [
      [['cache'], 'ERROR: Need an action (dir, info, list, purge, remove) to perform.'],
      [['cache', 'frobnicate'], 'ERROR: Need an action (dir, info, list, purge, remove) to perform.'],
      [['cache', 'dir', 'extra'], 'ERROR: Too many arguments'],
      [['cache', 'list', 'a', 'b'], 'ERROR: Too many arguments'],
      [['cache', 'remove'], 'ERROR: Please provide a pattern'],
      [['cache', 'purge', 'x'], 'ERROR: Too many arguments'],
    ]
    for (const [args, message] of cases) {
      const result = pipette([...args, '--cache-dir', ours])
      expect(result.status).toBe(1)
      expect(result.stderr.split('\n')[0]).toBe(message)
      expect(result.stderr).not.toMatch(/\n\s+at /)
    }
  })
})
