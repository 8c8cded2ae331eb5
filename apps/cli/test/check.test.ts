import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { copyEnvironment, pipEnvironment } from '@pipette/fixtures'
import { pip, pipette, tempDir } from './venv-helpers.js'

const env = await pipEnvironment()

describe('pipette check (differential against pip)', { timeout: 180_000 }, () => {
  it('reports missing and conflicting requirements as pip does, and exits 1', () => {
    const ours = pipette(['check', '--python', env.dir])
    const theirs = pip(['--python', env.python, 'check'])
    expect(ours.stdout).toBe(theirs.stdout)
    expect(ours.status).toBe(1)
    expect(theirs.status).toBe(1)
    // pip 26 cannot parse a non-PEP 440 version (pip 23.2.1 only warns it is deprecated).
    expect(ours.stderr).toContain("WARNING: Error parsing dependencies of oddver: Invalid version: 'weird'\n")
  })

  it('says so when nothing is broken, and exits 0', () => {
    const copy = copyEnvironment(env, join(tempDir(), 'env'))
    const fixed = pip(['--python', copy.python, 'uninstall', '-y', 'demo-app', 'legacy-pkg', 'dep-a', 'oddver'])
    expect(fixed.status).toBe(0)
    const ours = pipette(['check', '--python', copy.dir])
    const theirs = pip(['--python', copy.python, 'check'])
    expect(ours.stdout).toBe('No broken requirements found.\n')
    expect(ours.stdout).toBe(theirs.stdout)
    expect(ours.status).toBe(0)
    // A wheel for another platform (pip 26 reports it; pip 23.2.1 does not look).
    const info = join(copy.sitePackages, 'native-1.0.dist-info')
    mkdirSync(info)
    writeFileSync(join(info, 'METADATA'), 'Metadata-Version: 2.1\nName: native\nVersion: 1.0\n')
    writeFileSync(join(info, 'WHEEL'), 'Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: cp27-cp27mu-win32.macosx_10_9_x86_64\n')
    const unsupported = pipette(['check', '--python', copy.dir])
    expect(unsupported.stdout).toBe('native 1.0 is not supported on this platform\n')
    expect(unsupported.status).toBe(1)
  })
})
