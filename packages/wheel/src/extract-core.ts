/**
 * Extracting one member from a wheel held in memory, synchronously: inflate,
 * verify against RECORD, rewrite a `#!python` shebang if asked, write to a
 * new file (never following or replacing anything: `wx`) with its mode. The
 * same code runs on the main thread and in extraction workers (see
 * extract-pool.ts); synchronous calls cost far less than a thread-pool round
 * trip per system call when there are hundreds of small files.
 */
import { closeSync, constants, fchmodSync, mkdirSync, openSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { inflateRawSync } from 'node:zlib'
import { WheelError } from './errors.js'
import { fixScriptShebang } from './launcher.js'
import { recordHash } from './record.js'
import { verifyMemberBytes } from './verify.js'

const WRITE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL

export interface ExtractJob {
  /** The wheel's file name and the member's name (for messages). */
  readonly wheel: string
  readonly name: string
  readonly dataStart: number
  readonly compressedSize: number
  /** 0 stored, 8 deflate. */
  readonly method: number
  readonly size: number
  /** RECORD's `algorithm=digest` and size. */
  readonly hash: string
  readonly recordSize: string
  /** Where to write (a path inside a staging directory). */
  readonly dest: string
  readonly mode: number
  /** The mode has bits the umask would clear: chmod after writing. */
  readonly chmod: boolean
  /** Rewrite a `#!python` first line to this interpreter. */
  readonly fixShebang: string | undefined
}

/** A rewritten script's new hash and size (for RECORD). */
export interface ExtractOutcome {
  readonly hash?: string | undefined
  readonly size?: number | undefined
}

/**
 * Inflating into one buffer of the declared size (no 16 KiB chunks to allocate and join: less
 * garbage), and never past it: a member that inflates to more than the archive says is refused as
 * soon as it overflows, before it can fill the memory.
 */
export function inflateOptions(size: number): { chunkSize: number; maxOutputLength: number } {
  return { chunkSize: Math.max(64, size), maxOutputLength: Math.max(1, size) }
}

/** Why inflating a member failed, for a message: `inflates to more than N bytes...` or zlib's reason. */
export function inflateFailure(cause: unknown, size: number): string {
  return (cause as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE'
    ? `inflates to more than ${size} bytes, the archive says ${size}`
    : `does not inflate: ${(cause as Error).message}`
}

export function extractOne(bytes: Uint8Array, job: ExtractJob, made: Set<string>): ExtractOutcome {
  const compressed = bytes.subarray(job.dataStart, job.dataStart + job.compressedSize)
  let data: Uint8Array
  try {
    data = job.method === 8 ? inflateRawSync(compressed, inflateOptions(job.size)) : compressed
  } catch (cause) {
    throw new WheelError('ERR_WHEEL_CORRUPT', `${job.wheel} is not a valid wheel: ${job.name} ${inflateFailure(cause, job.size)}`, {
      hint: 'the file is damaged or truncated; download it again (a wheel is a zip archive: `unzip -t file.whl` checks it)',
      cause,
    })
  }
  verifyMemberBytes(data, { wheel: job.wheel, name: job.name, declaredSize: job.size, hash: job.hash, recordSize: job.recordSize })
  let outcome: ExtractOutcome = {}
  if (job.fixShebang !== undefined) {
    const fixed = fixScriptShebang(Buffer.from(data.buffer, data.byteOffset, data.byteLength), job.fixShebang)
    if (fixed !== undefined) {
      data = fixed
      outcome = { hash: recordHash(fixed), size: fixed.length }
    }
  }
  const dir = dirname(job.dest)
  if (!made.has(dir)) {
    mkdirSync(dir, { recursive: true })
    made.add(dir)
  }
  // One open (new files only: never following or replacing anything), the writes, one close.
  const fd = openSync(job.dest, WRITE_NEW, job.mode)
  try {
    for (let at = 0; at < data.length; ) at += writeSync(fd, data, at, data.length - at)
    if (job.chmod) fchmodSync(fd, job.mode)
  } finally {
    closeSync(fd)
  }
  return outcome
}

/** A failure as it crosses a thread boundary. */
export interface ExtractFailure {
  readonly code: string | undefined
  readonly message: string
  readonly hint: string | undefined
}

export function toFailure(error: unknown): ExtractFailure {
  const e = error as { code?: unknown; message?: unknown; hint?: unknown }
  return { code: typeof e.code === 'string' ? e.code : undefined, message: String(e.message ?? error), hint: typeof e.hint === 'string' ? e.hint : undefined }
}

export function fromFailure(failure: ExtractFailure, what: string): Error {
  if (failure.code?.startsWith('ERR_WHEEL')) return new WheelError(failure.code, failure.message, { hint: failure.hint })
  return new WheelError('ERR_WHEEL_INSTALL', `Could not install ${what}: ${failure.code ?? failure.message}`, {
    hint: failure.code === 'EACCES' || failure.code === 'EPERM' ? 'you may not write there; use a virtual environment (pipette venv .venv) or --target DIR' : 'check the target directory and free disk space',
  })
}
