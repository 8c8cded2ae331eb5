import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildWheel } from '@pipette/fixtures'
import yauzl from 'yauzl'
import type { Entry } from 'yauzl'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openWheel } from '../src/index.js'
import { localDataStart, readCentralDirectory } from '../src/zip-directory.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipette-zipdir-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const REAL = readdirSync('/usr/share/python-wheels')
  .filter((name) => name.endsWith('.whl'))
  .map((name) => join('/usr/share/python-wheels', name))

/** What yauzl reads from the same bytes: the oracle. */
async function yauzlEntries(bytes: Buffer) {
  const zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true, decodeStrings: false })
  const entries: Array<Entry & { dataStart: number }> = []
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: Entry) => {
      zip.readLocalFileHeader(entry, { minimal: true }, (error, header) => {
        if (error) return reject(error)
        entries.push(Object.assign(entry, { dataStart: header.fileDataStart }))
        zip.readEntry()
      })
    })
    zip.once('end', () => resolve())
    zip.once('error', reject)
    zip.readEntry()
  })
  zip.close()
  return entries
}

const fields = (e: { fileNameRaw: Buffer; generalPurposeBitFlag: number; compressionMethod: number; compressedSize: number; uncompressedSize: number; externalFileAttributes: number; relativeOffsetOfLocalHeader: number }) => ({
  name: e.fileNameRaw.toString('latin1'),
  flags: e.generalPurposeBitFlag,
  method: e.compressionMethod,
  compressedSize: e.compressedSize,
  uncompressedSize: e.uncompressedSize,
  attributes: e.externalFileAttributes,
  offset: e.relativeOffsetOfLocalHeader,
})

describe('readCentralDirectory', () => {
  it('reads the same entries and data offsets as yauzl from real and fixture wheels', async () => {
    const fixture = await buildWheel(
      {
        name: 'zd',
        version: '1',
        files: [
          { path: 'zd/__init__.py', content: 'x = 1\n' },
          { path: 'zd/données.txt', content: 'é' },
          { path: 'zd/run.sh', content: 'echo\n', mode: 0o755 },
        ],
      },
      { outDir: dir },
    )
    for (const path of [...REAL, fixture]) {
      const bytes = readFileSync(path)
      const ours = readCentralDirectory(bytes)
      expect(ours, path).not.toBeNull()
      const theirs = await yauzlEntries(bytes)
      expect(ours!.map(fields), path).toEqual(theirs.map(fields))
      expect(ours!.map((e) => localDataStart(bytes, e)), path).toEqual(theirs.map((e) => e.dataStart))
    }
  })

  it('refuses what yauzl refuses: no end record, extra bytes after it, a directory cut short, a bad signature', () => {
    const bytes = readFileSync(REAL[0]!)
    expect(() => readCentralDirectory(bytes.subarray(0, bytes.length - 10))).toThrow(/signature not found|truncated/)
    expect(() => readCentralDirectory(Buffer.concat([bytes, Buffer.from('junk')]))).toThrow(/comment length/)
    const eocd = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
    const start = bytes.readUInt32LE(eocd + 16)
    const badSignature = Buffer.from(bytes)
    badSignature.writeUInt32LE(0x12345678, start)
    expect(() => readCentralDirectory(badSignature)).toThrow(/signature/)
    const tooMany = Buffer.from(bytes)
    tooMany.writeUInt16LE(tooMany.readUInt16LE(eocd + 10) + 1, eocd + 10)
    expect(() => readCentralDirectory(tooMany)).toThrow(/EOF|signature/)
  })

  it('leaves zip64 archives to yauzl, and such a wheel still opens and checks', async () => {
    const plain = await buildWheel({ name: 'zsf', version: '1', files: { 'zsf/__init__.py': 'y = 2\n' } }, { outDir: dir })
    const zip64 = join(dir, 'z64', 'zsf-1-py3-none-any.whl')
    execFileSync('mkdir', ['-p', join(dir, 'z64')])
    // Python's zipfile writes zip64 end records once the entry count passes ZIP_FILECOUNT_LIMIT.
    execFileSync('/usr/bin/python3', [
      '-c',
      'import sys, zipfile\nzipfile.ZIP_FILECOUNT_LIMIT = 1\nsrc = zipfile.ZipFile(sys.argv[1])\nwith zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as out:\n    for i in src.infolist(): out.writestr(i, src.read(i))\n',
      plain,
      zip64,
    ])
    const bytes = readFileSync(zip64)
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x07]))).toBe(true)
    expect(readCentralDirectory(bytes)).toBeNull()
    const archive = await openWheel(zip64)
    try {
      expect(archive.members.map((m) => m.name)).toContain('zsf/__init__.py')
      expect((await archive.read(archive.members.find((m) => m.name === 'zsf/__init__.py')!)).toString()).toBe('y = 2\n')
    } finally {
      await archive.close()
    }
  })
})
