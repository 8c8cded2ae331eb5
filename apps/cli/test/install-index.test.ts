/**
 * `pipette install` resolving from an index, through the real CLI: pip's
 * lines, exit codes, `--dry-run`, `--report`, `-r`/`-c`, errors without
 * stack traces, no progress bar when piped, and a handful of packse
 * scenarios (the 103 run in-process in @pipette/installer's tests).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Result } from './index-helpers.js'
import { cleanEnv, pipette, tempDir } from './index-helpers.js'
import type { InstallIndex } from './install-index-helpers.js'
import { makeVenv, serveInstallIndex } from './install-index-helpers.js'

let index: InstallIndex
let work: string
let cache: string
beforeAll(async () => {
  index = await serveInstallIndex()
  work = tempDir('pipette-cli-install-')
  cache = join(work, 'cache')
}, 120_000)
afterAll(async () => {
  await index?.close()
})

function install(venv: string, args: readonly string[]): Result {
  return pipette(['install', '--python', venv, '--index-url', index.server.indexUrl, '--cache-dir', cache, ...args], { cwd: work })
}

describe('pipette install from an index', { timeout: 120_000 }, () => {
  it("resolves, installs and prints pip's lines", () => {
    const venv = makeVenv(join(work, 'v-example'))
    const r = install(venv, ['demo-app[fast]'])
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines[0]).toBe(`Looking in indexes: ${index.server.indexUrl}`)
    expect(lines[1]).toBe('Collecting demo-app[fast]')
    expect(lines).toContain('Collecting demo-lib>=1.0 (from demo-app[fast])')
    expect(lines).toContain('Collecting demo-speedups>=1.0 (from demo-app[fast])')
    expect(lines.filter((l) => l.startsWith('Downloading '))).toHaveLength(4)
    expect(lines).toContain(`Downloading ${index.server.url}/files/demo_app-1.0.0-py3-none-any.whl (1.6 kB)`)
    expect(lines).toContain('Installing collected packages: demo-utils, demo-speedups, demo-lib, demo-app')
    expect(lines.at(-1)).toBe('Successfully installed demo-app-1.0.0 demo-lib-1.1.0 demo-speedups-1.0.0 demo-utils-0.2.0')
    // No progress bar when the output is not a terminal.
    expect(r.stdout).not.toContain('\r')
    expect(r.stdout).not.toContain('━')

    const again = install(venv, ['demo-app'])
    expect(again.status).toBe(0)
    expect(again.stdout).toContain(`Requirement already satisfied: demo-app in ./v-example/lib/python`)
    expect(again.stdout).toContain('Requirement already satisfied: demo-utils<1 in ./v-example/lib/python')
    expect(again.stdout).not.toContain('Successfully installed')
  })

  it('--dry-run says what would be installed, --report writes pip\'s JSON, -r and -c are read', () => {
    const venv = makeVenv(join(work, 'v-dry'))
    writeFileSync(join(work, 'req.txt'), 'up-a\nmk-app[cli]\n')
    writeFileSync(join(work, 'con.txt'), 'up-b<2\nup-a<2\n')
    const report = join(work, 'report.json')
    const r = install(venv, ['-r', 'req.txt', '-c', 'con.txt', '--dry-run', '--report', report])
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('Collecting up-a (from -r req.txt (line 1))')
    expect(r.stdout).toContain('Collecting mk-cli[color]>=1 (from mk-app[cli]->-r req.txt (line 2))')
    expect(r.stdout.trim().split('\n').at(-1)).toBe('Would install mk-app-1.0 mk-cli-1.0 mk-color-0.5 mk-core-1.1 up-a-1.0 up-b-1.0')
    expect(existsSync(join(venv, 'lib'))).toBe(true)
    const json = JSON.parse(readFileSync(report, 'utf8')) as { version: string; install: Array<{ metadata: { name: string }; requested: boolean; requested_extras?: string[] }> }
    expect(json.version).toBe('1')
    expect(json.install.map((i) => i.metadata.name).sort()).toEqual(['mk-app', 'mk-cli', 'mk-color', 'mk-core', 'up-a', 'up-b'])
    expect(json.install.find((i) => i.metadata.name === 'mk-app')?.requested_extras).toEqual(['cli'])
    const stdoutReport = install(venv, ['up-a', '--dry-run', '--report', '-', '-q'])
    expect(JSON.parse(stdoutReport.stdout)).toMatchObject({ version: '1', install: [{ metadata: { name: 'up-b' } }, { metadata: { name: 'up-a' } }] })
  })

  it('upgrades with -U and replaces the old version', () => {
    const venv = makeVenv(join(work, 'v-up'))
    expect(install(venv, ['up-a==1.0', 'up-b==1.0']).status).toBe(0)
    const r = install(venv, ['-U', 'up-a'])
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('  Attempting uninstall: up-a\n    Found existing installation: up-a 1.0\n    Uninstalling up-a-1.0:\n      Successfully uninstalled up-a-1.0')
    expect(r.stdout.trim().split('\n').at(-1)).toBe('Successfully installed up-a-2.0 up-b-2.0')
  })

  it('explains an impossible resolution with exit code 1 and no stack trace', () => {
    const venv = makeVenv(join(work, 'v-conflict'))
    const r = install(venv, ['bt-lib==2.0', 'bt-plugin'])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^ERROR: /)
    expect(r.stderr).toContain('bt-core')
    expect(r.stderr).not.toMatch(/\n\s+at /)
    const missing = install(venv, ['no-such-project'])
    expect(missing.status).toBe(1)
    expect(missing.stderr).toContain('no-such-project')
    expect(missing.stderr).not.toMatch(/\n\s+at /)
  })

  it('refuses --python-version without --dry-run or --target, as pip', () => {
    const r = install(makeVenv(join(work, 'v-pyver')), ['--python-version', '3.12', 'up-a'])
    expect(r.status).toBe(1)
    expect(r.stderr).toContain("Can not use any platform or abi specific options unless installing via '--target' or using '--dry-run'")
  })

  it('download follows dependencies and saves the same files as pip download', () => {
    const own = join(work, 'dl-pipette')
    const theirs = join(work, 'dl-pip')
    const r = pipette(['download', '-d', own, '--index-url', index.server.indexUrl, '--cache-dir', cache, 'demo-app[fast]', 'dx-a'], { cwd: work })
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toContain('Saved ./dl-pipette/demo_app-1.0.0-py3-none-any.whl')
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^Successfully downloaded /)
    const p = spawnSync('python3', ['-m', 'pip', '--disable-pip-version-check', 'download', '--no-cache-dir', '-d', theirs, '--index-url', index.server.indexUrl, 'demo-app[fast]', 'dx-a'], {
      encoding: 'utf8',
      env: cleanEnv(),
      cwd: work,
    })
    expect(p.status, p.stderr).toBe(0)
    expect(readdirSync(own).sort()).toEqual(readdirSync(theirs).sort())
    const again = pipette(['download', '-d', own, '--index-url', index.server.indexUrl, '--cache-dir', cache, 'demo-app'], { cwd: work })
    expect(again.stdout).toContain(`File was already downloaded ${join(own, 'demo_app-1.0.0-py3-none-any.whl')}`)
  })

  it('runs packse scenarios through the CLI for their target Python', () => {
    if (index.packse.length === 0) return
    const venv = makeVenv(join(work, 'v-packse'))
    for (const universe of index.packse) {
      const options = universe.noBinary.flatMap((name) => ['--no-binary', name])
      const r = install(venv, ['--dry-run', '--python-version', universe.scenario.environment.python, ...options, ...universe.requirements])
      expect(r.status, `${universe.scenario.name}: ${r.stderr}`).toBe(universe.scenario.expected.satisfiable ? 0 : 1)
      if (universe.expectedPackages === undefined) continue
      const would = r.stdout.trim().split('\n').at(-1) ?? ''
      for (const [name, version] of Object.entries(universe.expectedPackages)) expect(would, universe.scenario.name).toContain(`${name}-${version}`)
    }
  })
})
