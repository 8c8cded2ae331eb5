/**
 * Reading a wheel safely.
 *
 * `openWheel` reads the zip's central directory (for wheels read into
 * memory, in one synchronous pass: zip-directory.ts; for large wheels and
 * zip64 archives, with yauzl, imported lazily: it costs start-up time every
 * other command would pay) and checks the whole archive before anything is
 * extracted:
 *   - every member name decodes (UTF-8 when flagged, else CP437, as Python's
 *     zipfile) and is a plain relative path: not absolute, no drive letter, no
 *     backslash, no `..` segment, no NUL; no two members share a name;
 *   - no member is a symbolic link (Unix mode S_IFLNK in the external
 *     attributes), is encrypted, or uses a compression other than stored or
 *     deflate;
 *   - exactly one top-level `<name>-<version>.dist-info` whose name is the
 *     file name's; a WHEEL file with a `Wheel-Version` of major 1;
 *   - a RECORD listing every member (except RECORD and its signatures) with a
 *     sha256-or-stronger hash, and the size each member declares.
 * Member contents are then checked while they are read: the bytes are hashed
 * and counted as they come out of the inflater, and a member whose hash or
 * size differs from RECORD, or whose compressed data ends early, is an error.
 *
 * Small wheels (the usual case) are read into memory once and members are
 * inflated straight from that buffer, which is much faster than a stream per
 * member; large wheels are read through the file descriptor with a stream per
 * member, so memory stays bounded.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open as openFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { promisify } from 'node:util'
import { createInflateRaw, inflateRaw, inflateRawSync } from 'node:zlib'
import type { ZipFile } from 'yauzl'
import { eq, tryParseVersion } from '@pipette/pep440'
import { canonicalizeName } from '@pipette/requirements/names'
import { WheelError } from './errors.js'
import { parseWheelFilename } from './filename.js'
import type { WheelFilename } from './filename.js'
import { parseEntryPoints, parseHeaders, parseWheelInfo } from './metadata.js'
import type { EntryPoint, Headers, WheelInfo } from './metadata.js'
import { RECORD_HASH_ALGORITHMS, nodeHashName, parseRecord } from './record.js'
import type { RecordRow } from './record.js'
import { localDataStart, readCentralDirectory } from './zip-directory.js'
import { inflateFailure, inflateOptions } from './extract-core.js'
import type { ZipEntry as Entry } from './zip-directory.js'

const inflateRawAsync = promisify(inflateRaw)

/** Wheels up to this size are read into memory whole. */
const IN_MEMORY_LIMIT = 64 * 1024 * 1024

const S_IFMT = 0o170000
const S_IFREG = 0o100000
const S_IFLNK = 0o120000

/** One file (or directory entry) of the archive. */
export interface WheelMember {
  /** The path inside the archive, `/`-separated. */
  readonly name: string
  readonly isDirectory: boolean
  /** Uncompressed size declared by the archive. */
  readonly size: number
  /** Unix mode from the external attributes (0 when the archive has none). */
  readonly mode: number
  /** pip's `zip_item_is_executable`: a regular file with any execute bit. */
  readonly executable: boolean
  /** Its RECORD row (undefined for directories and RECORD's own signature files). */
  readonly record: RecordRow | undefined
}

export interface WheelArchive {
  readonly path: string
  readonly filename: WheelFilename
  /** `<name>-<version>.dist-info`. */
  readonly distInfo: string
  /** `<name>-<version>.data`. */
  readonly dataDir: string
  readonly wheelInfo: WheelInfo
  /** METADATA's headers (Name, Version, Requires-Dist, ...). */
  readonly metadata: Headers
  /** The distribution name as METADATA spells it. */
  readonly name: string
  readonly version: string
  readonly entryPoints: readonly EntryPoint[]
  /** Members in archive order. */
  readonly members: readonly WheelMember[]
  /** RECORD's rows as the wheel has them. */
  readonly record: readonly RecordRow[]
  /** Warnings pip would print (e.g. a newer minor Wheel-Version). */
  readonly warnings: readonly string[]
  /** The sha256 of the whole wheel file, hex (for direct_url.json and reports). */
  sha256(): Promise<string>
  /**
   * Where a member's compressed bytes are, when the wheel is held in shared
   * memory (small wheels); undefined otherwise. For extraction workers.
   */
  raw(member: WheelMember): RawMember | undefined
  /** A member's bytes, checked against RECORD. */
  read(member: WheelMember): Promise<Buffer>
  /**
   * A member's bytes in chunks, checked against RECORD as they flow: the
   * sink sees every chunk; the promise rejects (after the last chunk) if the
   * hash or size is wrong. Large members never sit in memory whole.
   */
  stream(member: WheelMember, sink: (chunk: Buffer) => Promise<void> | void): Promise<void>
  close(): Promise<void>
}

function corrupt(path: string, why: string, cause?: unknown): WheelError {
  return new WheelError('ERR_WHEEL_CORRUPT', `${basename(path)} is not a valid wheel: ${why}`, {
    hint: 'the file is damaged or truncated; download it again (a wheel is a zip archive: `unzip -t file.whl` checks it)',
    cause,
  })
}

function invalid(path: string, why: string, hint = 'a wheel holds one <name>-<version>.dist-info with WHEEL, METADATA and RECORD'): WheelError {
  return new WheelError('ERR_WHEEL_INVALID', `${basename(path)} has an invalid wheel, ${why}`, { hint })
}

/** Why a member name is unsafe to extract, or undefined when it is fine. */
export function unsafeMemberName(name: string): string | undefined {
  if (name === '') return 'an empty name'
  if (name.includes('\0')) return 'a NUL character'
  if (name.includes('\\')) return 'a backslash'
  if (name.startsWith('/')) return 'an absolute path'
  if (/^[a-zA-Z]:/.test(name)) return 'a drive letter'
  if (name.split('/').includes('..')) return 'a `..` segment'
  return undefined
}

// CP437, the zip default for names without the UTF-8 flag (as Python's zipfile decodes them).
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0'

function decodeName(raw: Buffer, flags: number): string {
  if ((flags & 0x800) !== 0) return raw.toString('utf8')
  let out = ''
  for (const byte of raw) out += byte < 0x80 ? String.fromCharCode(byte) : CP437_HIGH[byte - 0x80]!
  return out
}

/** A member's data inside the wheel's bytes (see `WheelArchive.raw`). */
export interface RawMember {
  /** The whole wheel file, in shared memory. */
  readonly bytes: SharedArrayBuffer
  /** Offset of the member's (compressed) data. */
  readonly dataStart: number
  readonly compressedSize: number
  /** 0 stored, 8 deflate. */
  readonly method: number
}

/** A wheel in memory (`zip` only when yauzl read its directory: zip64) or on disk (yauzl). */
interface Source {
  readonly zip: ZipFile | undefined
  readonly buffer: Buffer | undefined
}

/**
 * A yauzl reader over bytes in memory that answers reads in a microtask
 * (yauzl's own buffer reader waits a turn of the event loop per read, two per
 * central directory entry).
 */
function memoryReader(yauzl: typeof import('yauzl'), bytes: Buffer): import('yauzl').RandomAccessReader {
  class MemoryReader extends yauzl.RandomAccessReader {
    override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null) => void): void {
      if (position < 0 || position + length > bytes.length) {
        queueMicrotask(() => callback(new Error('unexpected EOF')))
        return
      }
      bytes.copy(buffer, offset, position, position + length)
      queueMicrotask(() => callback(null))
    }
    override _readStreamForRange(start: number, end: number): Readable {
      return Readable.from([bytes.subarray(start, end)], { objectMode: false })
    }
  }
  return new MemoryReader()
}

async function loadYauzl(): Promise<typeof import('yauzl')> {
  return await import('yauzl')
}

async function readEntries(zip: ZipFile): Promise<Entry[]> {
  return await new Promise<Entry[]>((resolve, reject) => {
    const entries: Entry[] = []
    zip.on('entry', (entry: Entry) => {
      entries.push(entry)
      zip.readEntry()
    })
    zip.once('end', () => resolve(entries))
    zip.once('error', reject)
    zip.readEntry()
  })
}

class MemberChecker {
  private readonly hash
  private readonly algorithm: string
  private readonly expected: string
  private count = 0
  constructor(
    private readonly path: string,
    private readonly member: WheelMember,
  ) {
    const row = member.record
    const eq = row?.hash.indexOf('=') ?? -1
    this.algorithm = row && eq > 0 ? row.hash.slice(0, eq) : 'sha256'
    this.expected = row && eq > 0 ? row.hash.slice(eq + 1) : ''
    this.hash = row && eq > 0 ? createHash(nodeHashName(this.algorithm)) : undefined
  }
  update(chunk: Buffer): void {
    this.count += chunk.length
    this.hash?.update(chunk)
  }
  finish(): void {
    const row = this.member.record
    if (this.count !== this.member.size) {
      throw corrupt(this.path, `${this.member.name} inflates to ${this.count} bytes, the archive says ${this.member.size}`)
    }
    if (row === undefined || this.hash === undefined) return
    const digest = this.hash.digest('base64url')
    if (digest !== this.expected.replace(/=+$/, '')) {
      throw new WheelError('ERR_WHEEL_RECORD_MISMATCH', `${basename(this.path)}: the hash of ${this.member.name} does not match RECORD (${this.algorithm}=${digest}, RECORD says ${row.hash})`, {
        hint: 'the wheel was modified after it was built; rebuild it or download it again',
      })
    }
    if (row.size !== '' && Number(row.size) !== this.count) {
      throw new WheelError('ERR_WHEEL_RECORD_MISMATCH', `${basename(this.path)}: ${this.member.name} is ${this.count} bytes, RECORD says ${row.size}`, {
        hint: 'the wheel was modified after it was built; rebuild it or download it again',
      })
    }
  }
}

/**
 * Opens a wheel and checks its structure (see the essay above). The caller
 * must `close()` it. `displayName` replaces the file name in messages and is
 * parsed as the wheel file name (for wheels stored under another name).
 */
export async function openWheel(
  path: string,
  options: { readonly filename?: string | undefined; /** Wheels up to this many bytes are read into memory (default 64 MiB). */ readonly memoryLimit?: number | undefined } = {},
): Promise<WheelArchive> {
  const filename = parseWheelFilename(options.filename ?? basename(path))
  let info
  try {
    info = await stat(path)
  } catch (cause) {
    throw new WheelError('ERR_WHEEL_NOT_FOUND', `Could not open ${path}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, {
      hint: 'give the path of an existing .whl file, e.g. ./dist/pipette_demo-1.0-py3-none-any.whl',
      cause,
    })
  }
  const zipOptions = { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true }
  let source: Source
  let entries: Entry[] | null = null
  try {
    if (info.size <= (options.memoryLimit ?? IN_MEMORY_LIMIT)) {
      // Read into shared memory, so extraction workers see the bytes without a copy.
      const shared = new SharedArrayBuffer(info.size)
      const handle = await openFile(path, 'r')
      try {
        let offset = 0
        while (offset < info.size) {
          const { bytesRead } = await handle.read(new Uint8Array(shared, offset), 0, info.size - offset, offset)
          if (bytesRead === 0) break
          offset += bytesRead
        }
      } finally {
        await handle.close()
      }
      const buffer = Buffer.from(shared)
      // The directory of a wheel in memory is read here (see zip-directory.ts); zip64 archives by yauzl.
      entries = readCentralDirectory(buffer)
      if (entries === null) {
        const yauzl = await loadYauzl()
        source = { zip: await yauzl.fromRandomAccessReaderPromise(memoryReader(yauzl, buffer), buffer.length, zipOptions), buffer }
      } else {
        source = { zip: undefined, buffer }
      }
    } else {
      const yauzl = await loadYauzl()
      source = { zip: await yauzl.openPromise(path, zipOptions), buffer: undefined }
    }
  } catch (cause) {
    throw corrupt(path, (cause as Error).message, cause)
  }
  const zip = source.zip
  try {
    if (zip !== undefined) {
      entries = await readEntries(zip).catch((cause: unknown) => {
        throw corrupt(path, (cause as Error).message, cause)
      })
    }
    return await checkWheel(path, filename, source, entries ?? [])
  } catch (error) {
    zip?.close()
    throw error
  }
}

async function checkWheel(path: string, filename: WheelFilename, source: Source, entries: Entry[]): Promise<WheelArchive> {
  const byName = new Map<string, Entry>()
  const raw: Array<{ name: string; entry: Entry; mode: number; isDirectory: boolean }> = []
  for (const entry of entries) {
    const name = decodeName(entry.fileNameRaw, entry.generalPurposeBitFlag)
    const why = unsafeMemberName(name)
    if (why !== undefined) {
      throw new WheelError('ERR_WHEEL_UNSAFE_PATH', `${basename(path)} has a member with ${why}: ${JSON.stringify(name)}; refusing to install it`, {
        hint: 'wheel members are relative paths such as pkg/module.py; this archive would write outside its target',
      })
    }
    if (byName.has(name)) throw invalid(path, `the member ${JSON.stringify(name)} appears twice`)
    const mode = entry.externalFileAttributes >>> 16
    if ((mode & S_IFMT) === S_IFLNK) {
      throw new WheelError('ERR_WHEEL_SYMLINK', `${basename(path)} has a symbolic link ${JSON.stringify(name)}; refusing to install it`, {
        hint: 'wheels hold regular files only; rebuild the wheel without links',
      })
    }
    if (entry.isEncrypted()) throw invalid(path, `the member ${JSON.stringify(name)} is encrypted`)
    if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
      throw invalid(path, `the member ${JSON.stringify(name)} uses compression method ${entry.compressionMethod} (only stored and deflate are supported)`)
    }
    byName.set(name, entry)
    raw.push({ name, entry, mode, isDirectory: name.endsWith('/') })
  }

  const distInfos = [...new Set(raw.map((m) => m.name.split('/', 1)[0]!).filter((top) => top.endsWith('.dist-info')))]
  if (distInfos.length === 0) throw invalid(path, '.dist-info directory not found')
  if (distInfos.length > 1) throw invalid(path, `multiple .dist-info directories found: ${distInfos.join(', ')}`)
  const distInfo = distInfos[0]!
  const stem = distInfo.slice(0, -'.dist-info'.length)
  const dash = stem.lastIndexOf('-')
  const distInfoName = dash === -1 ? stem : stem.slice(0, dash)
  if (canonicalizeName(distInfoName) !== filename.canonicalName) {
    throw invalid(path, `.dist-info directory ${JSON.stringify(distInfo)} does not start with ${JSON.stringify(filename.canonicalName)}`)
  }
  const dataDir = `${stem}.data`

  const recordName = `${distInfo}/RECORD`
  const recordEntry = byName.get(recordName)
  if (recordEntry === undefined) throw invalid(path, `${recordName} is missing`)
  const unsigned = (name: string) => name === recordName || name === `${recordName}.jws` || name === `${recordName}.p7s`

  const reader = memberReader(path, source)
  const placeholder = (name: string, entry: Entry, mode: number, isDirectory: boolean, record: RecordRow | undefined): WheelMember =>
    Object.freeze({
      name,
      isDirectory,
      size: entry.uncompressedSize,
      mode,
      executable: mode !== 0 && (mode & S_IFMT) === S_IFREG && (mode & 0o111) !== 0,
      record,
    })
  const recordText = (await reader.read(placeholder(recordName, recordEntry, 0, false, undefined), recordEntry)).toString('utf8')
  const record = parseRecord(recordText)
  const rows = new Map<string, RecordRow>()
  for (const row of record) rows.set(row.path, row)

  const members: WheelMember[] = []
  for (const { name, entry, mode, isDirectory } of raw) {
    let row: RecordRow | undefined
    if (!isDirectory && !unsigned(name)) {
      row = rows.get(name)
      if (row === undefined || row.hash === '') {
        throw new WheelError('ERR_WHEEL_RECORD_MISMATCH', `${basename(path)}: ${name} is ${row === undefined ? 'not listed in' : 'without a hash in'} RECORD`, {
          hint: 'every file of a wheel must be listed in its RECORD with a sha256 hash; rebuild the wheel',
        })
      }
      const algorithm = row.hash.slice(0, Math.max(0, row.hash.indexOf('=')))
      if (!RECORD_HASH_ALGORITHMS.has(algorithm)) {
        throw new WheelError('ERR_WHEEL_RECORD_MISMATCH', `${basename(path)}: RECORD hashes ${name} with ${JSON.stringify(algorithm || row.hash)}, which is not allowed`, {
          hint: 'RECORD hashes must be sha256 or stronger, e.g. sha256=<urlsafe-base64 digest>',
        })
      }
      if (row.size !== '' && Number(row.size) !== entry.uncompressedSize) {
        throw new WheelError('ERR_WHEEL_RECORD_MISMATCH', `${basename(path)}: ${name} is ${entry.uncompressedSize} bytes in the archive, RECORD says ${row.size}`, {
          hint: 'the wheel was modified after it was built; rebuild it or download it again',
        })
      }
    }
    members.push(placeholder(name, entry, mode, isDirectory, row))
  }
  const memberByName = new Map(members.map((m) => [m.name, m]))
  const entryOf = (member: WheelMember) => {
    const entry = byName.get(member.name)
    if (entry === undefined || memberByName.get(member.name) !== member) throw new RangeError(`${member.name} is not a member of ${path}`)
    return entry
  }
  const readText = async (name: string): Promise<string | undefined> => {
    const member = memberByName.get(name)
    return member === undefined ? undefined : (await reader.read(member, entryOf(member))).toString('utf8')
  }

  const warnings: string[] = []
  const wheelText = await readText(`${distInfo}/WHEEL`)
  if (wheelText === undefined) throw invalid(path, `could not read '${distInfo}/WHEEL' file`)
  const { info: wheelInfo, problem } = parseWheelInfo(wheelText)
  if (wheelInfo === undefined) throw invalid(path, problem ?? 'unreadable WHEEL')
  const [major = 0, minor = 0] = wheelInfo.wheelVersion
  if (major > 1) {
    throw new WheelError('ERR_WHEEL_UNSUPPORTED', `${filename.name}'s Wheel-Version (${wheelInfo.wheelVersion.join('.')}) is not compatible with this version of pipette`, {
      hint: 'pipette installs wheels of Wheel-Version 1.x',
    })
  }
  if (major === 1 && (minor > 0 || wheelInfo.wheelVersion.length > 2)) warnings.push(`Installing from a newer Wheel-Version (${wheelInfo.wheelVersion.join('.')})`)

  const metadataText = await readText(`${distInfo}/METADATA`)
  if (metadataText === undefined) throw invalid(path, `could not read '${distInfo}/METADATA' file`)
  const metadata = parseHeaders(metadataText)
  const name = metadata.get('Name')
  const version = metadata.get('Version')
  if (name === undefined || version === undefined) throw invalid(path, `${distInfo}/METADATA has no ${name === undefined ? 'Name' : 'Version'}`)
  if (canonicalizeName(name) !== filename.canonicalName) {
    throw new WheelError('ERR_WHEEL_INVALID', `${basename(path)} has inconsistent name: expected ${JSON.stringify(filename.canonicalName)}, but metadata has ${JSON.stringify(canonicalizeName(name))}`, {
      hint: 'the wheel file name and its METADATA Name must name the same project',
    })
  }
  const metadataVersion = tryParseVersion(version)
  if (metadataVersion === null ? version !== filename.version : !eq(metadataVersion, filename.version)) {
    throw new WheelError('ERR_WHEEL_INVALID', `${basename(path)} has inconsistent version: expected ${JSON.stringify(filename.version)}, but metadata has ${JSON.stringify(version)}`, {
      hint: 'the wheel file name and its METADATA Version must give the same version',
    })
  }
  const entryPoints = parseEntryPoints((await readText(`${distInfo}/entry_points.txt`)) ?? '')

  return Object.freeze({
    path,
    filename,
    distInfo,
    dataDir,
    wheelInfo,
    metadata,
    name,
    version,
    entryPoints: Object.freeze(entryPoints),
    members: Object.freeze(members),
    record: Object.freeze(record),
    warnings: Object.freeze(warnings),
    read: (member: WheelMember) => reader.read(member, entryOf(member)),
    stream: (member: WheelMember, sink: (chunk: Buffer) => Promise<void> | void) => reader.stream(member, entryOf(member), sink),
    sha256: async () => {
      if (source.buffer !== undefined) return createHash('sha256').update(source.buffer).digest('hex')
      const hash = createHash('sha256')
      await pipeline(createReadStream(path), hash)
      return hash.digest('hex')
    },
    raw: (member: WheelMember) => {
      const buffer = source.buffer
      if (buffer === undefined || !(buffer.buffer instanceof SharedArrayBuffer)) return undefined
      const entry = entryOf(member)
      const offset = entry.relativeOffsetOfLocalHeader
      if (offset + 30 > buffer.length || buffer.readUInt32LE(offset) !== 0x04034b50) throw corrupt(path, `the local header of ${member.name} is missing`)
      const dataStart = offset + 30 + buffer.readUInt16LE(offset + 26) + buffer.readUInt16LE(offset + 28)
      if (dataStart + entry.compressedSize > buffer.length) throw corrupt(path, `the data of ${member.name} is cut short`)
      return { bytes: buffer.buffer, dataStart: buffer.byteOffset + dataStart, compressedSize: entry.compressedSize, method: entry.compressionMethod }
    },
    close: async () => source.zip?.close(),
  })
}

interface MemberReader {
  read(member: WheelMember, entry: Entry): Promise<Buffer>
  stream(member: WheelMember, entry: Entry, sink: (chunk: Buffer) => Promise<void> | void): Promise<void>
}

/** Members at most this big are inflated synchronously. */
const SYNC_INFLATE_LIMIT = 256 * 1024

/** Members at most this big are inflated in one call rather than streamed. */
const WHOLE_MEMBER_LIMIT = 4 * 1024 * 1024

function memberReader(path: string, source: Source): MemberReader {
  const { zip, buffer } = source
  const dataStart = async (entry: Entry): Promise<number> => {
    try {
      if (zip === undefined) return localDataStart(buffer!, entry)
      return (await zip.readLocalFileHeaderPromise(entry as import('yauzl').Entry, { minimal: true })).fileDataStart
    } catch (cause) {
      throw corrupt(path, (cause as Error).message, cause)
    }
  }
  const compressedBytes = async (entry: Entry): Promise<Buffer> => {
    const start = await dataStart(entry)
    const end = start + entry.compressedSize
    if (buffer === undefined || end > buffer.length) throw corrupt(path, `the data of ${decodeName(entry.fileNameRaw, entry.generalPurposeBitFlag)} is cut short`)
    return buffer.subarray(start, end)
  }
  const inflateWhole = async (entry: Entry): Promise<Buffer> => {
    const bytes = await compressedBytes(entry)
    if (entry.compressionMethod === 0) return bytes
    const options = inflateOptions(entry.uncompressedSize)
    try {
      // Small members inflate faster in place than through a thread-pool round trip.
      return entry.uncompressedSize <= SYNC_INFLATE_LIMIT ? inflateRawSync(bytes, options) : await inflateRawAsync(bytes, options)
    } catch (cause) {
      throw corrupt(path, `${decodeName(entry.fileNameRaw, entry.generalPurposeBitFlag)} ${inflateFailure(cause, entry.uncompressedSize)}`, cause)
    }
  }
  const streamMember = async (member: WheelMember, entry: Entry, sink: (chunk: Buffer) => Promise<void> | void): Promise<void> => {
    const checker = new MemberChecker(path, member)
    if (buffer !== undefined && entry.uncompressedSize <= WHOLE_MEMBER_LIMIT) {
      const data = await inflateWhole(entry)
      checker.update(data)
      checker.finish()
      await sink(data)
      return
    }
    let stream: Readable
    try {
      if (zip === undefined) {
        // A large member of a wheel in memory: inflate it as a stream.
        const bytes = Readable.from([await compressedBytes(entry)], { objectMode: false })
        stream = entry.compressionMethod === 0 ? bytes : bytes.pipe(createInflateRaw())
      } else {
        stream = await zip.openReadStreamPromise(entry as import('yauzl').Entry)
      }
    } catch (cause) {
      throw corrupt(path, (cause as Error).message, cause)
    }
    try {
      await pipeline(
        stream,
        new Writable({
          write(chunk: Buffer, _encoding, callback) {
            checker.update(chunk)
            Promise.resolve(sink(chunk)).then(() => callback(), callback)
          },
        }),
      )
    } catch (cause) {
      if (cause instanceof WheelError) throw cause
      throw corrupt(path, `${member.name}: ${(cause as Error).message}`, cause)
    }
    checker.finish()
  }
  return {
    stream: streamMember,
    read: async (member, entry) => {
      const chunks: Buffer[] = []
      await streamMember(member, entry, (chunk) => {
        chunks.push(chunk)
      })
      return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
    },
  }
}
