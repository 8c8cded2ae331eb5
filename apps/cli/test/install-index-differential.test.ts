/**
 * The differential test of installs from an index: for each requirement
 * set, pip (`python3 -m pip install -r X`) and pipette (`pipette install -r
 * X`) install into two fresh virtual environments from the same local nginx
 * index, and what is installed must be the same: the name==version sets, and
 * `pip list --format json` of both environments. The sets cover the real
 * wheels of /usr/share/python-wheels, the example universe (extras, markers,
 * Requires-Python, a pre-release, a yanked release), universes that need
 * one and two levels of backtracking, constraints, and an upgrade of an
 * existing environment.
 */
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanEnv, pipette, tempDir } from './index-helpers.js'
import type { InstallIndex } from './install-index-helpers.js'
import { makeVenv, serveInstallIndex } from './install-index-helpers.js'

interface Case {
  readonly name: string
  readonly requirements: string
  readonly constraints?: string | undefined
  /** Installed first, by both sides, into both environments. */
  readonly before?: string | undefined
  readonly flags?: readonly string[] | undefined
}

const CASES: readonly Case[] = [
  { name: 'real wheels', requirements: 'wheel\nsetuptools\n' },
  { name: 'real wheels, pinned', requirements: 'setuptools==66.1.1\nwheel>=0.38\n' },
  { name: 'example application with an extra', requirements: 'demo-app[fast]\n' },
  { name: 'example library alone, pre-releases left out, Requires-Python honoured', requirements: 'demo-lib\ndemo-utils\n' },
  { name: 'a yanked release pinned', requirements: 'demo-utils==1.0.0\n' },
  { name: 'one level of backtracking', requirements: 'bt-app\nbt-plugin\n' },
  { name: 'two levels of backtracking', requirements: 'dx-a\n' },
  { name: 'markers and extras of extras', requirements: 'mk-app[cli]\n' },
  { name: 'constraints', requirements: 'up-a\nmk-app\n', constraints: 'up-b<2\nmk-core<1.1\n' },
  { name: 'upgrade of an environment', before: 'up-a==1.0\nup-b==1.0\n', requirements: 'up-a\n', flags: ['--upgrade'] },
  { name: 'installed versions kept without --upgrade', before: 'up-b==1.0\n', requirements: 'up-b\nbt-app\n' },
]

function run(command: string, args: readonly string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { encoding: 'utf8', cwd, env: cleanEnv() })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

function pipList(venv: string, cwd: string): Array<{ name: string; version: string }> {
  const r = run('python3', ['-m', 'pip', '--disable-pip-version-check', '--python', join(venv, 'bin', 'python'), 'list', '--format', 'json'], cwd)
  if (r.status !== 0) throw new Error(`pip list failed: ${r.stderr}`)
  return (JSON.parse(r.stdout) as Array<{ name: string; version: string }>).sort((a, b) => a.name.localeCompare(b.name))
}

let index: InstallIndex
let work: string
beforeAll(async () => {
  index = await serveInstallIndex()
  work = tempDir('pipette-install-diff-')
}, 120_000)
afterAll(async () => {
  await index?.close()
})

describe('pipette install -r vs pip install -r on a local index', { timeout: 300_000 }, () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (name, testCase) => {
    const dir = join(work, name.replace(/\W+/g, '-'))
    const files = tempDir('pipette-install-diff-files-')
    writeFileSync(join(files, 'requirements.txt'), testCase.requirements)
    const constraint = testCase.constraints === undefined ? [] : ['-c', join(files, 'constraints.txt')]
    if (testCase.constraints !== undefined) writeFileSync(join(files, 'constraints.txt'), testCase.constraints)
    const pipVenv = makeVenv(`${dir}-pip`)
    const ownVenv = makeVenv(`${dir}-pipette`)
    const pipArgs = (venv: string, file: string, extra: readonly string[]) => [
      '-m',
      'pip',
      '--disable-pip-version-check',
      '--python',
      join(venv, 'bin', 'python'),
      'install',
      '--no-cache-dir',
      '--index-url',
      index.server.indexUrl,
      ...extra,
      '-r',
      file,
    ]
    const ownArgs = (venv: string, file: string, extra: readonly string[]) => ['install', '--python', venv, '--cache-dir', join(work, 'cache'), '--index-url', index.server.indexUrl, ...extra, '-r', file]
    if (testCase.before !== undefined) {
      writeFileSync(join(files, 'before.txt'), testCase.before)
      for (const venv of [pipVenv, ownVenv]) {
        const r = run('python3', pipArgs(venv, join(files, 'before.txt'), []), files)
        expect(r.status, r.stderr).toBe(0)
      }
    }
    const fromPip = run('python3', pipArgs(pipVenv, join(files, 'requirements.txt'), [...constraint, ...(testCase.flags ?? [])]), files)
    const fromPipette = pipette(ownArgs(ownVenv, join(files, 'requirements.txt'), [...constraint, ...(testCase.flags ?? [])]), { cwd: files })
    expect(fromPipette.status, fromPipette.stderr).toBe(fromPip.status)
    const pipListed = pipList(pipVenv, files)
    const ownListed = pipList(ownVenv, files)
    expect(ownListed).toEqual(pipListed)
    expect(ownListed.length).toBeGreaterThan(0)
    const summary = (out: string) => out.trim().split('\n').find((l) => l.startsWith('Successfully installed')) ?? ''
    expect(summary(fromPipette.stdout)).toBe(summary(fromPip.stdout))
  })
})
