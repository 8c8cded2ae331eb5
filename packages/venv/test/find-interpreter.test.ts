import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findInterpreter } from '../src/index.js'
import { SYSTEM_PYTHON, tempDir } from './helpers.js'

/** A directory laid out as a venv (bin/python -> the system Python). */
function fakeVenv(dir: string): string {
  mkdirSync(join(dir, 'bin'), { recursive: true })
  symlinkSync(SYSTEM_PYTHON, join(dir, 'bin', 'python'))
  return dir
}

describe('findInterpreter', () => {
  const root = tempDir()
  const venv = fakeVenv(join(root, 'env'))
  const pathDir = join(root, 'path-bin')
  mkdirSync(pathDir)
  writeFileSync(join(pathDir, 'python3.99'), '#!/bin/sh\n')
  chmodSync(join(pathDir, 'python3.99'), 0o755)
  writeFileSync(join(pathDir, 'python3'), '#!/bin/sh\n')
  chmodSync(join(pathDir, 'python3'), 0o755)
  writeFileSync(join(pathDir, 'python3.98'), 'not executable')
  const env = { PATH: pathDir }

  it('takes --python as a venv directory', async () => {
    expect(await findInterpreter({ python: venv, env })).toEqual({
      executable: join(venv, 'bin', 'python'),
      source: 'python-option',
      environment: venv,
    })
  })

  it('takes --python as a relative directory or file path', async () => {
    expect((await findInterpreter({ python: 'env', cwd: root, env })).executable).toBe(join(venv, 'bin', 'python'))
    expect(await findInterpreter({ python: './env/bin/python', cwd: root, env })).toEqual({
      executable: join(venv, 'bin', 'python'),
      source: 'python-option',
      environment: null,
    })
  })

  it('looks a bare --python name up on PATH', async () => {
    expect((await findInterpreter({ python: 'python3.99', cwd: root, env })).executable).toBe(join(pathDir, 'python3.99'))
  })

  it('refuses a name that is not an executable on PATH', async () => {
    await expect(findInterpreter({ python: 'python3.98', cwd: root, env })).rejects.toMatchObject({ code: 'ERR_PYTHON_NOT_FOUND' })
    await expect(findInterpreter({ python: 'nope', cwd: root, env })).rejects.toThrow(/Could not locate Python interpreter nope/)
    await expect(findInterpreter({ python: './nope', cwd: root, env })).rejects.toMatchObject({ code: 'ERR_PYTHON_NOT_FOUND' })
  })

  it('refuses a directory that holds no interpreter', async () => {
    await expect(findInterpreter({ python: pathDir, env })).rejects.toThrow(/directory without a Python interpreter/)
  })

  it('uses VIRTUAL_ENV before ./.venv and PATH', async () => {
    fakeVenv(join(root, '.venv'))
    expect(await findInterpreter({ cwd: root, env: { ...env, VIRTUAL_ENV: venv } })).toEqual({
      executable: join(venv, 'bin', 'python'),
      source: 'VIRTUAL_ENV',
      environment: venv,
    })
    await expect(findInterpreter({ cwd: root, env: { ...env, VIRTUAL_ENV: join(root, 'gone') } })).rejects.toThrow(
      /VIRTUAL_ENV is .*gone, but there is no Python interpreter in it/,
    )
  })

  it('uses ./.venv before PATH', async () => {
    expect(await findInterpreter({ cwd: root, env })).toEqual({
      executable: join(root, '.venv', 'bin', 'python'),
      source: '.venv',
      environment: join(root, '.venv'),
    })
  })

  it('falls back to python3 on PATH, and fails clearly without one', async () => {
    const elsewhere = tempDir()
    expect(await findInterpreter({ cwd: elsewhere, env })).toEqual({ executable: join(pathDir, 'python3'), source: 'PATH', environment: null })
    await expect(findInterpreter({ cwd: elsewhere, env: { PATH: elsewhere } })).rejects.toMatchObject({
      code: 'ERR_PYTHON_NOT_FOUND',
      hint: expect.stringContaining('--python'),
    })
  })
})
