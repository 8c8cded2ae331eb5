import { describe, expect, it } from 'vitest'
import { pipEnvironment } from '@pipette/fixtures'
import { pip, pipette } from './venv-helpers.js'

const env = await pipEnvironment()
const both = (args: string[]) => [pipette([...args, '--python', env.dir]), pip(['--python', env.python, ...args])] as const

describe('pipette freeze (differential against pip)', { timeout: 180_000 }, () => {
  for (const args of [[], ['--all', '--exclude', 'pip'], ['-l', '--exclude', 'Demo_App', '--exclude-editable']]) {
    it(`prints what pip prints: freeze ${args.join(' ')}`, () => {
      const [ours, theirs] = both(['freeze', ...args])
      expect(ours.stdout).toBe(theirs.stdout)
      expect(ours.status).toBe(theirs.status)
      expect(ours.status).toBe(0)
    })
  }

  it('writes direct references, editables and invalid versions as pip does', () => {
    const out = pipette(['freeze', '--python', env.dir]).stdout
    expect(out).toMatch(/^demo-app @ file:\/\/\/.*demo_app-1\.0-py3-none-any\.whl#sha256=[0-9a-f]{64}$/m)
    expect(out).toContain(`# Editable install with no version control (editable-pkg==0.1)\n-e ${env.dir}/project\n`)
    expect(out).toContain('legacy-pkg==0.1\n')
    expect(out).toContain('oddver===weird\n')
  })
})
