import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const bin = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', PIP_CONFIG_FILE: '/dev/null' }
const pipette = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env })
const pip = (...args: string[]) => spawnSync('python3', ['-m', 'pip', '--disable-pip-version-check', ...args], { encoding: 'utf8', env })
const pipAvailable = pip('--version').status === 0

const dir = mkdtempSync(join(tmpdir(), 'pipette-hash-'))
const files = [
  '/usr/share/python-wheels/wheel-0.38.4-py3-none-any.whl',
  '/usr/share/python-wheels/pip-23.0.1-py3-none-any.whl',
  join(dir, 'with space.txt'),
  join(dir, 'empty'),
]
writeFileSync(files[2] as string, 'hello\n')
writeFileSync(files[3] as string, '')

describe('pipette hash', () => {
  it('prints FILE:\\n--hash=ALG:HEX for each file, sha256 by default', () => {
    const result = pipette('hash', files[2] as string, files[3] as string)
    expect(result.status).toBe(0)
    expect(result.stdout).toBe(
      `${files[2]}:\n--hash=sha256:5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03\n` +
        `${files[3]}:\n--hash=sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n`,
    )
  })

  it.runIf(pipAvailable).each(['sha256', 'sha384', 'sha512'])('prints exactly what pip hash -a %s prints', (algorithm) => {
    const ours = pipette('hash', '-a', algorithm, ...files)
    const theirs = pip('hash', '-a', algorithm, ...files)
    expect(theirs.status).toBe(0)
    expect(ours.status).toBe(0)
    expect(ours.stdout).toBe(theirs.stdout)
    expect(pipette('hash', `--algorithm=${algorithm}`, ...files).stdout).toBe(theirs.stdout)
  })

  it('answers no file with the usage and exit 1, as pip', () => {
    const result = pipette('hash')
    expect(result.status).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('Usage:   pipette hash [options] <file> ...')
    if (pipAvailable) expect(pip('hash').status).toBe(1)
  })

  it('rejects an unknown algorithm with pip message and exit 2', () => {
    const result = pipette('hash', '-a', 'md5', files[2] as string)
    expect(result.status).toBe(2)
    const last = result.stderr.trim().split('\n').pop()
    expect(last).toBe("option -a: invalid choice: 'md5' (choose from 'sha256', 'sha384', 'sha512')")
    if (pipAvailable) {
      const theirs = pip('hash', '-a', 'md5', files[2] as string)
      expect(theirs.status).toBe(2)
      expect(theirs.stderr.trim().split('\n').pop()).toBe(last)
    }
  })

  it('reports a missing file clearly, without a stack trace (pip crashes there)', () => {
    const result = pipette('hash', join(dir, 'nope.whl'))
    expect(result.status).toBe(1)
    expect(result.stderr).toContain(`ERROR: No such file: '${join(dir, 'nope.whl')}'`)
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })
})
