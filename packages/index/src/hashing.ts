import { createHash, hash } from 'node:crypto'
import type { Hash } from 'node:crypto'

/** Algorithm -> acceptable hex digests (a requirement may allow several). */
export type ExpectedHashes = Readonly<Record<string, readonly string[]>>

/** Turns `{sha256: 'abc'}` (an index's hashes) into the expected-hashes shape, keeping algorithms Node knows. */
export function expectedFrom(...sources: (Readonly<Record<string, string | readonly string[]>> | undefined)[]): ExpectedHashes {
  const out: Record<string, string[]> = {}
  for (const source of sources) {
    if (source === undefined) continue
    for (const [algorithm, value] of Object.entries(source)) {
      const list = typeof value === 'string' ? [value] : [...value]
      out[algorithm] = [...(out[algorithm] ?? []), ...list.map((v) => v.toLowerCase())]
    }
  }
  return out
}

/** Hashes bytes as they stream by: sha256 always, plus every algorithm expected. */
export interface MultiHasher {
  readonly update: (chunk: Uint8Array) => void
  readonly digest: () => Readonly<Record<string, string>>
}

export function createMultiHasher(algorithms: Iterable<string>): MultiHasher {
  const hashes = new Map<string, Hash>()
  for (const algorithm of ['sha256', ...algorithms]) {
    if (!hashes.has(algorithm)) hashes.set(algorithm, createHash(algorithm))
  }
  return {
    update(chunk) {
      for (const hash of hashes.values()) hash.update(chunk)
    },
    digest() {
      const out: Record<string, string> = {}
      for (const [algorithm, hash] of hashes) out[algorithm] = hash.digest('hex')
      return Object.freeze(out)
    },
  }
}

/** The digests of bytes in hand: sha256 always, plus every algorithm expected (one-shot, no Hash objects). */
export function digestsOf(data: Uint8Array, algorithms: Iterable<string>): Readonly<Record<string, string>> {
  const out: Record<string, string> = { sha256: hash('sha256', data, 'hex') }
  for (const algorithm of algorithms) if (out[algorithm] === undefined) out[algorithm] = hash(algorithm, data, 'hex')
  return Object.freeze(out)
}

/** Every expected algorithm must match one of its digests (pip's rule for hashes from several sources). */
export function hashesMatch(expected: ExpectedHashes, actual: Readonly<Record<string, string>>): boolean {
  return Object.entries(expected).every(([algorithm, digests]) => digests.length === 0 || digests.includes(actual[algorithm] ?? ''))
}
