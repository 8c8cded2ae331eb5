import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { wheelArchive, writeZip } from '@pipette/fixtures'
import type { ZipSource } from '../src/zip.js'
import { bufferSource, findMetadataEntry, listZip, readZipEntry, TAIL_BYTES } from '../src/zip.js'

/** A source that records which byte ranges were read. */
function recording(bytes: Uint8Array): ZipSource & { reads: [number, number][] } {
  const reads: [number, number][] = []
  return { size: bytes.length, reads, read: async (start, end) => (reads.push([start, end]), bytes.subarray(start, end)) }
}

describe('reading METADATA from the end of a zip', () => {
  it('reads a small wheel with one read of its tail', async () => {
    const wheel = wheelArchive({ name: 'Demo.Pkg', version: '1.0', requires: ['six>=1'], requiresPython: '>=3.8' })
    const source = recording(wheel.bytes)
    const listing = await listZip(source)
    const entry = findMetadataEntry(listing.entries, 'demo-pkg')
    expect(entry?.name).toBe(`${wheel.distInfoDir}/METADATA`)
    const metadata = Buffer.from(await readZipEntry(source, entry!, listing)).toString('utf8')
    expect(metadata).toBe(wheel.metadata)
    expect(source.reads).toEqual([[0, wheel.bytes.length]])
  })

  it('reads a large wheel (central directory beyond the tail) with few, small reads', async () => {
    const files: Record<string, string> = {}
    for (let i = 0; i < 3000; i++) files[`big/module_with_a_long_name_${i}.py`] = `x = ${i}\n`.repeat(20)
    const wheel = wheelArchive({ name: 'big', version: '2.0', files })
    expect(wheel.bytes.length).toBeGreaterThan(4 * TAIL_BYTES)
    const source = recording(wheel.bytes)
    const listing = await listZip(source)
    expect(listing.entries.length).toBeGreaterThan(3000)
    const entry = findMetadataEntry(listing.entries, 'big')!
    expect(Buffer.from(await readZipEntry(source, entry, listing)).toString('utf8')).toBe(wheel.metadata)
    expect(source.reads.length).toBeLessThanOrEqual(3)
    const bytesRead = source.reads.reduce((sum, [a, b]) => sum + (b - a), 0)
    expect(bytesRead).toBeLessThan(wheel.bytes.length / 2)
  })

  it('reads the real pip wheel of this machine like unzip does', async () => {
    const path = '/usr/share/python-wheels/pip-23.0.1-py3-none-any.whl'
    const bytes = readFileSync(path)
    const listing = await listZip(bufferSource(bytes))
    const entry = findMetadataEntry(listing.entries, 'pip')!
    expect(entry.name).toBe('pip-23.0.1.dist-info/METADATA')
    const ours = Buffer.from(await readZipEntry(bufferSource(bytes), entry, listing))
    expect(ours.equals(execFileSync('unzip', ['-p', path, entry.name]))).toBe(true)
  })

  it('picks the .dist-info of the project when a wheel has several', () => {
    const entries = ['other-1.0.dist-info/METADATA', 'Demo_Pkg-1.0.dist-info/METADATA'].map((name) => ({ name, method: 0, crc: 0, compressedSize: 0, uncompressedSize: 0, localHeaderOffset: 0 }))
    expect(findMetadataEntry(entries, 'demo-pkg')?.name).toBe('Demo_Pkg-1.0.dist-info/METADATA')
  })

  it('rejects what is not a zip, and a member whose CRC is wrong', async () => {
    await expect(listZip(bufferSource(Buffer.from('not a zip at all')))).rejects.toThrow(/not a zip/)
    const zip = Buffer.from(writeZip([{ name: 'a-1.dist-info/METADATA', data: Buffer.from('Name: a\n'), compress: false }]))
    const listing = await listZip(bufferSource(zip))
    const damaged = Buffer.from(zip)
    damaged[damaged.indexOf('Name: a')] = 0x4d
    await expect(readZipEntry(bufferSource(damaged), listing.entries[0]!)).rejects.toThrow(/CRC-32/)
  })
})
