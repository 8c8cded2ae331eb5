import { createHash, type Hash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { CacheError, invalidError } from './errors.js'

/** The strong hash algorithms pip accepts in `--hash` and `pip hash -a` (pip's STRONG_HASHES). */
export const HASH_ALGORITHMS = Object.freeze(['sha256', 'sha384', 'sha512'] as const)
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number]

const HEX_LENGTH: Readonly<Record<HashAlgorithm, number>> = { sha256: 64, sha384: 96, sha512: 128 }

export function isHashAlgorithm(value: string): value is HashAlgorithm {
  return (HASH_ALGORITHMS as readonly string[]).includes(value)
}

/** Throws unless `hex` is a well-formed lowercase-or-uppercase hex digest for `algorithm`; returns it lowercased. */
export function checkDigest(algorithm: HashAlgorithm, hex: string): string {
  const lower = hex.toLowerCase()
  if (lower.length !== HEX_LENGTH[algorithm] || !/^[0-9a-f]+$/.test(lower)) {
    throw invalidError(
      `Not a ${algorithm} digest: '${hex}'`,
      `A ${algorithm} digest is ${HEX_LENGTH[algorithm]} hex digits, e.g. the output of \`pipette hash -a ${algorithm} FILE\``,
    )
  }
  return lower
}

/**
 * The hex digest of a file, read as a stream (constant memory). This is what
 * `pipette hash` prints, as pip's `pip hash`.
 */
export async function hashFile(path: string, algorithm: HashAlgorithm = 'sha256'): Promise<string> {
  if (!isHashAlgorithm(algorithm)) {
    throw invalidError(`Unknown hash algorithm '${String(algorithm)}'`, `Use one of ${HASH_ALGORITHMS.join(', ')}, e.g. -a sha256`)
  }
  let info
  try {
    info = await stat(path)
  } catch (cause) {
    throw new CacheError('ERR_FILE_NOT_FOUND', `No such file: '${path}'`, { hint: 'Give the path of a local file, e.g. pipette hash dist/pkg-1.0-py3-none-any.whl', cause })
  }
  if (!info.isFile()) {
    throw new CacheError('ERR_FILE_NOT_FOUND', `Not a file: '${path}'`, { hint: 'Give the path of a local file, e.g. pipette hash dist/pkg-1.0-py3-none-any.whl' })
  }
  const hash = createHash(algorithm)
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** Several digests of one stream of bytes at once, plus its size. */
export interface MultiHash {
  update(chunk: Uint8Array): void
  digest(): { readonly size: number; readonly digests: Readonly<Partial<Record<HashAlgorithm, string>>> }
}

export function multiHash(algorithms: Iterable<HashAlgorithm>): MultiHash {
  const hashes = new Map<HashAlgorithm, Hash>()
  for (const algorithm of algorithms) if (!hashes.has(algorithm)) hashes.set(algorithm, createHash(algorithm))
  let size = 0
  return {
    update(chunk) {
      size += chunk.byteLength
      for (const hash of hashes.values()) hash.update(chunk)
    },
    digest() {
      const digests: Partial<Record<HashAlgorithm, string>> = {}
      for (const [algorithm, hash] of hashes) digests[algorithm] = hash.digest('hex')
      return Object.freeze({ size, digests: Object.freeze(digests) })
    },
  }
}
