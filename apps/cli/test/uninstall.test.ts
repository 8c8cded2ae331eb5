import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { copyEnvironment, pipEnvironment, snapshotTree } from '@pipette/fixtures'
import { cleanEnv, pip, pipette, tempDir } from './venv-helpers.js'

const shared = await pipEnvironment()

const snapshot = (root: string): string[] => snapshotTree(root)

function twoCopies() {
  const root = tempDir()
  return [copyEnvironment(shared, join(root, 'pip-env')), copyEnvironment(shared, join(root, 'pipette-env'))] as const
}

describe('pipette uninstall (differential against pip)', { timeout: 180_000 }, () => {
  it('leaves the same tree as pip after uninstalling the same projects, and prints the same', () => {
    const [a, b] = twoCopies()
    expect(snapshot(a.dir)).toEqual(snapshot(b.dir))
    const names = ['demo-app', 'Wheel', 'legacy_pkg', 'setuptools', 'editable-pkg', 'dep-a', 'not-installed']
    const theirs = pip(['--python', a.python, 'uninstall', '-y', ...names])
    const ours = pipette(['uninstall', '-y', ...names, '--python', b.dir])
    expect(ours.status).toBe(0)
    expect(theirs.status).toBe(0)
    expect(ours.stdout).toBe(theirs.stdout)
    expect(ours.stderr).toContain('WARNING: Skipping not-installed as it is not installed.\n')
    expect(snapshot(b.dir)).toEqual(snapshot(a.dir))
    expect(snapshot(b.dir).some((line) => line.startsWith('bin/demo'))).toBe(false)
  })

  it("shows pip's confirmation and honours the answer", () => {
    const [a, b] = twoCopies()
    const declined = [pip(['--python', a.python, 'uninstall', 'demo-app'], { input: 'x\nn\n' }), pipette(['uninstall', 'demo-app', '--python', b.dir], { input: 'x\nn\n' })]
    expect(declined[1]!.stdout.replaceAll(b.dir, a.dir)).toBe(declined[0]!.stdout)
    expect(declined[1]!.stdout).toContain('  Would remove:\n')
    expect(snapshot(b.dir)).toEqual(snapshot(a.dir))
    const accepted = [pip(['--python', a.python, 'uninstall', 'demo-app', '-v'], { input: 'y\n' }), pipette(['uninstall', 'demo-app', '-v', '--python', b.dir], { input: 'y\n' })]
    const lines = (text: string) => text.split('\n').filter((line) => !line.startsWith('  Removing file or directory') && !line.startsWith('Using pip'))
    expect(lines(accepted[1]!.stdout.replaceAll(b.dir, a.dir))).toEqual(lines(accepted[0]!.stdout))
    expect(snapshot(b.dir)).toEqual(snapshot(a.dir))
  })

  it('reads -r files, and fails as pip does without anything to uninstall or without input', () => {
    const [, b] = twoCopies()
    const dir = tempDir()
    const file = join(dir, 'reqs.txt')
    writeFileSync(file, '# comment\nwheel==0.38.4  # pinned\n\n--index-url https://example.org\nsetuptools>=1\n')
    const ours = pipette(['uninstall', '-y', '-r', file, '--python', b.dir])
    expect(ours.stdout).toContain('Successfully uninstalled wheel-0.38.4\n')
    expect(ours.stdout).toContain('Successfully uninstalled setuptools-66.1.1\n')
    const none = pipette(['uninstall', '--python', b.dir])
    expect(none.status).toBe(1)
    expect(none.stderr).toBe('ERROR: You must give at least one requirement to uninstall (see "pipette help uninstall")\n')
    const noInput = pipette(['uninstall', 'pip', '--python', b.dir])
    expect(noInput.status).toBe(2)
    expect(noInput.stderr).toContain('ERROR: No input was expected ($PIP_NO_INPUT set); question: Proceed (Y/n)? \n')
    const env = cleanEnv()
    delete env['PIP_NO_INPUT']
    const eof = pipette(['uninstall', 'pip', '--python', b.dir], { input: '', env })
    expect(eof.status).toBe(2)
    expect(eof.stdout).toMatch(/\nProceed \(Y\/n\)\? $/)
    expect(eof.stderr).toContain('ERROR: EOF when reading a line\n')
  })
})
