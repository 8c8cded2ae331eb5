import { appendFileSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findInterpreter, installScheme, queryInterpreter } from '../src/index.js'
import type { InterpreterInfo } from '../src/index.js'
import { forgetInterpreters } from '../src/query-interpreter.js'
import { PYTHON, SYSTEM_PYTHON, pythonJson, run, stdlibVenv, tempDir } from './helpers.js'

const cacheDir = tempDir('pipette-qcache-')
const pyenvPython = (await findInterpreter({ python: PYTHON })).executable

/** What pip itself computes for its install schemes (pip's locations.get_scheme). */
const PIP_SCHEMES = `
import json
from pip._internal.locations import get_scheme
def d(s): return dict(purelib=s.purelib, platlib=s.platlib, scripts=s.scripts, data=s.data, headers=s.headers)
print(json.dumps({'default': d(get_scheme('dist')), 'prefix': d(get_scheme('dist', prefix='/opt/p')),
                  'home': d(get_scheme('dist', home='/opt/h')), 'user': d(get_scheme('dist', user=True))}))
`

function ourSchemes(info: InterpreterInfo) {
  const d = (s: ReturnType<typeof installScheme>) => ({
    purelib: s.purelib,
    platlib: s.platlib,
    scripts: s.scripts,
    data: s.data,
    headers: join(s.include, 'dist'),
  })
  return {
    default: d(installScheme(info)),
    prefix: d(installScheme(info, { prefix: '/opt/p' })),
    home: d(installScheme(info, { home: '/opt/h' })),
    user: d(installScheme(info, { user: true })),
  }
}

describe('queryInterpreter', () => {
  it("returns the marker environment of packaging's default_environment()", async () => {
    const info = await queryInterpreter(SYSTEM_PYTHON, { cacheDir })
    const expected = pythonJson(SYSTEM_PYTHON, 'import json; from packaging.markers import default_environment as d; print(json.dumps(d()))')
    expect(info.markerEnvironment).toEqual(expected)
    expect(Object.keys(info.markerEnvironment)).toHaveLength(11)
  })

  it('returns what packaging.tags reads from the interpreter', async () => {
    const info = await queryInterpreter(SYSTEM_PYTHON, { cacheDir })
    const expected = pythonJson<Record<string, unknown>>(
      SYSTEM_PYTHON,
      `import json, sys, sysconfig
from packaging import tags, _manylinux, _musllinux
g = _manylinux._get_glibc_version()
m = _musllinux._get_musl_version(sys.executable)
print(json.dumps({'name': tags.interpreter_name(), 'nodot': tags.interpreter_version(), 'platform': sysconfig.get_platform(),
  'glibc': '%d.%d' % g if g[0] != -1 else None, 'musl': m and '%d.%d' % m, 'is32': tags._32_BIT_INTERPRETER,
  'armhf': _manylinux._is_linux_armhf(sys.executable), 'i686': _manylinux._is_linux_i686(sys.executable),
  'ext': sysconfig.get_config_var('EXT_SUFFIX'), 'abiflags': sys.abiflags}))`,
    )
    expect({
      name: info.implementation.name === 'cpython' ? 'cp' : info.implementation.name,
      nodot: info.configVars['py_version_nodot'],
      platform: info.platform,
      glibc: info.glibcVersion,
      musl: info.muslVersion,
      is32: info.maxsizeBits <= 32,
      armhf: info.elf?.armhf,
      i686: info.elf?.i686,
      ext: info.extSuffix,
      abiflags: info.abiflags,
    }).toEqual(expected)
    expect(info.pointerSize).toBe(8)
    expect(info.extensionSuffixes).toContain('.abi3.so')
    expect(info.manylinuxModule).toBeNull()
  })

  it('describes a base interpreter and a venv made from it', async () => {
    const base = await queryInterpreter(pyenvPython, { cacheDir })
    expect(base.isVirtualEnv).toBe(false)
    expect(base.prefix).toBe(base.basePrefix)
    expect(base.version).toMatch(/^3\.\d+\.\d+$/)
    expect(base.versionInfo.slice(0, 3).join('.')).toBe(base.version)
    expect(base.implementation).toMatchObject({ name: 'cpython', cacheTag: `cpython-${base.versionInfo[0]}${base.versionInfo[1]}` })
    const dir = stdlibVenv(pyenvPython, join(tempDir(), 'env'))
    const venv = await queryInterpreter(join(dir, 'bin', 'python'), { cacheDir })
    expect(venv).toMatchObject({ isVirtualEnv: true, prefix: dir, basePrefix: base.prefix, executable: join(dir, 'bin', 'python') })
    expect(venv.sysPath).toContain(venv.schemes.default.purelib)
    expect(venv.sysPath).not.toContain('')
    expect(venv.site.enableUserSite).toBe(false)
    expect(Object.isFrozen(venv) && Object.isFrozen(venv.schemes.default) && Object.isFrozen(venv.sysPath)).toBe(true)
  })

  it("gives pip's install schemes (default, --prefix, --home, --user), in and out of a venv", async () => {
    const pipSitePackages = pythonJson<string>(pyenvPython, 'import json, os, pip; print(json.dumps(os.path.dirname(os.path.dirname(pip.__file__))))')
    const venvDir = stdlibVenv(pyenvPython, join(tempDir(), 'env'))
    const debianVenv = stdlibVenv(SYSTEM_PYTHON, join(tempDir(), 'env'))
    const cases: Array<[string, NodeJS.ProcessEnv]> = [
      [pyenvPython, process.env],
      [join(venvDir, 'bin', 'python'), { ...process.env, PYTHONPATH: pipSitePackages }],
      [SYSTEM_PYTHON, process.env],
      [join(debianVenv, 'bin', 'python'), { ...process.env, PYTHONPATH: '/usr/lib/python3/dist-packages' }],
    ]
    for (const [python, env] of cases) {
      const expected = JSON.parse(run(python, ['-c', PIP_SCHEMES], { env })) as unknown
      expect(ourSchemes(await queryInterpreter(python, { cacheDir })), python).toEqual(expected)
    }
  })

  it('caches on disk, keyed by the executable and its pyvenv.cfg', async () => {
    const cache = tempDir('pipette-qcache-')
    const dir = stdlibVenv(SYSTEM_PYTHON, join(tempDir(), 'env'))
    const python = join(dir, 'bin', 'python')
    const first = await queryInterpreter(python, { cacheDir: cache })
    const files = readdirSync(join(cache, 'interpreter-v1'))
    expect(files).toHaveLength(1)
    // A second process (no memory) reads the file: prove it by altering the stored answer.
    const file = join(cache, 'interpreter-v1', files[0]!)
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { key: string; info: InterpreterInfo }
    writeFileSync(file, JSON.stringify({ key: stored.key, info: { ...stored.info, version: 'from-cache' } }))
    forgetInterpreters()
    expect((await queryInterpreter(python, { cacheDir: cache })).version).toBe('from-cache')
    // Touching pyvenv.cfg changes the key: the stored answer is not used (the same venv, re-made, is
    // answered from the template its first answer left, see venv-template.test.ts).
    const later = new Date(Date.now() + 5000)
    utimesSync(join(dir, 'pyvenv.cfg'), later, later)
    forgetInterpreters()
    expect((await queryInterpreter(python, { cacheDir: cache })).version).toBe(first.version)
    // Re-configuring it: the interpreter is asked again.
    appendFileSync(join(dir, 'pyvenv.cfg'), 'pipette-test = 1\n')
    forgetInterpreters()
    expect((await queryInterpreter(python, { cacheDir: cache })).version).toBe(first.version)
    expect(readdirSync(join(cache, 'interpreter-v1'))).toHaveLength(2)
    // A cache file that does not parse is ignored and replaced.
    for (const name of readdirSync(join(cache, 'interpreter-v1'))) writeFileSync(join(cache, 'interpreter-v1', name), '{')
    forgetInterpreters()
    expect((await queryInterpreter(python, { cacheDir: cache })).version).toBe(first.version)
    expect(readdirSync(join(cache, 'interpreter-v1')).every((name) => name.endsWith('.json'))).toBe(true)
  })

  it('keys on the PYTHON* variables that change sys.path', async () => {
    const extra = tempDir()
    const info = await queryInterpreter(SYSTEM_PYTHON, { cacheDir, env: { ...process.env, PYTHONPATH: extra } })
    expect(info.sysPath).toContain(extra)
    expect((await queryInterpreter(SYSTEM_PYTHON, { cacheDir })).sysPath).not.toContain(extra)
  })

  it('writes no cache with cacheDir null, and survives a sitecustomize that prints', async () => {
    const dir = stdlibVenv(SYSTEM_PYTHON, join(tempDir(), 'env'))
    const info0 = await queryInterpreter(join(dir, 'bin', 'python'), { cacheDir: null })
    writeFileSync(join(info0.schemes.default.purelib, 'sitecustomize.py'), 'print("noise {")\n')
    const python = join(dir, 'bin', 'python')
    utimesSync(join(dir, 'pyvenv.cfg'), new Date(Date.now() + 9000), new Date(Date.now() + 9000))
    const cache = tempDir('pipette-qcache-')
    const info = await queryInterpreter(python, { cacheDir: cache })
    expect(info.prefix).toBe(dir)
    mkdirSync(join(cache, 'unused'))
    expect(readdirSync(cache).sort()).toEqual(['interpreter-v1', 'unused'])
  })

  it('resolves a shim script to the interpreter it runs', async () => {
    const dir = tempDir()
    const shim = join(dir, 'python-shim')
    writeFileSync(shim, `#!/bin/sh\nexec ${SYSTEM_PYTHON} "$@"\n`, { mode: 0o755 })
    const info = await queryInterpreter(shim, { cacheDir })
    expect(info.executable).toBe(SYSTEM_PYTHON)
  })

  it('fails clearly on a missing file, a non-Python program and Python 2', async () => {
    await expect(queryInterpreter('/nonexistent/python', { cacheDir })).rejects.toMatchObject({ code: 'ERR_PYTHON_NOT_FOUND' })
    const dir = tempDir()
    const fake = join(dir, 'python')
    writeFileSync(fake, '#!/bin/sh\necho "$0"\n', { mode: 0o755 })
    await expect(queryInterpreter(fake, { cacheDir })).rejects.toMatchObject({ code: 'ERR_PYTHON_QUERY_FAILED' })
    const failing = join(dir, 'python-fails')
    writeFileSync(failing, '#!/bin/sh\necho broken >&2\nexit 3\n', { mode: 0o755 })
    await expect(queryInterpreter(failing, { cacheDir })).rejects.toThrow(/broken/)
    const python2 = '/root/.pyenv/versions/2.7.18/bin/python'
    if ((await import('node:fs')).existsSync(python2)) {
      await expect(queryInterpreter(python2, { cacheDir })).rejects.toMatchObject({ code: 'ERR_PYTHON_UNSUPPORTED' })
    }
  })
})
