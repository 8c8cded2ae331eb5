/**
 * pipette's cache: how it works and why.
 *
 * One directory (pip's rules find it: `--cache-dir`, `PIP_CACHE_DIR`, else
 * `~/.cache/pipette`; see location.ts) holds versioned buckets:
 *
 *   http-cache-v2/  index pages and metadata files, per RFC 9111: one file
 *                   per response, <k0>/<key> (http-cache.ts)
 *   wheels-v1/      distribution files by content: sha256/ab/cd/<sha256>/<filename>
 *   archives-v1/    each wheel unpacked once: <sha256>/{tree/, manifest.json}
 *   <name>-vN/      other packages' buckets (`bucketDir`), e.g. interpreters-v1
 *
 * Why this shape. The expensive things pipette repeats are asking an index
 * what exists, downloading files, and unzipping them. The HTTP cache makes a
 * repeat within `max-age` free and a later one a 304; content addressing makes
 * a wheel known by its hash (which every index publishes) available without a
 * request, whatever URL it came from; the unpacked tree makes an install a
 * tree of links (reflink, hard link, else copy: `linkTree`) instead of an
 * unzip. That is how uv is fast; pip keeps only the first two, in one bucket.
 *
 * Why it is safe. Many pipette processes may share the cache (parallel CI
 * jobs, a resolver and an installer), and any of them may be killed at any
 * moment. Three rules make that harmless:
 * 1. Nothing appears half-written: every file is written under a temporary
 *    name (`.tmp-<pid>.<host>-...`, on the same file system) and renamed into
 *    place; an unpacked wheel is built in a temporary directory renamed as a
 *    whole. Readers skip dot-names; a killed writer leaves only a temporary,
 *    which `sweepTemporaries` (run by `cache purge`) removes when its pid is
 *    dead.
 * 2. Everything is checked when read: HTTP bodies against the sha256 in their
 *    entry's header, wheels against the sha256 that is their address (or a
 *    stamp proving the file unchanged since it was hashed: wheel-store.ts),
 *    unpacked trees against their manifest. A damaged entry is evicted and
 *    reported absent, so the caller fetches it again.
 * 3. Locks only avoid duplicate work (eight processes unpacking the same
 *    wheel); they never guard correctness on their own. Where two writers
 *    produce equally valid results (an HTTP entry, a wheel at its content
 *    address), there is no lock at all: each renames its own complete file
 *    and the last one wins. Locks are files created atomically with their
 *    owner's pid and host, broken when that pid is dead (or, from another
 *    host, when not refreshed): see lock.ts.
 *
 * `--no-cache-dir` gives a disabled cache: the HTTP cache stores nothing and
 * misses every lookup, and the wheel and archive stores live in a temporary
 * directory removed by `close()`, so the install pipeline runs unchanged.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createArchiveStore, type ArchiveStore, type Unpacker } from './archive-store.js'
import { BUCKETS, bucketDir } from './buckets.js'
import { createHttpCache, type HttpCache, type RefreshPolicy } from './http-cache.js'
import { createWheelStore, type WheelStore } from './wheel-store.js'

export interface CacheOptions {
  /** The cache directory (see `resolveCacheDir`), or `null` for `--no-cache-dir`. */
  readonly dir: string | null
  /** `--refresh` / `--refresh-package`. */
  readonly refresh?: RefreshPolicy
  /** Unpacks a wheel for the archive store (default: `unpackWheel`, @pipette/wheel's reader). */
  readonly unpack?: Unpacker
  /** The clock of the HTTP cache (tests). */
  readonly now?: () => number
}

export interface Cache {
  /** False for `--no-cache-dir`. */
  readonly enabled: boolean
  /** The cache directory; a temporary directory when disabled. */
  readonly dir: string
  readonly http: HttpCache
  readonly wheels: WheelStore
  readonly archives: ArchiveStore
  /** The directory of a bucket of this cache, e.g. `bucketDir('interpreters-v1')`. */
  bucketDir(name: string): string
  /** Removes the temporary directory of a disabled cache; nothing otherwise. */
  close(): Promise<void>
}

export async function openCache(options: CacheOptions): Promise<Cache> {
  const enabled = options.dir !== null
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'pipette-nocache-')))
  const http = createHttpCache({
    dir: enabled ? join(dir, BUCKETS.http) : null,
    ...(options.refresh === undefined ? {} : { refresh: options.refresh }),
    ...(options.now === undefined ? {} : { now: options.now }),
  })
  const wheels = createWheelStore({ dir: join(dir, BUCKETS.wheels) })
  const archives = createArchiveStore({ dir: join(dir, BUCKETS.archives), ...(options.unpack === undefined ? {} : { unpack: options.unpack }) })
  return Object.freeze({
    enabled,
    dir,
    http,
    wheels,
    archives,
    bucketDir: (name: string) => bucketDir(dir, name),
    close: async () => {
      if (!enabled) await rm(dir, { recursive: true, force: true })
    },
  })
}
