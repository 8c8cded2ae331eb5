import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SYSTEM_PYTHON, cleanEnv, pip, pipette, tempDir } from './venv-helpers.js'

describe('pipette venv', { timeout: 180_000 }, () => {
  it('creates .venv by default, as pip and Python accept it', () => {
    const cwd = tempDir()
    const r = pipette(['venv', '--python', SYSTEM_PYTHON], { cwd })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toBe(
      `Using CPython 3.11.2 interpreter at: ${SYSTEM_PYTHON}\nCreating virtual environment at: .venv\nActivate with: source .venv/bin/activate\n`,
    )
    expect(readFileSync(join(cwd, '.venv', 'pyvenv.cfg'), 'utf8')).toContain('include-system-site-packages = false\n')
    const list = pip(['--python', join(cwd, '.venv', 'bin', 'python'), 'list', '--format', 'json'])
    expect(list.stdout).toBe('[]\n')
  })

  it('takes --prompt, --system-site-packages and a directory', () => {
    const cwd = tempDir()
    const r = pipette(['venv', '--python', SYSTEM_PYTHON, '--prompt', 'demo', '--system-site-packages', 'envs/one', '-q'], { cwd })
    expect(r.status).toBe(0)
    expect(r.stdout).toBe('')
    const cfg = readFileSync(join(cwd, 'envs', 'one', 'pyvenv.cfg'), 'utf8')
    expect(cfg).toContain("include-system-site-packages = true\nversion = 3.11.2\nprompt = 'demo'\n")
  })

  it('updates an environment in place, and --clear empties it', () => {
    const cwd = tempDir()
    expect(pipette(['venv', '--python', SYSTEM_PYTHON], { cwd }).status).toBe(0)
    const marker = join(cwd, '.venv', 'lib', 'python3.11', 'site-packages', 'marker.py')
    writeFileSync(marker, '')
    expect(pipette(['venv', '--python', SYSTEM_PYTHON], { cwd }).stdout).toContain('Updating virtual environment at: .venv\n')
    expect(existsSync(marker)).toBe(true)
    expect(pipette(['venv', '--python', SYSTEM_PYTHON, '--clear'], { cwd }).stdout).toContain('Creating virtual environment at: .venv\n')
    expect(existsSync(marker)).toBe(false)
  })

  it('uses ./.venv\'s base interpreter by default, and PIP_PYTHON', () => {
    const cwd = tempDir()
    expect(pipette(['venv', '--python', SYSTEM_PYTHON], { cwd }).status).toBe(0)
    expect(pipette(['venv', 'second'], { cwd }).stdout).toMatch(/^Using CPython 3\.11\.2 interpreter at: \/usr\/bin\/python3/)
    expect(pipette(['venv', 'third'], { cwd, env: cleanEnv({ PIP_PYTHON: SYSTEM_PYTHON }) }).status).toBe(0)
  })

  it('fails clearly, without a stack trace', () => {
    const cwd = tempDir()
    const missing = pipette(['venv', '--python', 'no-such-python'], { cwd })
    expect(missing.status).toBe(1)
    expect(missing.stderr).toBe(
      'ERROR: Could not locate Python interpreter no-such-python\nhint: Pass a path (--python /usr/bin/python3), a name on PATH (--python python3.12) or a virtual environment (--python .venv)\n',
    )
    mkdirSync(join(cwd, 'project'))
    writeFileSync(join(cwd, 'project', 'file'), '')
    const taken = pipette(['venv', '--python', SYSTEM_PYTHON, 'project'], { cwd })
    expect(taken.status).toBe(1)
    expect(taken.stderr).toMatch(/^ERROR: .*project exists, is not empty and is not a virtual environment\n/)
    expect(taken.stderr).not.toMatch(/\n\s+at /)
  })
})
