/**
 * The archive store's unpacker for installs: the same checks as the cache's
 * default (`@pipette/wheel`'s reader: structure and names before anything is
 * written, every member against its RECORD hash and size), but members are
 * inflated and written by @pipette/wheel's extraction threads (synchronous
 * inflate-verify-write, the wheel's bytes in shared memory), which costs far
 * less than a thread-pool round trip per system call when a wheel has
 * hundreds of small files. Large wheels (not held in memory by the reader)
 * stream member by member. File modes are pip's (0666, or 0777 for members
 * marked executable, minus the umask); the manifest reuses RECORD's sha256.
 */
import { createHash } from 'node:crypto'
import { mkdir, open } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { ArchiveFile, Unpacker } from '@pipette/cache'
import type { ExtractJob, Extractor } from '@pipette/wheel'

function recordedSha256(hash: string | undefined): string | undefined {
  return hash?.startsWith('sha256=') === true ? Buffer.from(hash.slice(7), 'base64url').toString('hex') : undefined
}

/** An `Unpacker` for `createArchiveStore` that extracts with `extractor`'s threads. */
export function createThreadedUnpacker(extractor: Extractor): Unpacker {
  return async (wheelPath, dest, options) => {
    const { openWheel } = await import('@pipette/wheel')
    const wheel = await openWheel(wheelPath, { filename: options.filename })
    try {
      const umask = process.umask()
      const fileMode = 0o666 & ~umask
      const execMode = 0o777 & ~umask
      const files: ArchiveFile[] = []
      const jobs: ExtractJob[] = []
      const streamed: typeof wheel.members = []
      let shared: SharedArrayBuffer | undefined
      for (const member of wheel.members) {
        const target = join(dest, ...member.name.split('/').filter((part) => part !== ''))
        if (member.isDirectory) {
          await mkdir(target, { recursive: true })
          continue
        }
        const raw = wheel.raw(member)
        const recorded = recordedSha256(member.record?.hash)
        if (raw === undefined || recorded === undefined) {
          ;(streamed as unknown as (typeof member)[]).push(member)
          continue
        }
        shared = raw.bytes
        jobs.push({
          wheel: basename(wheelPath),
          name: member.name,
          dataStart: raw.dataStart,
          compressedSize: raw.compressedSize,
          method: raw.method,
          size: member.size,
          hash: member.record?.hash ?? '',
          recordSize: member.record?.size ?? '',
          dest: target,
          mode: member.executable ? execMode : fileMode,
          chmod: false,
          fixShebang: undefined,
        })
        files.push({ path: member.name, size: member.size, sha256: recorded })
      }
      if (jobs.length > 0) await extractor.run(shared!, jobs)
      for (const member of streamed) {
        const target = join(dest, ...member.name.split('/'))
        await mkdir(dirname(target), { recursive: true })
        const handle = await open(target, 'wx', member.executable ? execMode : fileMode)
        const hash = createHash('sha256')
        let size = 0
        try {
          await wheel.stream(member, async (chunk) => {
            hash.update(chunk)
            size += chunk.byteLength
            await handle.write(chunk)
          })
        } finally {
          await handle.close()
        }
        files.push({ path: member.name, size, sha256: hash.digest('hex') })
      }
      files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
      return { files }
    } finally {
      await wheel.close()
    }
  }
}
