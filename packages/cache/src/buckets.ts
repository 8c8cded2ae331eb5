import { join } from 'node:path'
import { invalidError } from './errors.js'

/**
 * The buckets of a cache directory. Each is versioned: a change of layout or
 * format gets a new name (`http-v2`), so old and new pipettes can share one
 * cache directory without misreading each other.
 */
export const BUCKETS = Object.freeze({
  http: 'http-cache-v2',
  wheels: 'wheels-v2',
  archives: 'archives-v1',
} as const)

/**
 * Buckets of earlier formats that nothing reads any more: `cache purge`
 * removes them (`http-v1`: an HTTP entry as a metadata file and a body file;
 * `wheels-v1`: three directories per wheel, `sha256/<h0h1>/<h2h3>/<sha256>/<filename>`).
 */
export const RETIRED_BUCKETS = Object.freeze(['http-v1', 'wheels-v1'] as const)

/**
 * The directory of a bucket, e.g. `bucketDir(cache, 'interpreters-v1')` for
 * another package's own data. Names are `<word>-v<N>`.
 */
export function bucketDir(cacheDir: string, name: string): string {
  if (!/^[a-z0-9][a-z0-9-]*-v\d+$/.test(name)) {
    throw invalidError(`Not a bucket name: '${name}'`, "Bucket names are versioned words, e.g. 'interpreters-v1'")
  }
  return join(cacheDir, name)
}
