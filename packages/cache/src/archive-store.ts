/**
 * The archive store: each wheel unpacked once, at `archives-v1/<sha256>/`,
 * where `<sha256>` is the wheel's own hash (the address it has in the wheel
 * store). Inside: `tree/` (the files, as the wheel reader writes them) and
 * `manifest.json` (every file's path, size and sha256). A later install links
 * the tree's files into site-packages (`linkTree`) instead of unzipping again.
 *
 * Unpacking happens in a temporary directory of the bucket (`.tmp-*`, same
 * file system), the manifest is written last, and the whole directory is
 * renamed into place: the rename is atomic, so an archive is either absent or
 * complete. Several processes wanting the same archive take a lock
 * (`.locks/<sha256>.lock`) so that only one unpacks while the others wait and
 * then use its result; if the lock holder is killed, the lock is stale and the
 * next process unpacks. Even without the lock (a lock broken wrongly), two
 * unpackers both finish and the second rename fails harmlessly (ENOTEMPTY).
 *
 * The unpacking itself is injected (`unpack`); by default it is
 * @pipette/wheel's reader (`unpackWheel`), which checks every member against
 * the wheel's RECORD.
 * `verifyArchive(deep)` rehashes every file against the manifest; hard-linked
 * files edited in an environment show up there.
 */
import { createReadStream } from 'node:fs'
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import { CacheError } from './errors.js'
import { ensureDir, removeAtomic, renameDirIntoPlace, tempPath } from './fs-atomic.js'
import { checkDigest } from './hashing.js'
import { listTree } from './link-tree.js'
import { withLock } from './lock.js'
import { unpackWheel } from './unpack.js'

export interface ArchiveFile {
  /** Relative to the tree, `/`-separated. */
  readonly path: string
  readonly size: number
  readonly sha256: string
}

export interface ArchiveManifest {
  readonly v: 1
  /** sha256 of the wheel this tree was unpacked from. */
  readonly wheel: string
  readonly filename: string
  readonly files: readonly ArchiveFile[]
}

export interface Archive {
  readonly id: string
  /** The unpacked files: link from here. */
  readonly tree: string
  readonly manifest: ArchiveManifest
}

/**
 * Unpacks the wheel at `wheelPath` into the empty directory `dest`. It may
 * return the files it wrote with their hashes (a reader checking RECORD knows
 * them); otherwise the store hashes the tree itself.
 */
export type Unpacker = (wheelPath: string, dest: string, options: { readonly filename: string }) => Promise<{ readonly files?: readonly ArchiveFile[] } | void>

export interface ArchiveStore {
  readonly dir: string
  /** The archive of a wheel if it is complete (its manifest is read; files are not rehashed). */
  get(sha256: string): Promise<Archive | undefined>
  /** The archive of a wheel, unpacking it (once across processes) when absent. */
  ensure(options: { readonly sha256: string; readonly wheelPath: string; readonly filename: string }): Promise<Archive & { readonly created: boolean }>
  /** `deep`: rehash every file against the manifest (default: sizes only). */
  verify(sha256: string, options?: { readonly deep?: boolean }): Promise<'ok' | 'missing' | 'corrupt'>
  evict(sha256: string): Promise<boolean>
  list(): Promise<readonly string[]>
}

export interface ArchiveStoreOptions {
  readonly dir: string
  /** The wheel reader; default: `unpackWheel` (@pipette/wheel's reader, checking RECORD). */
  readonly unpack?: Unpacker
  readonly lockTimeoutMs?: number
}

async function hashOf(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

export function createArchiveStore(options: ArchiveStoreOptions): ArchiveStore {
  const dir = options.dir
  const entry = (sha256: string) => join(dir, checkDigest('sha256', sha256))
  const unpack: Unpacker = options.unpack ?? unpackWheel

  async function get(sha256: string): Promise<Archive | undefined> {
    const root = entry(sha256)
    let manifest: ArchiveManifest
    try {
      manifest = JSON.parse(await readFile(join(root, 'manifest.json'), 'utf8')) as ArchiveManifest
    } catch {
      return undefined
    }
    if (manifest.v !== 1 || manifest.wheel !== sha256.toLowerCase() || !Array.isArray(manifest.files)) return undefined
    return Object.freeze({ id: manifest.wheel, tree: join(root, 'tree'), manifest })
  }

  async function build(sha256: string, wheelPath: string, filename: string): Promise<void> {
    await ensureDir(dir)
    const work = tempPath(dir, sha256.slice(0, 16))
    const tree = join(work, 'tree')
    try {
      await mkdir(tree, { recursive: true })
      const result = await unpack(wheelPath, tree, { filename })
      let files = result?.files
      if (files === undefined) {
        const paths = await listTree(tree)
        const computed: ArchiveFile[] = []
        for (const path of paths) {
          const full = join(tree, ...path.split('/'))
          computed.push({ path, size: (await stat(full)).size, sha256: await hashOf(full) })
        }
        files = computed
      }
      const manifest: ArchiveManifest = { v: 1, wheel: sha256, filename, files: [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) }
      await writeFile(join(work, 'manifest.json'), JSON.stringify(manifest))
      await renameDirIntoPlace(work, entry(sha256))
    } catch (error) {
      await rm(work, { recursive: true, force: true })
      throw error
    }
  }

  async function ensure(request: { readonly sha256: string; readonly wheelPath: string; readonly filename: string }): Promise<Archive & { readonly created: boolean }> {
    const sha256 = checkDigest('sha256', request.sha256)
    const existing = await get(sha256)
    if (existing !== undefined) return { ...existing, created: false }
    let created = false
    await withLock(
      join(dir, '.locks', `${sha256}.lock`),
      async () => {
        if ((await get(sha256)) !== undefined) return // another process made it while we waited
        // A damaged leftover (no manifest) must go before ours can be renamed in.
        await removeAtomic(entry(sha256))
        await build(sha256, request.wheelPath, request.filename)
        created = true
      },
      options.lockTimeoutMs === undefined ? {} : { timeoutMs: options.lockTimeoutMs },
    )
    const archive = await get(sha256)
    if (archive === undefined) {
      throw new CacheError('ERR_CACHE_CORRUPT', `The unpacked wheel ${request.filename} vanished from ${entry(sha256)} right after it was made`, {
        hint: 'Another process purged the cache meanwhile; run the command again',
      })
    }
    return { ...archive, created }
  }

  async function verify(sha256: string, verifyOptions: { readonly deep?: boolean } = {}): Promise<'ok' | 'missing' | 'corrupt'> {
    const archive = await get(sha256)
    if (archive === undefined) {
      const leftover = await stat(entry(sha256)).catch(() => undefined)
      return leftover === undefined ? 'missing' : 'corrupt'
    }
    const onDisk = new Set(await listTree(archive.tree).catch(() => [] as string[]))
    if (onDisk.size !== archive.manifest.files.length) return 'corrupt'
    for (const file of archive.manifest.files) {
      if (!onDisk.has(file.path)) return 'corrupt'
      const full = join(archive.tree, ...file.path.split('/'))
      const info = await stat(full).catch(() => undefined)
      if (info === undefined || info.size !== file.size) return 'corrupt'
      if (verifyOptions.deep === true && (await hashOf(full)) !== file.sha256) return 'corrupt'
    }
    return 'ok'
  }

  async function evict(sha256: string): Promise<boolean> {
    return removeAtomic(entry(sha256))
  }

  async function list(): Promise<readonly string[]> {
    const names = await readdir(dir).catch(() => [] as string[])
    return Object.freeze(names.filter((name) => /^[0-9a-f]{64}$/.test(name)).sort())
  }

  return Object.freeze({ dir, get, ensure, verify, evict, list })
}
