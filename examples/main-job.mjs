#!/usr/bin/env node
// The main job, end to end, on a fresh machine (after `bash scripts/setup.sh`):
// build the bundled example index (wheels, an sdist, a yanked release, a
// pre-release) into examples/.index as a static `file:` index, make a fresh
// virtual environment in examples/.venv with `pipette venv`, install
// examples/requirements.txt into it with `pipette install`, and run the
// console script it installed. No server is left running.
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { buildExampleIndex } from '../packages/fixtures/dist/index.js'

const here = dirname(fileURLToPath(import.meta.url))
const root = dirname(here)
const pipette = join(root, 'apps', 'cli', 'bin', 'run.js')
// PIPETTE_EXAMPLE_DIR moves the index and the environment elsewhere (the test does).
const work = process.env.PIPETTE_EXAMPLE_DIR ?? here
const index = join(work, '.index')
const venv = join(work, '.venv')

// pipette reads pip's configuration (PIP_* variables, pip.conf files): the example runs without this
// machine's, so that only its own index is used.
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('PIP_')))
env.PIP_CONFIG_FILE = '/dev/null'

function run(command, args) {
  console.log(`\n$ ${[command === process.execPath ? 'pipette' : relative(process.cwd(), command) || command, ...args.slice(command === process.execPath ? 1 : 0)].join(' ')}`)
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, env })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

rmSync(index, { recursive: true, force: true })
rmSync(venv, { recursive: true, force: true })
await buildExampleIndex(index)
console.log(`example index written to ${relative(root, index)} (file: URL, no server)`)
run(process.execPath, [pipette, 'venv', relative(root, venv)])
run(process.execPath, [pipette, 'install', '--python', relative(root, venv), '--index-url', `${pathToFileURL(join(index, 'simple')).href}/`, '-r', relative(root, join(here, 'requirements.txt'))])
run(join(venv, 'bin', 'demo-app'), [])
