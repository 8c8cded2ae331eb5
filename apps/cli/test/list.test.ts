import { describe, expect, it } from 'vitest'
import { pipEnvironment } from '@pipette/fixtures'
import { pip, pipette } from './venv-helpers.js'

const env = await pipEnvironment()
const both = (args: string[]) => [pipette([...args, '--python', env.dir]), pip(['--python', env.python, ...args])] as const

describe('pipette list (differential against pip)', { timeout: 180_000 }, () => {
  // pip 26 adds a Build column for wheels with a build tag (Dep_B here), which pip 23.2.1 lacks: compared apart.
  for (const args of [[], ['-v'], ['--format', 'json', '-v'], ['-l', '--exclude-editable', '--exclude', 'PIP'], ['-e'], ['--not-required', '--format', 'json']]) {
    it(`prints what pip prints: list ${args.join(' ')}`, () => {
      const [ours, theirs] = both(['list', '--exclude', 'dep-b', ...args])
      expect(ours.stdout).toBe(theirs.stdout)
      expect(ours.status).toBe(theirs.status)
      expect(ours.stderr).toContain('WARNING: Ignoring invalid distribution ~ip')
    })
  }

  it('prints what pip prints: list --format freeze (but === for a non-PEP 440 version, as pip 26)', () => {
    const [ours, theirs] = both(['list', '--format', 'freeze'])
    expect(ours.stdout).toBe(theirs.stdout.replace('oddver==weird', 'oddver===weird'))
  })

  it("shows pip 26's Build column", () => {
    const ours = pipette(['list', '--python', env.dir, '--exclude-editable', '--exclude', 'pip'])
    expect(ours.stdout.split('\n').slice(0, 5)).toEqual([
      'Package        Version Build',
      '-------------- ------- -----',
      'demo-app       1.0',
      'dep-a          0.5',
      'Dep_B          2.0     1',
    ])
  })

  it('refuses what pip refuses', () => {
    const [ours, theirs] = both(['list', '--path', env.sitePackages, '--user'])
    expect(ours.status).toBe(1)
    expect(theirs.status).toBe(1)
    expect(ours.stderr).toBe("ERROR: Cannot combine '--path' with '--user' or '--local'\n")
  })

  it('lists a --path', () => {
    const [ours, theirs] = both(['list', '--path', env.sitePackages, '--format', 'json'])
    expect(ours.stdout).toBe(theirs.stdout)
  })
})
