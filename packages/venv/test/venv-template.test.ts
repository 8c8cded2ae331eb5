import { copyFileSync, existsSync, mkdirSync, readdirSync, symlinkSync, utimesSync, writeFileSync, appendFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createVenv, findInterpreter, queryInterpreter } from '../src/index.js'
import type { InterpreterInfo } from '../src/index.js'
import { forgetInterpreters } from '../src/query-interpreter.js'
import { deriveFromTemplate, recordTemplate, relocate } from '../src/venv-template.js'
import { PYTHON, SYSTEM_PYTHON, stdlibVenv, tempDir } from './helpers.js'

const pyenvPython = (await findInterpreter({ python: PYTHON })).executable
const OPTIONAL = ['3.9.18', '3.10.13', '3.12.1', '3.13.0'].map((v) => `/root/.pyenv/versions/${v}/bin/python3`).filter((p) => existsSync(p))
const PYTHONS = [pyenvPython, SYSTEM_PYTHON, ...OPTIONAL]

/** How many real answers the cache holds (derived answers are not written). */
const realAnswers = (cache: string) => readdirSync(join(cache, 'interpreter-v1')).length
const templates = (cache: string) => (existsSync(join(cache, 'interpreter-venv-v1')) ? readdirSync(join(cache, 'interpreter-venv-v1')).length : 0)

/** What the interpreter says when asked (no cache at all, so never derived). */
async function realQuery(python: string): Promise<InterpreterInfo> {
  forgetInterpreters()
  return queryInterpreter(python, { cacheDir: null })
}

describe('venv answers derived from a template', () => {
  it.each(PYTHONS)('answers fresh venvs of %s as a real query does, without running Python', async (python) => {
    const cache = tempDir('pipette-qcache-')
    const root = tempDir()
    const first = stdlibVenv(python, join(root, 'first'))
    await queryInterpreter(join(first, 'bin', 'python'), { cacheDir: cache })
    expect([realAnswers(cache), templates(cache)]).toEqual([1, 1])

    // Other places and path lengths, made by CPython's venv and by createVenv.
    const base = await queryInterpreter(python, { cacheDir: cache })
    const others = [stdlibVenv(python, join(root, 'a', 'much', 'deeper', 'second env')), stdlibVenv(python, join(root, 'f')), join(root, 'made-by-pipette')]
    await createVenv(others[2]!, { interpreter: base, prompt: 'other prompt' })
    const before = realAnswers(cache)
    for (const dir of others) {
      forgetInterpreters()
      const derived = await queryInterpreter(join(dir, 'bin', 'python'), { cacheDir: cache })
      expect(realAnswers(cache), `${dir} was derived`).toBe(before)
      expect(derived.prefix).toBe(dir)
      expect(derived, dir).toEqual(await realQuery(join(dir, 'bin', 'python')))
      expect(Object.isFrozen(derived) && Object.isFrozen(derived.sysPath)).toBe(true)
    }
  })

  it('asks Python when the venv is not plain: system site packages, .pth files, a sitecustomize, copies, another pyvenv.cfg', async () => {
    const cache = tempDir('pipette-qcache-')
    const root = tempDir()
    const first = stdlibVenv(SYSTEM_PYTHON, join(root, 'first'))
    await queryInterpreter(join(first, 'bin', 'python'), { cacheDir: cache })
    const site = (dir: string) => join(dir, 'lib', 'python3.11', 'site-packages')

    const cases: Array<[string, string]> = []
    cases.push(['system site packages', stdlibVenv(SYSTEM_PYTHON, join(root, 'sys'), ['--system-site-packages'])])
    cases.push(['copies', stdlibVenv(SYSTEM_PYTHON, join(root, 'copies'), ['--copies'])])
    const pth = stdlibVenv(SYSTEM_PYTHON, join(root, 'pth'))
    const extra = tempDir()
    writeFileSync(join(site(pth), 'extra.pth'), `${extra}\n`)
    cases.push(['a .pth file', pth])
    const custom = stdlibVenv(SYSTEM_PYTHON, join(root, 'custom'))
    writeFileSync(join(site(custom), 'sitecustomize.py'), 'import sys\nsys.path.append("/custom")\n')
    cases.push(['a sitecustomize', custom])
    const cfg = stdlibVenv(SYSTEM_PYTHON, join(root, 'cfg'))
    appendFileSync(join(cfg, 'pyvenv.cfg'), 'version_info = 3.11.2.final.0\n')
    cases.push(['another pyvenv.cfg', cfg])
    const binCfg = stdlibVenv(SYSTEM_PYTHON, join(root, 'bincfg'))
    copyFileSync(join(binCfg, 'pyvenv.cfg'), join(binCfg, 'bin', 'pyvenv.cfg'))
    cases.push(['a pyvenv.cfg in bin', binCfg])
    const linked = join(root, 'via-link')
    symlinkSync(stdlibVenv(SYSTEM_PYTHON, join(root, 'target')), linked)
    cases.push(['a path through a link', linked])

    for (const [what, dir] of cases) {
      const before = realAnswers(cache)
      forgetInterpreters()
      const info = await queryInterpreter(join(dir, 'bin', 'python'), { cacheDir: cache })
      expect(realAnswers(cache), `${what}: asked Python`).toBe(before + 1)
      expect(info, what).toEqual(await realQuery(join(dir, 'bin', 'python')))
    }
    const withPth = await realQuery(join(pth, 'bin', 'python'))
    expect(withPth.sysPath).toContain(extra)
    // Only the venv with another (still plain) pyvenv.cfg became a template, of its own shape; the plain one still derives.
    expect(templates(cache)).toBe(2)
    const plain = stdlibVenv(SYSTEM_PYTHON, join(root, 'plain'))
    const before = realAnswers(cache)
    forgetInterpreters()
    await queryInterpreter(join(plain, 'bin', 'python'), { cacheDir: cache })
    expect(realAnswers(cache)).toBe(before)
  })

  it('keys templates on the base binary itself: a changed base means no template', async () => {
    // A stand-in base (any file): the mechanism, without touching a real interpreter.
    const root = tempDir()
    const cache = tempDir('pipette-qcache-')
    const baseBin = join(root, 'base', 'bin')
    mkdirSync(baseBin, { recursive: true })
    copyFileSync('/bin/true', join(baseBin, 'python3.11'))
    const makeVenv = (name: string) => {
      const dir = join(root, name)
      mkdirSync(join(dir, 'bin'), { recursive: true })
      mkdirSync(join(dir, 'lib', 'python3.11', 'site-packages'), { recursive: true })
      writeFileSync(join(dir, 'pyvenv.cfg'), `home = ${baseBin}\ninclude-system-site-packages = false\nversion = 3.11.2\ncommand = x -m venv ${dir}\n`)
      symlinkSync(join(baseBin, 'python3.11'), join(dir, 'bin', 'python3.11'))
      symlinkSync('python3.11', join(dir, 'bin', 'python'))
      return dir
    }
    const a = makeVenv('a')
    const real = await realQuery(join(stdlibVenv(SYSTEM_PYTHON, join(root, 'real')), 'bin', 'python'))
    // A real answer moved to `a`, with the stand-in as its base binary.
    const answer = { ...relocate(real, real.prefix, a), realExecutable: join(baseBin, 'python3.11') }
    const options = { cacheDir: cache, salt: 'test' }
    expect(await recordTemplate(join(a, 'bin', 'python'), answer, options)).toBe(true)
    const b = makeVenv('b')
    const derived = await deriveFromTemplate(join(b, 'bin', 'python'), options)
    expect(derived?.prefix).toBe(b)
    expect(derived?.sysPath).toContain(join(b, 'lib', 'python3.11', 'site-packages'))
    expect(await deriveFromTemplate(join(b, 'bin', 'python'), { ...options, salt: 'other PYTHONPATH' })).toBeNull()
    // The base binary changes (an upgrade in place): no template fits.
    utimesSync(join(baseBin, 'python3.11'), new Date(Date.now() + 60_000), new Date(Date.now() + 60_000))
    expect(await deriveFromTemplate(join(b, 'bin', 'python'), options)).toBeNull()
    // An answer that is not the venv's own is not kept.
    expect(await recordTemplate(join(b, 'bin', 'python'), answer, options)).toBe(false)
  })

  it('relocates paths only at path boundaries', () => {
    const moved = relocate({ a: '/x/env', b: ['/x/env/lib', '/x/envy', '/y/x/env'], c: 3, d: null }, '/x/env', '/z')
    expect(moved).toEqual({ a: '/z', b: ['/z/lib', '/x/envy', '/y/x/env'], c: 3, d: null })
  })
})
