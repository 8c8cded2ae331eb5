/**
 * Reading one member of a remote zip (a wheel's `METADATA`) with as few bytes
 * as possible.
 *
 * A zip is read from its end: the End Of Central Directory record (22 bytes
 * plus a comment of up to 64 KiB) says where the central directory starts and
 * how long it is (ZIP64 archives put the real values in a ZIP64 EOCD record,
 * found through a locator just before the EOCD); the central directory lists
 * every member with its compressed size, CRC and the offset of its local
 * header; the local header is followed by the member's data (stored or
 * deflated). So a wheel's metadata costs one read of the tail (which, for
 * most wheels, already holds the central directory and, since `.dist-info`
 * is written last, often the METADATA data too), and at most two more.
 *
 * Everything here works on a `ZipSource` (`size` and `read(start, end)`), so
 * the same code reads HTTP ranges, a buffer or a file.
 */
import { crc32, inflateRawSync } from 'node:zlib'

export interface ZipSource {
  readonly size: number
  /** Bytes [start, end) of the archive. */
  readonly read: (start: number, end: number) => Promise<Uint8Array>
}

export interface ZipEntry {
  readonly name: string
  readonly method: number
  readonly crc: number
  readonly compressedSize: number
  readonly uncompressedSize: number
  readonly localHeaderOffset: number
}

export class ZipFormatError extends Error {
  override get name(): string {
    return 'ZipFormatError'
  }
}

const EOCD = 0x06054b50
const ZIP64_LOCATOR = 0x07064b50
const ZIP64_EOCD = 0x06064b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/** Bytes read from the end at first: enough for the EOCD, a long comment, and most wheels' whole central directory. */
export const TAIL_BYTES = 64 * 1024

interface Directory {
  readonly offset: number
  readonly size: number
  readonly count: number
}

/** Finds the central directory from the archive's tail (`tail` holds bytes [tailStart, size)). */
async function locateDirectory(source: ZipSource, tail: Uint8Array, tailStart: number): Promise<Directory> {
  const dv = view(tail)
  let at = -1
  for (let i = tail.length - 22; i >= Math.max(0, tail.length - 22 - 0xffff); i--) {
    if (dv.getUint32(i, true) === EOCD && i + 22 + dv.getUint16(i + 20, true) <= tail.length) {
      at = i
      break
    }
  }
  if (at === -1) throw new ZipFormatError('no end of central directory record: not a zip file')
  let count = dv.getUint16(at + 10, true)
  let size = dv.getUint32(at + 12, true)
  let offset = dv.getUint32(at + 16, true)
  if (offset === 0xffffffff || size === 0xffffffff || count === 0xffff) {
    const locatorAt = at - 20
    const locator = locatorAt >= 0 ? tail.subarray(locatorAt, at) : await source.read(tailStart + locatorAt, tailStart + at)
    const lv = view(locator)
    if (lv.getUint32(0, true) !== ZIP64_LOCATOR) throw new ZipFormatError('ZIP64 locator missing')
    const recordOffset = Number(lv.getBigUint64(8, true))
    const record = recordOffset >= tailStart ? tail.subarray(recordOffset - tailStart, recordOffset - tailStart + 56) : await source.read(recordOffset, recordOffset + 56)
    const rv = view(record)
    if (rv.getUint32(0, true) !== ZIP64_EOCD) throw new ZipFormatError('ZIP64 end of central directory record missing')
    count = Number(rv.getBigUint64(32, true))
    size = Number(rv.getBigUint64(40, true))
    offset = Number(rv.getBigUint64(48, true))
  }
  if (offset + size > source.size) throw new ZipFormatError('central directory lies outside the archive')
  return { offset, size, count }
}

/** Parses a central directory. */
export function parseCentralDirectory(bytes: Uint8Array, count: number): ZipEntry[] {
  const dv = view(bytes)
  const entries: ZipEntry[] = []
  const decoder = new TextDecoder()
  let i = 0
  for (let n = 0; n < count; n++) {
    if (i + 46 > bytes.length || dv.getUint32(i, true) !== CENTRAL) throw new ZipFormatError('damaged central directory')
    const flags = dv.getUint16(i + 8, true)
    const nameLength = dv.getUint16(i + 28, true)
    const extraLength = dv.getUint16(i + 30, true)
    const commentLength = dv.getUint16(i + 32, true)
    const nameBytes = bytes.subarray(i + 46, i + 46 + nameLength)
    const name = flags & 0x800 ? decoder.decode(nameBytes) : latin1OrUtf8(nameBytes)
    let compressedSize = dv.getUint32(i + 20, true)
    let uncompressedSize = dv.getUint32(i + 24, true)
    let localHeaderOffset = dv.getUint32(i + 42, true)
    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff || localHeaderOffset === 0xffffffff) {
      let e = i + 46 + nameLength
      const end = e + extraLength
      while (e + 4 <= end) {
        const id = dv.getUint16(e, true)
        const length = dv.getUint16(e + 2, true)
        if (id === 0x0001) {
          let f = e + 4
          if (uncompressedSize === 0xffffffff) (uncompressedSize = Number(dv.getBigUint64(f, true))), (f += 8)
          if (compressedSize === 0xffffffff) (compressedSize = Number(dv.getBigUint64(f, true))), (f += 8)
          if (localHeaderOffset === 0xffffffff) localHeaderOffset = Number(dv.getBigUint64(f, true))
        }
        e += 4 + length
      }
    }
    entries.push({ name, method: dv.getUint16(i + 10, true), crc: dv.getUint32(i + 16, true), compressedSize, uncompressedSize, localHeaderOffset })
    i += 46 + nameLength + extraLength + commentLength
  }
  return entries
}

function latin1OrUtf8(bytes: Uint8Array): string {
  // Wheels are written by tools that use UTF-8 even without the flag; names pipette looks for are ASCII anyway.
  return new TextDecoder().decode(bytes)
}

/** Lists the members of an archive, reading its tail and, if needed, the rest of the central directory. */
export async function listZip(source: ZipSource): Promise<{ entries: ZipEntry[]; tail: Uint8Array; tailStart: number }> {
  const tailStart = Math.max(0, source.size - TAIL_BYTES)
  const tail = await source.read(tailStart, source.size)
  const directory = await locateDirectory(source, tail, tailStart)
  const bytes =
    directory.offset >= tailStart
      ? tail.subarray(directory.offset - tailStart, directory.offset - tailStart + directory.size)
      : concat(await source.read(directory.offset, tailStart), tail.subarray(0, directory.offset + directory.size - tailStart))
  return { entries: parseCentralDirectory(bytes, directory.count), tail, tailStart }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a, 0)
  out.set(b, a.length)
  return out
}

/** Reads and inflates one member, checking its size and CRC-32. */
export async function readZipEntry(source: ZipSource, entry: ZipEntry, cached?: { tail: Uint8Array; tailStart: number }): Promise<Uint8Array> {
  const read = async (start: number, end: number): Promise<Uint8Array> => {
    if (cached !== undefined && start >= cached.tailStart && end <= cached.tailStart + cached.tail.length) {
      return cached.tail.subarray(start - cached.tailStart, end - cached.tailStart)
    }
    return source.read(start, end)
  }
  // Guess the local extra field's length (usually 0 or the central one's); read more if the guess was short.
  const guess = Math.min(source.size, entry.localHeaderOffset + 30 + entry.name.length * 3 + 256 + entry.compressedSize)
  let chunk = await read(entry.localHeaderOffset, guess)
  const lv = view(chunk)
  if (chunk.length < 30 || lv.getUint32(0, true) !== LOCAL) throw new ZipFormatError(`no local header for ${entry.name}`)
  const dataStart = 30 + lv.getUint16(26, true) + lv.getUint16(28, true)
  if (dataStart + entry.compressedSize > chunk.length) {
    chunk = await read(entry.localHeaderOffset, entry.localHeaderOffset + dataStart + entry.compressedSize)
  }
  const data = chunk.subarray(dataStart, dataStart + entry.compressedSize)
  let content: Uint8Array
  if (entry.method === 0) content = data
  else if (entry.method === 8) content = inflateRawSync(data)
  else throw new ZipFormatError(`${entry.name} uses compression method ${entry.method}, which wheels may not use`)
  if (content.length !== entry.uncompressedSize) throw new ZipFormatError(`${entry.name} has ${content.length} bytes, the directory says ${entry.uncompressedSize}`)
  if (crc32(content) >>> 0 !== entry.crc >>> 0) throw new ZipFormatError(`${entry.name} fails its CRC-32 check`)
  return content
}

/** A zip source over bytes in memory. */
export function bufferSource(bytes: Uint8Array): ZipSource {
  return { size: bytes.length, read: async (start, end) => bytes.subarray(start, end) }
}

/**
 * The path of a wheel's METADATA: `<name>-<version>.dist-info/METADATA` at the
 * top level, the one whose directory name matches the project when several do.
 */
export function findMetadataEntry(entries: readonly ZipEntry[], normalizedProject: string): ZipEntry | undefined {
  const candidates = entries.filter((entry) => /^[^/]+\.dist-info\/METADATA$/.test(entry.name))
  if (candidates.length <= 1) return candidates[0]
  const normalize = (text: string) => text.toLowerCase().replace(/[-_.]+/g, '-')
  return candidates.find((entry) => normalize(entry.name.slice(0, entry.name.indexOf('-'))) === normalizedProject) ?? candidates[0]
}
