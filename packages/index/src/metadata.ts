/**
 * The core metadata (`METADATA`) of a distribution file without downloading
 * it, in the cheapest way the index allows:
 *
 * 1. the PEP 658 `<file URL>.metadata` file, when the index announced it
 *    (checked against the hash the index gave for it); it goes through the
 *    HTTP cache, so a repeat costs nothing;
 * 2. else, for a wheel over HTTP, range requests into the zip: a suffix range
 *    for the last 64 KiB (end of central directory, usually the whole central
 *    directory and often METADATA itself), then at most the rest of the
 *    directory and the member. A server that answers a range with the whole
 *    file (200) is remembered, per origin, so it is not asked again;
 * 3. else the whole file (a local wheel is read in place).
 */
import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { metadataUnavailable, badResponse, hashMismatch } from './errors.js'
import { digestsOf, expectedFrom, hashesMatch } from './hashing.js'
import type { HttpClient, HttpResponse } from './http.js'
import type { DistributionFile } from './simple-api.js'
import { fileUrlToPath, isFileUrl, originOf, withoutFragment } from './urls.js'
import type { ZipSource } from './zip.js'
import { bufferSource, findMetadataEntry, listZip, readZipEntry, TAIL_BYTES, ZipFormatError } from './zip.js'

/** Origins known to ignore range requests. */
export interface RangeMemory {
  readonly refuses: (origin: string) => boolean
  readonly remember: (origin: string) => void
}

export function createRangeMemory(initial: Iterable<string> = [], onChange?: (origins: readonly string[]) => void): RangeMemory {
  const origins = new Set(initial)
  return {
    refuses: (origin) => origins.has(origin),
    remember(origin) {
      if (origins.has(origin)) return
      origins.add(origin)
      onChange?.([...origins])
    },
  }
}

/**
 * A range memory kept in a JSON file (a list of origins), read once and
 * rewritten (temporary file + rename) when an origin is added, so that the
 * next run does not ask a server that refuses ranges again.
 */
export async function openRangeMemoryFile(path: string): Promise<RangeMemory & { readonly flush: () => Promise<void> }> {
  let initial: string[] = []
  try {
    const data: unknown = JSON.parse(await readFile(path, 'utf8'))
    if (Array.isArray(data)) initial = data.filter((o): o is string => typeof o === 'string')
  } catch {
    // absent or damaged: start empty
  }
  let writing = Promise.resolve()
  const memory = createRangeMemory(initial, (origins) => {
    writing = writing.then(async () => {
      try {
        await mkdir(dirname(path), { recursive: true })
        const temp = `${path}.${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`
        await writeFile(temp, `${JSON.stringify(origins)}\n`)
        await rename(temp, path)
      } catch {
        // remembering is an optimization; a read-only cache only costs a request
      }
    })
  })
  return { ...memory, flush: () => writing }
}

export interface WheelMetadata {
  /** The METADATA file's bytes. */
  readonly metadata: Uint8Array
  readonly via: 'metadata-file' | 'range' | 'whole-file' | 'local-file'
  /** When the whole wheel had to be read, its bytes (the caller may keep them instead of downloading again). */
  readonly wheel?: Uint8Array | undefined
}

export interface MetadataOptions {
  readonly http: HttpClient
  readonly file: DistributionFile
  /** The normalized project name (picks the right `.dist-info` if a wheel has several). */
  readonly project: string
  readonly ranges?: RangeMemory | undefined
}

/** Reads the METADATA of a wheel (or the PEP 658 metadata file of any distribution). */
export async function fetchMetadata(options: MetadataOptions): Promise<WheelMetadata> {
  const { file, http } = options
  const url = withoutFragment(file.url)
  if (file.coreMetadata !== false && !isFileUrl(url)) {
    const response = await http.get(`${url}.metadata`, { acceptStatus: [404, 410] })
    if (response.status < 300) {
      const expected = expectedFrom(file.coreMetadata.hashes)
      const actual = digestsOf(response.body, Object.keys(expected))
      if (!hashesMatch(expected, actual)) throw hashMismatch({ url: `${url}.metadata`, filename: `${file.filename}.metadata`, expected, actual })
      return { metadata: response.body, via: 'metadata-file' }
    }
  }
  if (!file.filename.endsWith('.whl')) throw metadataUnavailable(url, 'it is not a wheel and the index offers no metadata file')
  try {
    if (isFileUrl(url)) return { metadata: await localMetadata(fileUrlToPath(url), options.project, url), via: 'local-file' }
    return await remoteMetadata(options, url)
  } catch (error) {
    if (error instanceof ZipFormatError) throw metadataUnavailable(url, error.message, error)
    throw error
  }
}

async function metadataFromZip(source: ZipSource, project: string, url: string): Promise<Uint8Array> {
  const listing = await listZip(source)
  const entry = findMetadataEntry(listing.entries, project)
  if (entry === undefined) throw metadataUnavailable(url, 'the wheel has no .dist-info/METADATA')
  return readZipEntry(source, entry, listing)
}

async function localMetadata(path: string, project: string, url: string): Promise<Uint8Array> {
  const handle = await open(path, 'r')
  try {
    const { size } = await handle.stat()
    const source: ZipSource = {
      size,
      async read(start, end) {
        const buffer = Buffer.alloc(end - start)
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, start)
        return buffer.subarray(0, bytesRead)
      },
    }
    return await metadataFromZip(source, project, url)
  } finally {
    await handle.close()
  }
}

function contentRange(response: HttpResponse): { start: number; end: number; total: number } | undefined {
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(response.headers['content-range'] ?? '')
  if (match === null) return undefined
  return { start: Number(match[1]), end: Number(match[2]) + 1, total: Number(match[3]) }
}

async function remoteMetadata(options: MetadataOptions, url: string): Promise<WheelMetadata> {
  const { http, ranges } = options
  const origin = originOf(url)
  const whole = async (response?: HttpResponse): Promise<WheelMetadata> => {
    const body = response ?? (await http.get(url, { cache: 'no-store' }))
    return { metadata: await metadataFromZip(bufferSource(body.body), options.project, url), via: 'whole-file', wheel: body.body }
  }
  if (ranges?.refuses(origin)) return whole()
  const first = await http.get(url, { headers: { range: `bytes=-${TAIL_BYTES}` }, cache: 'no-store', acceptStatus: [416] })
  if (first.status === 416) return whole()
  if (first.status === 200) {
    ranges?.remember(origin)
    return whole(first)
  }
  const range = contentRange(first)
  if (first.status !== 206 || range === undefined || range.end !== range.total) {
    throw badResponse(url, `a range request was answered with HTTP ${first.status} and Content-Range '${first.headers['content-range'] ?? ''}'`)
  }
  const tail = first.body
  const tailStart = range.start
  const source: ZipSource = {
    size: range.total,
    async read(start, end) {
      if (start >= tailStart) return tail.subarray(start - tailStart, end - tailStart)
      const response = await http.get(url, { headers: { range: `bytes=${start}-${end - 1}` }, cache: 'no-store' })
      const got = contentRange(response)
      if (response.status !== 206 || got === undefined || got.start !== start) {
        if (response.status === 200) {
          ranges?.remember(origin)
          return response.body.subarray(start, end)
        }
        throw badResponse(url, `a range request was answered with HTTP ${response.status}`)
      }
      return response.body
    },
  }
  return { metadata: await metadataFromZip(source, options.project, url), via: 'range' }
}
