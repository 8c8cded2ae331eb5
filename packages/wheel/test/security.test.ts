/**
 * Hostile and damaged wheels: each is refused with a clear error (a stable
 * code and a message naming the wheel and the member), nothing is written
 * outside the target, and the target is left exactly as it was.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildWheel, writeZip } from '@pipette/fixtures'
import type { WheelDescription } from '@pipette/fixtures'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { installWheel, openWheel } from '../src/index.js'
import type { Scheme } from '../src/index.js'
import { scratchScheme, snapshot } from './helpers/scheme.js'

let base: string
let outside: string
let wheels: string
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'pipette-security-'))
  outside = join(base, 'outside')
  wheels = join(base, 'wheels')
  await mkdir(outside)
  await mkdir(wheels)
  await writeFile(join(outside, 'sentinel'), 'untouched')
})
afterAll(async () => {
  await rm(base, { recursive: true, force: true })
})

async function attempt(path: string, prepare?: (scheme: Scheme, root: string) => Promise<void>, memoryLimit?: number) {
  const { root, scheme } = await scratchScheme()
  await mkdir(scheme.purelib, { recursive: true })
  await writeFile(join(scheme.purelib, 'existing.py'), 'keep = 1\n')
  await prepare?.(scheme, root)
  const before = await snapshot(root)
  const outsideBefore = await snapshot(base)
  let error: unknown
  try {
    const archive = await openWheel(path, { memoryLimit })
    try {
      await installWheel({ archive, scheme, executable: '/usr/bin/python3', pythonVersion: [3, 11] })
    } finally {
      await archive.close()
    }
  } catch (caught) {
    error = caught
  }
  expect(await snapshot(root)).toEqual(before)
  expect(await snapshot(base)).toEqual(outsideBefore)
  await rm(root, { recursive: true, force: true })
  return error as { code?: string; message: string; hint?: string }
}

const hostile = (description: Partial<WheelDescription>) => buildWheel({ name: 'evil', version: '1.0', ...description }, { outDir: wheels })

for (const [label, memoryLimit] of [['in memory', undefined], ['through the file descriptor', 0]] as const) {
  describe(`hostile wheels are refused and change nothing (${label})`, () => {
    it.each([
      ['a .. path', { files: { 'evil/__init__.py': '', '../outside/evil.py': 'x' } }, 'ERR_WHEEL_UNSAFE_PATH', '`..` segment'],
      ['a deep .. path', { files: { 'evil/__init__.py': '', 'evil/../../../../outside/x.py': 'x' } }, 'ERR_WHEEL_UNSAFE_PATH', '`..` segment'],
      ['an absolute path', { files: { 'evil/__init__.py': '', '/tmp/pipette-abs-evil.py': 'x' } }, 'ERR_WHEEL_UNSAFE_PATH', 'absolute path'],
      ['a .data path escaping its scheme', { data: { data: { '../../outside/x': 'x' } } }, 'ERR_WHEEL_UNSAFE_PATH', '`..` segment'],
      ['a backslash path', { files: { 'evil/__init__.py': '', '..\\..\\outside\\x.py': 'x' } }, 'ERR_WHEEL_UNSAFE_PATH', 'backslash'],
      ['a symlink member', { files: [{ path: 'evil/__init__.py', content: '' }, { path: 'evil/passwd', symlink: '/etc/passwd' }] }, 'ERR_WHEEL_SYMLINK', 'symbolic link'],
      ['a symlinked directory member', { files: [{ path: 'evil/__init__.py', content: '' }, { path: 'evil/out', symlink: '../../outside' }, { path: 'evil/out/x.py', content: 'x' }] }, 'ERR_WHEEL_SYMLINK', 'symbolic link'],
      ['a RECORD hash mismatch', { files: { 'evil/__init__.py': '', 'evil/z.py': 'z = 1\n' }, broken: { recordWrongHash: ['evil/z.py'] } }, 'ERR_WHEEL_RECORD_MISMATCH', 'does not match RECORD'],
      ['a RECORD size mismatch', { broken: { recordWrongSize: ['evil/__init__.py'] } }, 'ERR_WHEEL_RECORD_MISMATCH', 'RECORD says'],
      ['a file missing from RECORD', { broken: { recordOmit: ['evil/__init__.py'] } }, 'ERR_WHEEL_RECORD_MISMATCH', 'not listed in RECORD'],
      ['no RECORD', { broken: { noRecord: true } }, 'ERR_WHEEL_INVALID', 'RECORD is missing'],
      ['no WHEEL', { broken: { noWheelFile: true } }, 'ERR_WHEEL_INVALID', "could not read 'evil-1.0.dist-info/WHEEL' file"],
      ['Wheel-Version 2.0', { wheelVersion: '2.0' }, 'ERR_WHEEL_UNSUPPORTED', 'Wheel-Version (2.0)'],
      ['a misnamed .dist-info', { broken: { distInfoDir: 'other-1.0.dist-info' } }, 'ERR_WHEEL_INVALID', 'does not start with'],
      ['a METADATA version other than the file name\'s', { fileName: 'evil-2.0-py3-none-any.whl' }, 'ERR_WHEEL_INVALID', 'inconsistent version'],
      ['a METADATA name other than the file name\'s', { fileName: 'other-1.0-py3-none-any.whl', broken: { distInfoDir: 'other-1.0.dist-info' } }, 'ERR_WHEEL_INVALID', 'inconsistent name'],
      ['an unknown .data scheme', { data: { nope: { x: 'x' } } as never }, 'ERR_WHEEL_INVALID', 'Unknown scheme key'],
    ] as const)('%s', async (_what, description, code, text) => {
      const error = await attempt(await hostile(description as Partial<WheelDescription>), undefined, memoryLimit)
      expect(error).toMatchObject({ code })
      expect(error.message).toContain(text)
      expect(error.hint).toBeTruthy()
    })

    it('a truncated archive', async () => {
      const whole = await hostile({ files: { 'evil/__init__.py': 'x = 1\n'.repeat(200) } })
      const { readFile } = await import('node:fs/promises')
      const bytes = await readFile(whole)
      for (const keep of [bytes.length - 30, Math.floor(bytes.length / 2), 40]) {
        const cut = join(wheels, `cut${keep}-${memoryLimit}`, 'evil-1.0-py3-none-any.whl')
        await mkdir(join(wheels, `cut${keep}-${memoryLimit}`))
        await writeFile(cut, bytes.subarray(0, keep))
        const error = await attempt(cut, undefined, memoryLimit)
        expect(error).toMatchObject({ code: 'ERR_WHEEL_CORRUPT' })
        expect(error.message).toContain('evil-1.0-py3-none-any.whl is not a valid wheel')
      }
    })

    it('a member whose compressed data is damaged', async () => {
      const { readFile } = await import('node:fs/promises')
      const path = await hostile({ files: { 'evil/__init__.py': 'print("hello")\n'.repeat(100) } })
      const bytes = Buffer.from(await readFile(path))
      // Flip bytes in the middle of the first member's deflate stream.
      const start = 30 + 'evil/__init__.py'.length
      for (let i = start + 2; i < start + 12; i++) bytes[i] = bytes[i]! ^ 0xff
      const dir = join(wheels, `damaged-${memoryLimit}`)
      await mkdir(dir)
      const damaged = join(dir, 'evil-1.0-py3-none-any.whl')
      await writeFile(damaged, bytes)
      const error = await attempt(damaged, undefined, memoryLimit)
      expect(['ERR_WHEEL_CORRUPT', 'ERR_WHEEL_RECORD_MISMATCH']).toContain(error.code)
    })

    it('a member that inflates to more than the archive says (a zip bomb)', async () => {
      const dir = join(wheels, `bomb-${memoryLimit}`)
      await mkdir(dir)
      const bomb = join(dir, 'evil-1.0-py3-none-any.whl')
      // RECORD gives the right hash and no size; the directory and the local header then claim 100 bytes.
      const script = `
import base64, hashlib, struct, sys, zipfile
def h(b): return 'sha256=' + base64.urlsafe_b64encode(hashlib.sha256(b).digest()).rstrip(b'=').decode()
files = {'evil/__init__.py': b'', 'evil/bomb.txt': b'A' * 300000,
         'evil-1.0.dist-info/METADATA': b'Metadata-Version: 2.1\\nName: evil\\nVersion: 1.0\\n',
         'evil-1.0.dist-info/WHEEL': b'Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n'}
record = ''.join('%s,%s,%s\\n' % (n, h(b), '' if n == 'evil/bomb.txt' else len(b)) for n, b in files.items()) + 'evil-1.0.dist-info/RECORD,,\\n'
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    for n, b in files.items(): z.writestr(n, b)
    z.writestr('evil-1.0.dist-info/RECORD', record)
data = bytearray(open(sys.argv[1], 'rb').read())
name = b'evil/bomb.txt'
i = data.find(name)
struct.pack_into('<I', data, i - 30 + 22, 100)
j = data.find(name, i + 1)
struct.pack_into('<I', data, j - 46 + 24, 100)
open(sys.argv[1], 'wb').write(data)
`
      const { execFileSync } = await import('node:child_process')
      execFileSync('/usr/bin/python3', ['-c', script, bomb])
      const error = await attempt(bomb, undefined, memoryLimit)
      expect(error).toMatchObject({ code: 'ERR_WHEEL_CORRUPT' })
      expect(error.message).toContain('evil/bomb.txt')
    })

    it('a file in a directory that is a link leading out of the target', async () => {
      const path = await hostile({ files: { 'evil/__init__.py': '', 'evil/payload.py': 'x' } })
      const error = await attempt(
        path,
        async (scheme) => {
          await symlink(outside, join(scheme.purelib, 'evil'))
        },
        memoryLimit,
      )
      expect(error).toMatchObject({ code: 'ERR_WHEEL_SYMLINK' })
      expect(error.message).toContain('outside')
    })

    it('a bad member after good ones leaves no trace of the good ones', async () => {
      const files: Record<string, string> = {}
      for (let i = 0; i < 100; i++) files[`evil/m${i}.py`] = `v = ${i}\n`
      const path = await hostile({ files, broken: { recordWrongHash: ['evil/m99.py'] } })
      const error = await attempt(path, undefined, memoryLimit)
      expect(error).toMatchObject({ code: 'ERR_WHEEL_RECORD_MISMATCH' })
      expect(error.message).toContain('evil/m99.py')
    })

    it('duplicate member names', async () => {
      const dir = join(wheels, `dup-${memoryLimit}`)
      await mkdir(dir)
      const good = await hostile({})
      const { readZip } = await import('@pipette/fixtures')
      const { readFile } = await import('node:fs/promises')
      const entries = readZip(await readFile(good)).map((e) => ({ name: e.name, data: e.read() }))
      const dup = join(dir, 'evil-1.0-py3-none-any.whl')
      await writeFile(dup, writeZip([...entries, entries[0]!]))
      const error = await attempt(dup, undefined, memoryLimit)
      expect(error).toMatchObject({ code: 'ERR_WHEEL_INVALID' })
      expect(error.message).toContain('appears twice')
    })

    it('a file that is not a zip', async () => {
      const dir = join(wheels, `notzip-${memoryLimit}`)
      await mkdir(dir)
      const path = join(dir, 'evil-1.0-py3-none-any.whl')
      await writeFile(path, 'this is not a zip archive at all')
      expect(await attempt(path, undefined, memoryLimit)).toMatchObject({ code: 'ERR_WHEEL_CORRUPT' })
    })
  })
}
