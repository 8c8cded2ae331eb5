/** Helpers for the tests of the commands that read indexes (download, index versions): a served index, pipette and pip runners with clean environments. */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, realpathSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildWheel, startIndexServer, writeIndex } from '@pipette/fixtures'
import type { IndexServer } from '@pipette/fixtures'

export const bin = fileURLToPath(new URL('../bin/run.js', import.meta.url))

export interface Result {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

/** PATH and HOME only: no PIP_* variable of this machine leaks in; pip reads no configuration file. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/root', PIP_CONFIG_FILE: '/dev/null', ...extra }
}

export function tempDir(prefix = 'pipette-cli-index-'): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)))
}

export function pipette(args: readonly string[], options: { env?: Record<string, string>; cwd?: string } = {}): Result {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: cleanEnv(options.env), cwd: options.cwd })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** pipette in the background (for several processes at once). */
export function pipetteAsync(args: readonly string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: cleanEnv(options.env), cwd: options.cwd })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c))
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c))
    child.on('error', reject)
    child.on('close', (status) => resolve({ status, stdout, stderr }))
  })
}

export function pip(args: readonly string[], options: { env?: Record<string, string>; cwd?: string } = {}): Result {
  const result = spawnSync('python3', ['-m', 'pip', '--disable-pip-version-check', '--no-input', ...args], { encoding: 'utf8', env: cleanEnv(options.env), cwd: options.cwd })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

export interface ServedIndex {
  readonly server: IndexServer
  readonly root: string
  readonly dir: string
  readonly close: () => Promise<void>
}

/**
 * An index of small projects: alpha 1.0, 2.0, 3.0b1 (pre-release), 4.0 (Requires-Python >=3.99);
 * beta 1.0 and 1.5 (yanked); tampered 1.0 (wrong sha256 published); Mixed_Case.Name 0.1.
 */
export async function serveIndex(): Promise<ServedIndex> {
  const dir = tempDir()
  const wheels = join(dir, 'wheels')
  for (const version of ['1.0', '2.0', '3.0b1']) await buildWheel({ name: 'alpha', version }, { outDir: wheels })
  await buildWheel({ name: 'alpha', version: '4.0', requiresPython: '>=3.99' }, { outDir: wheels })
  for (const version of ['1.0', '1.5']) await buildWheel({ name: 'beta', version }, { outDir: wheels })
  await buildWheel({ name: 'tampered', version: '1.0' }, { outDir: wheels })
  await buildWheel({ name: 'Mixed_Case.Name', version: '0.1' }, { outDir: wheels })
  const root = join(dir, 'root')
  const file = (name: string) => join(wheels, name)
  await writeIndex({
    outDir: root,
    files: [
      ...['alpha-1.0', 'alpha-2.0', 'alpha-3.0b1', 'alpha-4.0', 'beta-1.0', 'mixed_case_name-0.1'].map((n) => file(`${n}-py3-none-any.whl`)),
      { path: file('beta-1.5-py3-none-any.whl'), yanked: 'broken' },
      { path: file('tampered-1.0-py3-none-any.whl'), wrongHash: true },
    ],
  })
  const server = await startIndexServer({ root })
  return {
    server,
    root,
    dir,
    close: async () => {
      await server.stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
