import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { ResolutionImpossibleError } from '@pipette/resolver'
import type { InterpreterInfo } from '@pipette/venv'
import type { InstallEvent, InstallOptions } from '../src/index.js'
import { formatReport, install } from '../src/index.js'
import type { Sandbox } from './support/helpers.js'
import { installedSet, sandbox } from './support/helpers.js'

const indexUrl = inject('indexUrl')
const indexRoot = inject('indexRoot')

let box: Sandbox
beforeAll(async () => {
  box = await sandbox()
})
afterAll(async () => {
  await box?.close()
})

function run(interpreter: InterpreterInfo, options: Partial<InstallOptions> & { args?: readonly string[] }, events: InstallEvent[] = []) {
  return install({ interpreter, index: { indexUrl }, cache: box.cache, compile: false, onEvent: (e) => events.push(e), ...options })
}

function sha256(path: string): string {
  return execFileSync('sha256sum', [path], { encoding: 'utf8' }).split(' ')[0]!
}

describe('install from the index', () => {
  it('installs the example application with its extra, as pip would', async () => {
    const venv = await box.venv()
    const events: InstallEvent[] = []
    const result = await run(venv, { args: ['demo-app[fast]'], compile: true }, events)
    expect(result.installed.map((d) => `${d.name}-${d.version}`)).toEqual(['demo-app-1.0.0', 'demo-lib-1.1.0', 'demo-speedups-1.0.0', 'demo-utils-0.2.0'])
    expect(await installedSet(venv)).toEqual(['demo-app==1.0.0', 'demo-lib==1.1.0', 'demo-speedups==1.0.0', 'demo-utils==0.2.0'])
    const out = execFileSync(join(venv.prefix, 'bin', 'demo-app'), { encoding: 'utf8' })
    expect(out.trim()).toBe('demo-app 1.0.0 (demo-lib 1.1.0, demo-utils 0.2.0 fast=1.0.0)')
    const site = venv.schemes.default.purelib
    expect(existsSync(join(site, 'demo_app-1.0.0.dist-info', 'REQUESTED'))).toBe(true)
    expect(existsSync(join(site, 'demo_lib-1.1.0.dist-info', 'REQUESTED'))).toBe(false)
    expect(readFileSync(join(site, 'demo_app-1.0.0.dist-info', 'INSTALLER'), 'utf8')).toBe('pipette\n')
    const record = readFileSync(join(site, 'demo_app-1.0.0.dist-info', 'RECORD'), 'utf8')
    expect(record).toContain('demo_app/__pycache__/cli.cpython-')
    expect(record).toContain('../../../bin/demo-app,sha256=')
    // pip's install order: dependencies first.
    const installing = events.find((e) => e.kind === 'installing')
    expect(installing?.kind === 'installing' && installing.names.indexOf('demo-utils')).toBeLessThan(installing?.kind === 'installing' ? installing.names.indexOf('demo-app') : -1)
  })

  it('compiles where Python puts bytecode under PYTHONOPTIMIZE instead of linking the cached plain .pyc files', async () => {
    const venv = await box.venv()
    await run(venv, { args: ['demo-app[fast]'], compile: true })
    const optimized = await box.venv()
    await run(optimized, { args: ['demo-app[fast]'], compile: true, env: { ...process.env, PYTHONOPTIMIZE: '1' } })
    const record = readFileSync(join(optimized.schemes.default.purelib, 'demo_app-1.0.0.dist-info', 'RECORD'), 'utf8')
    expect(record).toMatch(/^demo_app\/__pycache__\/cli\.cpython-\d+\.opt-1\.pyc,,$/m)
    expect(record).not.toMatch(/^demo_app\/__pycache__\/cli\.cpython-\d+\.pyc,/m)
    expect(existsSync(join(optimized.schemes.default.purelib, 'demo_app', '__pycache__'))).toBe(true)
  })

  it('a dry run changes nothing and reports what would be installed', async () => {
    const venv = await box.venv()
    const result = await run(venv, { args: ['demo-app'], dryRun: true })
    expect(result.dryRun).toBe(true)
    expect(result.installed.map((d) => `${d.name}-${d.version}`)).toEqual(['demo-app-1.0.0', 'demo-lib-1.1.0', 'demo-utils-0.2.0'])
    expect(await installedSet(venv)).toEqual([])
    const report = JSON.parse(formatReport(result.report)) as {
      version: string
      install: Array<{ download_info: { url: string; archive_info: { hash: string } }; is_direct: boolean; is_yanked: boolean; requested: boolean; metadata: { name: string; version: string } }>
      environment: Record<string, string>
    }
    expect(report.version).toBe('1')
    expect(report.environment['python_version']).toBe(`${venv.versionInfo[0]}.${venv.versionInfo[1]}`)
    const app = report.install.find((i) => i.metadata.name === 'demo-app')!
    expect(app.requested).toBe(true)
    expect(app.is_direct).toBe(false)
    expect(app.is_yanked).toBe(false)
    expect(app.download_info.url).toBe(`${indexUrl.replace(/simple\/$/, '')}files/demo_app-1.0.0-py3-none-any.whl`)
    expect(app.download_info.archive_info.hash).toBe(`sha256=${sha256(join(indexRoot, 'files', 'demo_app-1.0.0-py3-none-any.whl'))}`)
    expect(report.install.find((i) => i.metadata.name === 'demo-lib')?.requested).toBe(false)
  })

  it('keeps what is installed, upgrades with -U (only what is needed), reinstalls with --force-reinstall', async () => {
    const venv = await box.venv()
    await run(venv, { args: ['it-a==1.0', 'it-b==1.0'] })
    expect(await installedSet(venv)).toEqual(['it-a==1.0', 'it-b==1.0'])
    const again = await run(venv, { args: ['it-a'] })
    expect(again.installed).toEqual([])
    expect(again.plan.map((p) => p.action)).toEqual(['keep', 'keep'])
    const upgraded = await run(venv, { args: ['it-a'], upgrade: true })
    expect(upgraded.installed.map((d) => `${d.name}-${d.version}`)).toEqual(['it-a-2.0', 'it-b-2.0'])
    expect(upgraded.uninstalled.map((d) => `${d.name}-${d.version}`).sort()).toEqual(['it-a-1.0', 'it-b-1.0'])
    expect(await installedSet(venv)).toEqual(['it-a==2.0', 'it-b==2.0'])
    expect(existsSync(join(venv.schemes.default.purelib, 'it_a-1.0.dist-info'))).toBe(false)
    const forced = await run(venv, { args: ['it-b'], forceReinstall: true })
    expect(forced.installed.map((d) => `${d.name}-${d.version}`)).toEqual(['it-b-2.0'])
    expect(await installedSet(venv)).toEqual(['it-a==2.0', 'it-b==2.0'])
  })

  it('backtracks: bt-app 2.0 needs bt-core<2 through bt-lib 2.0, bt-plugin needs bt-core>=2', async () => {
    const result = await run(await box.venv(), { args: ['bt-app', 'bt-plugin'], dryRun: true })
    expect(result.installed.map((d) => `${d.name}-${d.version}`)).toEqual(['bt-app-1.0', 'bt-core-2.0', 'bt-lib-1.0', 'bt-plugin-1.0'])
  })

  it('says why when there is no solution', async () => {
    const error = await run(await box.venv(), { args: ['bt-lib==2.0', 'bt-plugin'], dryRun: true }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ResolutionImpossibleError)
    expect((error as Error).message).toMatch(/bt-lib/)
    expect((error as Error).message).toMatch(/bt-core/)
  })

  it('prefers the most specific wheel tag', async () => {
    const venv = await box.venv()
    await run(venv, { args: ['it-plat'] })
    const tag = `cp${venv.versionInfo[0]}${venv.versionInfo[1]}`
    const kind = execFileSync(join(venv.prefix, 'bin', 'python'), ['-c', 'import it_plat; print(it_plat.KIND)'], { encoding: 'utf8' }).trim()
    expect(kind).toBe(tag === 'cp311' ? 'platform' : 'pure')
  })

  it('builds a source distribution that needs no build requirements', async () => {
    const venv = await box.venv()
    const events: InstallEvent[] = []
    const result = await run(venv, { args: ['it-sdist'] }, events)
    expect(result.installed.map((d) => `${d.name}-${d.version}`)).toEqual(['it-b-2.0', 'it-sdist-1.0'])
    expect(events.some((e) => e.kind === 'building')).toBe(true)
    expect(execFileSync(join(venv.prefix, 'bin', 'python'), ['-c', 'import it_sdist; print(it_sdist.__version__)'], { encoding: 'utf8' }).trim()).toBe('1.0')
  })

  it('stops with a clear error at a source distribution that needs build requirements', async () => {
    const error = await run(await box.venv(), { args: ['it-needs-build'], dryRun: true }).catch((e: unknown) => e)
    expect((error as { code?: string }).code).toBe('ERR_SDIST_UNSUPPORTED')
    expect((error as Error).message).toContain('Cannot build it_needs_build-1.0.tar.gz: it needs build requirements (setuptools>=61)')
    expect((error as { hint?: string }).hint).toContain('--only-binary :all:')
  })

  it('refuses a source distribution with --only-binary :all:', async () => {
    const error = await run(await box.venv(), { args: ['it-sdist'], onlyBinary: [':all:'], dryRun: true }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ResolutionImpossibleError)
  })

  it('installs wheels, headers, data and scripts where pip puts them (--target and --prefix too)', async () => {
    const venv = await box.venv()
    await run(venv, { args: ['it-tool'] })
    const prefix = venv.prefix
    const site = venv.schemes.default.purelib
    expect(readFileSync(join(site, 'it_tool', 'données.txt'), 'utf8')).toBe('é\n')
    expect(readFileSync(join(prefix, 'bin', 'it-fix'), 'utf8')).toBe(`#!${venv.executable}\nprint("fixed")\n`)
    expect(readFileSync(join(prefix, 'bin', 'it-sh'), 'utf8')).toBe('#!/bin/sh\necho sh\n')
    expect(existsSync(join(prefix, 'share', 'it', 'readme.txt'))).toBe(true)
    expect(existsSync(join(site, 'it_extra.py'))).toBe(true)
    expect(execFileSync(join(prefix, 'bin', 'it-tool'), { encoding: 'utf8' }).trim()).toBe('it-tool ok')

    const target = join(box.dir, 'target')
    await mkdir(target)
    const result = await run(venv, { args: ['it-a==1.0'], target })
    expect(result.installed.map((d) => `${d.name}-${d.version}`)).toEqual(['it-a-1.0', 'it-b-2.0'])
    expect(existsSync(join(target, 'it_a', '__init__.py'))).toBe(true)
    expect(existsSync(join(target, 'it_b-2.0.dist-info', 'RECORD'))).toBe(true)
    expect((await import('node:fs')).readdirSync(target).filter((n) => n.startsWith('.'))).toEqual([])
    const events: InstallEvent[] = []
    await run(venv, { args: ['it-a==1.0'], target }, events)
    expect(events.some((e) => e.kind === 'warning' && e.message.startsWith(`Target directory ${join(target, 'it_a')} already exists`))).toBe(true)

    const prefixDir = join(box.dir, 'prefix')
    await run(venv, { args: ['it-b==1.0'], prefix: prefixDir, ignoreInstalled: true })
    expect(existsSync(join(prefixDir, 'lib', `python${venv.versionInfo[0]}.${venv.versionInfo[1]}`, 'site-packages', 'it_b', '__init__.py'))).toBe(true)
  })

  it('installs a wheel file and takes its dependencies from the index', async () => {
    const venv = await box.venv()
    const path = join(indexRoot, 'files', 'it_a-1.0-py3-none-any.whl')
    const result = await run(venv, { args: [path] })
    expect(result.installed.map((d) => `${d.name}-${d.version}`)).toEqual(['it-a-1.0', 'it-b-2.0'])
    const direct = JSON.parse(readFileSync(join(venv.schemes.default.purelib, 'it_a-1.0.dist-info', 'direct_url.json'), 'utf8')) as { url: string; archive_info: { hash: string } }
    expect(direct.url).toBe(`file://${path}`)
    expect(direct.archive_info.hash).toBe(`sha256=${sha256(path)}`)
  })

  it('reads -r and -c files, and installs from --find-links with --no-index', async () => {
    const venv = await box.venv()
    const dir = join(box.dir, 'reqs')
    await mkdir(dir, { recursive: true })
    await writeFile(join(dir, 'requirements.txt'), `--no-index\n--find-links ${join(indexRoot, 'files')}\nit-a\ndemo-lib; sys_platform == "win32"\n`)
    await writeFile(join(dir, 'constraints.txt'), 'it-b<2\nit-a<2\n')
    const events: InstallEvent[] = []
    const result = await run(venv, { requirementFiles: [join(dir, 'requirements.txt')], constraintFiles: [join(dir, 'constraints.txt')] }, events)
    expect(result.installed.map((d) => `${d.name}-${d.version}`)).toEqual(['it-a-1.0', 'it-b-1.0'])
    expect(events.some((e) => e.kind === 'ignored' && e.requirement.name === 'demo-lib')).toBe(true)
  })

  it('checks hashes in hash-checking mode', async () => {
    const venv = await box.venv()
    const dir = join(box.dir, 'hashes')
    await mkdir(dir, { recursive: true })
    const a = sha256(join(indexRoot, 'files', 'it_a-1.0-py3-none-any.whl'))
    const b = sha256(join(indexRoot, 'files', 'it_b-1.0-py3-none-any.whl'))
    await writeFile(join(dir, 'ok.txt'), `it-a==1.0 --hash=sha256:${a}\nit-b==1.0 --hash=sha256:${b}\n`)
    const ok = await run(venv, { requirementFiles: [join(dir, 'ok.txt')] })
    expect(ok.installed.map((d) => `${d.name}-${d.version}`)).toEqual(['it-a-1.0', 'it-b-1.0'])

    await writeFile(join(dir, 'missing.txt'), `it-a==1.0 --hash=sha256:${a}\n`)
    const missing = await run(await box.venv(), { requirementFiles: [join(dir, 'missing.txt')] }).catch((e: unknown) => e)
    expect((missing as { code?: string }).code).toBe('ERR_HASH_REQUIRED')
    expect((missing as Error).message).toContain(`it-b==2.0 --hash=sha256:`)

    await writeFile(join(dir, 'wrong.txt'), `it-a==1.0 --hash=sha256:${b}\nit-b==1.0 --hash=sha256:${b}\n`)
    const wrong = await run(await box.venv(), { requirementFiles: [join(dir, 'wrong.txt')] }).catch((e: unknown) => e)
    expect((wrong as { code?: string }).code).toBe('ERR_HASH_MISMATCH')
    expect((wrong as Error).message).toContain(`Got        ${a}`)

    await writeFile(join(dir, 'unpinned.txt'), `it-a --hash=sha256:${a}\n`)
    const unpinned = await run(await box.venv(), { requirementFiles: [join(dir, 'unpinned.txt')] }).catch((e: unknown) => e)
    expect((unpinned as Error).message).toMatch(/must have their versions pinned with ==/)
  })

  it('skips yanked versions unless pinned', async () => {
    const venv = await box.venv()
    expect((await run(venv, { args: ['demo-utils'], dryRun: true })).installed).toEqual([{ name: 'demo-utils', version: '0.2.0' }])
    const pinned = await run(venv, { args: ['demo-utils==1.0.0'], dryRun: true })
    expect(pinned.installed).toEqual([{ name: 'demo-utils', version: '1.0.0' }])
    expect(pinned.report.install[0]?.is_yanked).toBe(true)
  })

  it('installs the real wheels of /usr/share/python-wheels', async () => {
    const wheels = (await import('node:fs')).readdirSync(join(indexRoot, 'simple')).filter((n) => n === 'wheel' || n === 'setuptools')
    if (wheels.length < 2) return
    const venv = await box.venv()
    await run(venv, { args: ['wheel', 'setuptools'], compile: true })
    const out = execFileSync(join(venv.prefix, 'bin', 'python'), ['-c', 'import setuptools, wheel; print("ok")'], { encoding: 'utf8' })
    expect(out.trim()).toBe('ok')
    expect(existsSync(join(venv.prefix, 'bin', 'wheel'))).toBe(true)
  })
})
