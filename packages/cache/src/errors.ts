import { PipetteError, redactUrl } from '@pipette/errors'

/**
 * Errors of the cache. Codes are stable; messages say what and where.
 *
 * - `ERR_CACHE_HASH_MISMATCH`: bytes offered to the wheel store do not have the expected hash.
 * - `ERR_CACHE_CORRUPT`: a stored entry does not match its recorded hash or size (it is evicted).
 * - `ERR_CACHE_LOCK_TIMEOUT`: another process held a cache lock for too long.
 * - `ERR_CACHE_INVALID`: a bad argument (an unknown algorithm, a malformed hash, an unsafe filename).
 * - `ERR_LINK_EXISTS`: `linkTree` met an existing file (without `overwrite`).
 * - `ERR_FILE_NOT_FOUND`: `hashFile` was given a path that does not exist or is not a file.
 */
export class CacheError extends PipetteError {
  /** For ERR_CACHE_HASH_MISMATCH: every digest computed of the rejected bytes (hex, per algorithm). */
  digests?: Readonly<Record<string, string>>
}

export function hashMismatchError(options: {
  readonly what: string
  readonly algorithm: string
  readonly expected: readonly string[]
  readonly got: string
  readonly digests?: Readonly<Record<string, string>>
}): CacheError {
  const expected = options.expected.map((hex) => `${options.algorithm}:${hex}`).join(' or ')
  const error = new CacheError(
    'ERR_CACHE_HASH_MISMATCH',
    `Hash mismatch for ${redactUrl(options.what)}: expected ${expected}, got ${options.algorithm}:${options.got}`,
    {
      hint: 'The file changed on the server or was damaged on the way; if you pinned hashes (--hash=sha256:...), check them with `pipette hash FILE`.',
    },
  )
  error.digests = Object.freeze({ ...(options.digests ?? {}), [options.algorithm]: options.got })
  return error
}

export function invalidError(message: string, hint: string): CacheError {
  return new CacheError('ERR_CACHE_INVALID', message, { hint })
}
