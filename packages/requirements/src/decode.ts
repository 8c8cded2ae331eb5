/**
 * Decoding a requirements file's bytes as pip does (`auto_decode`): a byte
 * order mark wins (UTF-8, UTF-16 and UTF-32 in either byte order; the longer
 * UTF-32 marks are checked first, where pip's list order would misread a
 * UTF-32-LE file as UTF-16), then a PEP 263 coding declaration on one of the
 * first two lines (`# -*- coding: latin-1 -*-`), else UTF-8.
 *
 * Python codec names are mapped to the WHATWG labels Node's TextDecoder knows;
 * `latin-1` and `ascii` keep Python's exact meaning (ISO-8859-1, 7-bit).
 */

import { TextDecoder } from 'node:util'

export class DecodeFailure {
  constructor(readonly message: string) {}
}

const CODING = /coding[:=][ \t\n\r\f\v]*([-\w.]+)/

function decodeUtf32(bytes: Uint8Array, littleEndian: boolean): string {
  if (bytes.length % 4 !== 0) throw new DecodeFailure('truncated UTF-32 data')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let out = ''
  for (let i = 0; i < bytes.length; i += 4) {
    const code = view.getUint32(i, littleEndian)
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw new DecodeFailure(`invalid UTF-32 code point ${code.toString(16)}`)
    out += String.fromCodePoint(code)
  }
  return out
}

function strictDecode(bytes: Uint8Array, label: string, name: string): string {
  let decoder: TextDecoder
  try {
    decoder = new TextDecoder(label, { fatal: true })
  } catch {
    throw new DecodeFailure(`unknown encoding: ${name}`)
  }
  try {
    return decoder.decode(bytes)
  } catch {
    throw new DecodeFailure(`the bytes are not valid ${name}`)
  }
}

/** Decodes with a Python codec name (as found in a coding declaration). */
export function decodeWithPythonCodec(bytes: Uint8Array, codec: string): string {
  const name = codec.toLowerCase().replace(/_/g, '-')
  switch (name) {
    case 'latin-1':
    case 'latin1':
    case 'iso-8859-1':
    case 'iso8859-1':
    case 'l1': {
      let out = ''
      for (const byte of bytes) out += String.fromCharCode(byte)
      return out
    }
    case 'ascii':
    case 'us-ascii': {
      for (const byte of bytes) if (byte > 127) throw new DecodeFailure('the bytes are not valid ascii')
      return String.fromCharCode(...bytes)
    }
    case 'utf-8-sig':
    case 'utf8-sig': {
      const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes
      return strictDecode(body, 'utf-8', codec)
    }
    case 'utf-32-le':
    case 'utf-32le':
      return decodeUtf32(bytes, true)
    case 'utf-32-be':
    case 'utf-32be':
      return decodeUtf32(bytes, false)
    default: {
      const label = name === 'utf8' ? 'utf-8' : name.replace(/^cp(\d+)$/, 'windows-$1')
      // TextDecoder strips a leading UTF-8 BOM by default; keep Python's behaviour (it is a character).
      return strictDecode(bytes, label, codec)
    }
  }
}

/** pip's `auto_decode`, with UTF-8 as the default encoding. Throws {@link DecodeFailure}. */
export function decodeRequirementsFile(bytes: Uint8Array): string {
  const b = bytes
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return strictDecode(b.subarray(3), 'utf-8', 'utf-8')
  if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) return decodeUtf32(b.subarray(4), true)
  if (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return decodeUtf32(b.subarray(4), false)
  if (b[0] === 0xff && b[1] === 0xfe) return strictDecode(b.subarray(2), 'utf-16le', 'utf-16-le')
  if (b[0] === 0xfe && b[1] === 0xff) return strictDecode(b.subarray(2), 'utf-16be', 'utf-16-be')
  // PEP 263: a comment on one of the first two lines naming the encoding.
  let start = 0
  for (let lineIndex = 0; lineIndex < 2 && start <= b.length; lineIndex++) {
    let end = b.indexOf(10, start)
    if (end === -1) end = b.length
    if (b[start] === 35 /* # */) {
      const line = Buffer.from(b.subarray(start, end)).toString('latin1')
      const match = CODING.exec(line)
      if (match !== null) return decodeWithPythonCodec(b, match[1]!)
    }
    start = end + 1
  }
  return strictDecode(b, 'utf-8', 'utf-8')
}
