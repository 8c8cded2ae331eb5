// The root README's main job (examples/main-job.mjs) works: example index as a file: index, a fresh
// venv, `pipette install -r examples/requirements.txt`, and the installed script runs.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'
import { cleanEnv, tempDir } from './index-helpers.js'

const script = fileURLToPath(new URL('../../../examples/main-job.mjs', import.meta.url))

it('runs the main job of the README', { timeout: 120_000 }, () => {
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8', env: cleanEnv({ PIPETTE_EXAMPLE_DIR: tempDir('pipette-main-job-') }) })
  expect(r.status, r.stderr).toBe(0)
  expect(r.stdout).toContain('Successfully installed demo-app-1.0.0 demo-lib-1.1.0 demo-speedups-1.0.0 demo-utils-0.2.0')
  expect(r.stdout.trim().split('\n').at(-1)).toBe('demo-app 1.0.0 (demo-lib 1.1.0, demo-utils 0.2.0 fast=1.0.0)')
})
