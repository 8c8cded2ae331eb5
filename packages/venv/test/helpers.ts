import { execFileSync } from 'node:child_process'
import { mkdtempSync, realpathSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'

/** The pyenv Python with pip 23.2.1 (the CLI oracle): `python3` on PATH. */
export const PYTHON = 'python3'
/** Debian's Python 3.11.2 with PyPA packaging 23.0 (the formats oracle). */
export const SYSTEM_PYTHON = '/usr/bin/python3'

const made: string[] = []
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true })
})

/** A fresh temporary directory (real path), removed after the test file. */
export function tempDir(prefix = 'pipette-venv-'): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)))
  made.push(dir)
  return dir
}

/** Runs a program and returns its stdout (throws on a non-zero exit). */
export function run(file: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  return execFileSync(file, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] })
}

/** Runs Python code in an interpreter and parses the JSON it prints. */
export function pythonJson<T>(python: string, code: string): T {
  return JSON.parse(run(python, ['-c', code])) as T
}

/** `python -m venv --without-pip DIR` with the given interpreter. */
export function stdlibVenv(python: string, dir: string, args: readonly string[] = []): string {
  run(python, ['-m', 'venv', '--without-pip', ...args, dir])
  return dir
}
