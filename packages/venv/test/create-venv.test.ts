import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createVenv, findInterpreter, queryInterpreter } from '../src/index.js'
import type { InterpreterInfo } from '../src/index.js'
import { PYTHON, SYSTEM_PYTHON, run, tempDir } from './helpers.js'

const cacheDir = tempDir('pipette-qcache-')
const pyenvPython = (await findInterpreter({ python: PYTHON })).executable
const OPTIONAL = ['3.9.18', '3.10.13', '3.12.1', '3.13.0'].map((v) => `/root/.pyenv/versions/${v}/bin/python3`).filter((p) => existsSync(p))
const PYTHONS = [pyenvPython, SYSTEM_PYTHON, ...OPTIONAL]

interface Node {
  readonly type: 'dir' | 'file' | 'link'
  readonly mode?: number
  readonly content?: string
}

/** Everything about a tree: each path's type, permission bits, and file contents or link target. */
function snapshot(root: string): Record<string, Node> {
  const out: Record<string, Node> = {}
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name)
      const s = lstatSync(path)
      const key = relative(root, path)
      if (s.isSymbolicLink()) out[key] = { type: 'link', content: readlinkSync(path) }
      else if (s.isDirectory()) {
        out[key] = { type: 'dir', mode: s.mode & 0o7777 }
        walk(path)
      } else out[key] = { type: 'file', mode: s.mode & 0o7777, content: readFileSync(path, 'utf8') }
    }
  }
  walk(root)
  return out
}

function withoutExtras(tree: Record<string, Node>, info: InterpreterInfo): Record<string, Node> {
  const copy = { ...tree }
  delete copy['bin/activate.nu']
  if (info.versionInfo[1] < 13) delete copy['.gitignore']
  return copy
}

const CASES: ReadonlyArray<{ name: string; flags: string[]; options: { prompt?: string; systemSitePackages?: boolean } }> = [
  { name: 'default', flags: [], options: {} },
  { name: 'a prompt with a quote', flags: ["--prompt=it's mine"], options: { prompt: "it's mine" } },
  { name: '--prompt .', flags: ['--prompt', '.'], options: { prompt: '.' } },
  { name: '--system-site-packages', flags: ['--system-site-packages'], options: { systemSitePackages: true } },
]

describe('createVenv makes what python -m venv --without-pip makes', () => {
  for (const python of PYTHONS) {
    it.each(CASES)(`${python}: $name`, async ({ flags, options }) => {
      const info = await queryInterpreter(python, { cacheDir })
      const root = tempDir()
      const dir = join(root, 'my env')
      execFileSync(python, ['-m', 'venv', '--without-pip', ...flags, dir], { cwd: root })
      const expected = snapshot(dir)
      rmSync(dir, { recursive: true })
      const created = await createVenv(dir, { interpreter: info, cwd: root, ...options })
      expect(withoutExtras(snapshot(dir), info)).toEqual(expected)
      expect(created.action).toBe('created')
      expect(created.executable).toBe(join(dir, 'bin', 'python'))
      expect(readFileSync(join(dir, 'pyvenv.cfg'), 'utf8')).toBe(created.pyvenvCfg)
    })
  }
})

describe('an environment createVenv made', () => {
  const root = tempDir()
  const dir = join(root, 'env')
  let info: InterpreterInfo

  it('is a venv to Python, and pip works with it', async () => {
    info = await queryInterpreter(pyenvPython, { cacheDir })
    await createVenv(dir, { interpreter: info })
    const seen = JSON.parse(run(join(dir, 'bin', 'python'), ['-c', 'import json, sys, site; print(json.dumps([sys.prefix, sys.base_prefix, site.getsitepackages()]))'])) as [string, string, string[]]
    expect(seen[0]).toBe(dir)
    expect(seen[1]).toBe(info.prefix)
    expect(seen[2]).toContain(join(dir, 'lib', `python3.${info.versionInfo[1]}`, 'site-packages'))
    expect(run(PYTHON, ['-m', 'pip', '--python', join(dir, 'bin', 'python'), 'list', '--format', 'json'])).toBe('[]\n')
  })

  it('keeps what is installed when updated in place, and drops it with clear', async () => {
    const marker = join(dir, 'lib', `python3.${info.versionInfo[1]}`, 'site-packages', 'marker.py')
    writeFileSync(marker, 'x = 1\n')
    const updated = await createVenv(dir, { interpreter: info, prompt: 'renamed' })
    expect(updated.action).toBe('updated')
    expect(existsSync(marker)).toBe(true)
    expect(readFileSync(join(dir, 'pyvenv.cfg'), 'utf8')).toContain("prompt = 'renamed'\n")
    expect(readFileSync(join(dir, 'bin', 'activate'), 'utf8')).toContain('renamed')
    const cleared = await createVenv(dir, { interpreter: info, clear: true })
    expect(cleared.action).toBe('cleared')
    expect(existsSync(marker)).toBe(false)
    expect(readFileSync(join(dir, 'pyvenv.cfg'), 'utf8')).toContain(`-m venv --without-pip --clear ${dir}\n`)
    expect(readdirSync(root)).toEqual(['env'])
  })

  it('refuses to write over what is not an environment', async () => {
    const other = join(root, 'project')
    mkdirSync(other)
    writeFileSync(join(other, 'keep.txt'), 'mine')
    await expect(createVenv(other, { interpreter: info })).rejects.toMatchObject({ code: 'ERR_VENV_EXISTS' })
    await expect(createVenv(other, { interpreter: info, clear: true })).rejects.toMatchObject({ code: 'ERR_VENV_EXISTS' })
    await expect(createVenv(join(other, 'keep.txt'), { interpreter: info })).rejects.toMatchObject({ code: 'ERR_VENV_EXISTS' })
    await expect(createVenv(join(root, 'a:b'), { interpreter: info })).rejects.toMatchObject({ code: 'ERR_VENV_INVALID' })
    expect(readFileSync(join(other, 'keep.txt'), 'utf8')).toBe('mine')
    mkdirSync(join(root, 'empty'))
    expect((await createVenv(join(root, 'empty'), { interpreter: info })).action).toBe('created')
  })

  it('leaves nothing behind when it fails', async () => {
    const broken = { ...info, paths: { ...info.paths, stdlib: join(root, 'no-stdlib') } }
    const parent = join(root, 'failing')
    await expect(createVenv(join(parent, 'env'), { interpreter: broken })).rejects.toMatchObject({ code: 'ERR_VENV_TEMPLATES_MISSING' })
    expect(existsSync(join(parent, 'env'))).toBe(false)
  })
})

describe('activation scripts', () => {
  const root = tempDir()
  const dir = join(root, "the env's dir")
  const bin = join(dir, 'bin')
  const nu = fileURLToPath(new URL('../node_modules/.bin/nu', import.meta.url))
  // Debian's 3.11 venv shows the prompt as '(demo) '; activate.nu keeps the name itself.
  const shells: ReadonlyArray<[string, string, string[]]> = [
    ['bash', '/bin/bash', ['-c', `. "${bin}/activate"; echo "$VIRTUAL_ENV|$(command -v python)|$VIRTUAL_ENV_PROMPT"; deactivate; echo "\${VIRTUAL_ENV:-none}|$(command -v python)"`]],
    ['zsh', '/usr/bin/zsh', ['-c', `. "${bin}/activate"; echo "$VIRTUAL_ENV|$(command -v python)|$VIRTUAL_ENV_PROMPT"; deactivate; echo "\${VIRTUAL_ENV:-none}|$(command -v python)"`]],
    ['fish', '/usr/bin/fish', ['-c', `source "${bin}/activate.fish"; echo "$VIRTUAL_ENV|"(command -v python)"|$VIRTUAL_ENV_PROMPT"; deactivate; set -q VIRTUAL_ENV; or set VIRTUAL_ENV none; echo "$VIRTUAL_ENV|"(command -v python)`]],
    // csh reads a -c line whole before running it, so the alias deactivate needs a script file.
    ['tcsh', '/usr/bin/tcsh', ['-f', join(root, 'test.csh')]],
    ['nushell', nu, ['-c', `overlay use \`${bin}/activate.nu\`; print $"($env.VIRTUAL_ENV)|(which python | get path.0)|($env.VIRTUAL_ENV_PROMPT)"; deactivate; print $"($env.VIRTUAL_ENV? | default none)|(which python | get path.0)"`]],
  ]

  for (const [name, shell, args] of shells) {
    it.skipIf(!existsSync(shell))(`${name} activates and deactivates`, async () => {
      if (!existsSync(join(dir, 'pyvenv.cfg'))) {
        await createVenv(dir, { interpreter: await queryInterpreter(SYSTEM_PYTHON, { cacheDir }), prompt: 'demo' })
      }
      writeFileSync(
        join(root, 'test.csh'),
        `set prompt='> '\nsource "${bin}/activate.csh"\necho "$VIRTUAL_ENV|"\`which python\`"|$VIRTUAL_ENV_PROMPT"\ndeactivate\nif (! $?VIRTUAL_ENV) setenv VIRTUAL_ENV none\necho "$VIRTUAL_ENV|"\`which python\`\n`,
      )
      const outside = join(root, 'outside')
      mkdirSync(outside, { recursive: true })
      writeFileSync(join(outside, 'python'), '#!/bin/sh\n', { mode: 0o755 })
      const result = spawnSync(shell, args, { encoding: 'utf8', env: { PATH: `${outside}:/usr/bin:/bin`, HOME: root, TERM: 'dumb' } })
      expect(result.stderr).toBe('')
      const lines = result.stdout.trim().split('\n').map((line) => line.replace(/\x1b\[[0-9;]*m/g, '').trimEnd())
      expect(lines.at(-2)).toBe(`${dir}|${bin}/python|${name === 'nushell' ? 'demo' : '(demo)'}`)
      expect(lines.at(-1)).toBe(`none|${outside}/python`)
    })
  }
})
