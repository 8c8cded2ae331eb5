import { readFileSync, realpathSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseElf, parseMuslVersion } from '../src/index.js'
import { SYSTEM_PYTHON } from './helpers.js'

/** A minimal 32-bit little-endian ELF header with one PT_INTERP program header. */
function elf32(machine: number, flags: number, interpreter: string): Uint8Array {
  const bytes = new Uint8Array(52 + 32 + interpreter.length + 1)
  const view = new DataView(bytes.buffer)
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1])
  view.setUint16(18, machine, true)
  view.setUint32(28, 52, true) // e_phoff
  view.setUint32(36, flags, true)
  view.setUint16(42, 32, true) // e_phentsize
  view.setUint16(44, 1, true) // e_phnum
  view.setUint32(52, 3, true) // PT_INTERP
  view.setUint32(56, 84, true) // p_offset
  view.setUint32(68, interpreter.length + 1, true) // p_filesz
  bytes.set(Buffer.from(interpreter, 'latin1'), 84)
  return bytes
}

describe('parseElf', () => {
  it('reads the header and loader of the system Python', () => {
    const info = parseElf(readFileSync(realpathSync(SYSTEM_PYTHON)))
    expect(info).toMatchObject({ bits: 64, littleEndian: true, armhf: false, i686: false })
    expect(info?.interpreter).toMatch(/^\/lib.*ld-linux.*\.so\.\d$/)
  })

  it('recognises armhf and i686 as packaging does', () => {
    expect(parseElf(elf32(40, 0x05000400, '/lib/ld-linux-armhf.so.3'))).toMatchObject({ armhf: true, i686: false, interpreter: '/lib/ld-linux-armhf.so.3' })
    expect(parseElf(elf32(40, 0x05000200, '/lib/ld-linux.so.3'))).toMatchObject({ armhf: false })
    expect(parseElf(elf32(3, 0, '/lib/ld-musl-i386.so.1'))).toMatchObject({ i686: true, bits: 32, interpreter: '/lib/ld-musl-i386.so.1' })
  })

  it('returns null for what is not ELF', () => {
    expect(parseElf(Buffer.from('#!/bin/sh\n'.padEnd(80, ' ')))).toBeNull()
    expect(parseElf(new Uint8Array(10))).toBeNull()
  })
})

describe('parseMuslVersion', () => {
  // output of the musl loader run without arguments | version
  it.each([
    ['musl libc (x86_64)\nVersion 1.2.4\nDynamic Program Loader\n', '1.2'],
    ['  musl libc (aarch64)\n\n  Version 1.1.24\n', '1.1'],
    ['glibc\nVersion 2.36\n', null],
    ['musl libc\n', null],
    ['musl libc\nversion 1.2\n', null],
  ])('%j -> %s', (output, expected) => {
    expect(parseMuslVersion(output)).toBe(expected)
  })
})
