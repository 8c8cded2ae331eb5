import { execFileSync, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const bin = fileURLToPath(new URL('../bin/run.js', import.meta.url))
// No PIP_* variable of this machine and no configuration file.
const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/root', PIP_CONFIG_FILE: '/dev/null' }
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env })

describe('pipette binary', () => {
  it('prints its version as pip does', () => {
    const out = execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8', env })
    expect(out).toMatch(/^pipette \d+\.\d+\.\d+\S* from \S+ \(node \d+\.\d+\.\d+\)\n$/)
    expect(run('-V').stdout).toBe(out)
  })

  it('lists its commands in help', () => {
    const result = run('help')
    expect(result.status).toBe(0)
    expect(result.stdout).toContain('USAGE')
    expect(result.stdout).toContain('$ pipette')
  })

  it('rejects an unknown command with a non-zero exit and no stack trace', () => {
    const result = run('no-such-command')
    expect(result.status).not.toBe(0)
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })
})
