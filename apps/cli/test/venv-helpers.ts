/** Helpers for the tests of the environment commands (venv, uninstall, list, show, freeze, check, inspect). */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, realpathSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll } from 'vitest'

export const bin = fileURLToPath(new URL('../bin/run.js', import.meta.url))
/** The pip oracle: pyenv's Python 3.11.7 with pip 23.2.1. */
export const PYTHON = 'python3'
export const SYSTEM_PYTHON = '/usr/bin/python3'

const made: string[] = []
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true })
})

export function tempDir(prefix = 'pipette-cli-'): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)))
  made.push(dir)
  return dir
}

export interface Result {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

/**
 * The environment commands (pipette's and pip's) run with: no active venv, none of this machine's `PIP_*`
 * variables and no configuration file (`PIP_CONFIG_FILE=/dev/null`).
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('PIP_') && key !== 'VIRTUAL_ENV') env[key] = value
  return { ...env, PIP_CONFIG_FILE: '/dev/null', PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_COLOR: '1', PIP_NO_INPUT: '1', ...extra }
}

export function pipette(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Result {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: options.cwd, env: options.env ?? cleanEnv(), input: options.input ?? '' })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

export function pip(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Result {
  const r = spawnSync(PYTHON, ['-m', 'pip', ...args], { encoding: 'utf8', cwd: options.cwd, env: options.env ?? cleanEnv(), input: options.input ?? '' })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}
