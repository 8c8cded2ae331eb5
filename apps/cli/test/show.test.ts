import { describe, expect, it } from 'vitest'
import { pipEnvironment } from '@pipette/fixtures'
import { pip, pipette } from './venv-helpers.js'

const env = await pipEnvironment()
const both = (args: string[]) => [pipette([...args, '--python', env.dir]), pip(['--python', env.python, ...args])] as const

/**
 * pip 26 differs from the pip 23.2.1 oracle in two ways this environment shows: Requires lists each
 * name once, and an empty Home-page falls back to a "Homepage" Project-URL (PEP 753 labels).
 */
function asPip26(pip23: string): string {
  return pip23.replace('Requires: dep-a, dep-a, Dep_B, missing-dep', 'Requires: dep-a, Dep_B, missing-dep').replace(/(Name: demo-app\n[^]*?)Home-page: \n/, '$1Home-page: https://example.org/demo\n')
}

describe('pipette show (differential against pip)', { timeout: 180_000 }, () => {
  for (const args of [['demo-app'], ['-f', '-v', 'wheel', 'Weird_Name.pkg'], ['DEP-A', 'legacy_pkg', 'nope', 'demo-app', 'editable-pkg'], ['-f', 'legacy-pkg', 'oddver']]) {
    it(`prints what pip prints: show ${args.join(' ')}`, () => {
      const [ours, theirs] = both(['show', ...args])
      expect(ours.stdout).toBe(asPip26(theirs.stdout))
      expect(ours.status).toBe(theirs.status)
    })
  }

  it('fails as pip does when nothing is found', () => {
    const [ours, theirs] = both(['show', 'nope', 'neither'])
    expect(ours.status).toBe(1)
    expect(theirs.status).toBe(1)
    expect(ours.stdout).toBe('')
    expect(ours.stderr).toContain('WARNING: Package(s) not found: neither, nope\n')
  })

  it('shows License-Expression for metadata 2.4, as pip 26', () => {
    const ours = pipette(['show', 'modern', '--python', env.dir])
    expect(ours.stdout).toContain('\nLicense-Expression: MIT OR Apache-2.0\nLocation: ')
  })
})
