/**
 * Reads the ELF header and program interpreter of an executable, which is how
 * PyPA packaging decides three platform questions on Linux: is this a musl
 * system (the loader's path names musl, and running the loader prints its
 * version), is a 32-bit ARM interpreter hard-float (armhf), is a 32-bit x86
 * interpreter i686. Doing it here, from the file, keeps the Python query small.
 */
import { execFile } from 'node:child_process'
import { open } from 'node:fs/promises'
import type { ElfInfo } from './interpreter-info.js'

const EM_386 = 3
const EM_ARM = 40
const EF_ARM_ABIMASK = 0xff000000
const EF_ARM_ABI_VER5 = 0x05000000
const EF_ARM_ABI_FLOAT_HARD = 0x00000400
const PT_INTERP = 3

/** Parses an ELF header (and finds `PT_INTERP`) from the start of a file; null when it is not ELF. */
export function parseElf(bytes: Uint8Array): ElfInfo | null {
  if (bytes.length < 52 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) return null
  const elfClass = bytes[4]
  const data = bytes[5]
  if ((elfClass !== 1 && elfClass !== 2) || (data !== 1 && data !== 2)) return null
  const bits = elfClass === 1 ? 32 : 64
  const little = data === 1
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const u16 = (at: number) => view.getUint16(at, little)
  const u32 = (at: number) => view.getUint32(at, little)
  const word = (at: number) => (bits === 32 ? u32(at) : Number(view.getBigUint64(at, little)))
  if (bits === 64 && bytes.length < 64) return null
  const machine = u16(18)
  const phoff = word(bits === 32 ? 28 : 32)
  const flags = u32(bits === 32 ? 36 : 48)
  const phentsize = u16(bits === 32 ? 42 : 54)
  const phnum = u16(bits === 32 ? 44 : 56)
  let interpreter: string | null = null
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize
    if (at + (bits === 32 ? 32 : 56) > bytes.length) break
    if (u32(at) !== PT_INTERP) continue
    const offset = word(bits === 32 ? at + 4 : at + 8)
    const size = word(bits === 32 ? at + 16 : at + 32)
    if (offset + size <= bytes.length) {
      interpreter = Buffer.from(bytes.subarray(offset, offset + size)).toString('latin1').replace(/\0+$/, '')
    }
    break
  }
  return Object.freeze({
    bits,
    littleEndian: little,
    machine,
    flags,
    interpreter,
    armhf:
      bits === 32 &&
      little &&
      machine === EM_ARM &&
      (flags & EF_ARM_ABIMASK) >>> 0 === EF_ARM_ABI_VER5 &&
      (flags & EF_ARM_ABI_FLOAT_HARD) === EF_ARM_ABI_FLOAT_HARD,
    i686: bits === 32 && little && machine === EM_386,
  })
}

/** Reads the first 64 KiB of a file and parses it as ELF; null when unreadable or not ELF. */
export async function readElf(path: string): Promise<ElfInfo | null> {
  let handle
  try {
    handle = await open(path, 'r')
    const buffer = Buffer.alloc(65536)
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0)
    return parseElf(buffer.subarray(0, bytesRead))
  } catch {
    return null
  } finally {
    await handle?.close()
  }
}

/** packaging's `_parse_musl_version`: the loader prints `musl libc (arch)` then `Version 1.2.3`. */
export function parseMuslVersion(output: string): string | null {
  const lines = output
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
  if (lines.length < 2 || !lines[0]!.startsWith('musl')) return null
  const match = /^Version (\d+)\.(\d+)/.exec(lines[1]!)
  return match === null ? null : `${match[1]}.${match[2]}`
}

/** The musl version of an executable's loader, as packaging's `_get_musl_version`; null when not musl. */
export async function muslVersion(elf: ElfInfo | null): Promise<string | null> {
  const loader = elf?.interpreter
  if (loader == null || !loader.includes('musl')) return null
  const stderr = await new Promise<string>((resolve) => {
    execFile(loader, [], { encoding: 'utf8', timeout: 10_000 }, (_error, _stdout, err) => resolve(err ?? ''))
  })
  return parseMuslVersion(stderr)
}
