import { createHash } from 'node:crypto'
import { mkdir, open } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { ArchiveFile } from './archive-store.js'

/**
 * The archive store's default unpacker: @pipette/wheel's reader, which checks
 * the archive's structure and names before anything is written, and every
 * member against RECORD (hash and size) as it is inflated; a mismatch rejects
 * and the half-built tree is thrown away by the store. Files are created with
 * pip's modes (0666, or 0777 for members marked executable, minus the umask).
 * Returns the files with their sha256 (computed while writing) for the manifest.
 */
export async function unpackWheel(wheelPath: string, dest: string, options: { readonly filename?: string } = {}): Promise<{ readonly files: readonly ArchiveFile[] }> {
  const { openWheel } = await import('@pipette/wheel')
  const wheel = await openWheel(wheelPath, { filename: options.filename })
  try {
    const files: ArchiveFile[] = []
    const made = new Set<string>()
    const ensure = async (dir: string) => {
      if (made.has(dir)) return
      await mkdir(dir, { recursive: true })
      made.add(dir)
    }
    // Directories first (in archive order), then the files, several at a time.
    for (const member of wheel.members) {
      const target = join(dest, ...member.name.split('/').filter((part) => part !== ''))
      if (member.isDirectory) await ensure(target)
    }
    const queue = wheel.members.filter((member) => !member.isDirectory)
    const one = async (member: (typeof queue)[number]) => {
      const target = join(dest, ...member.name.split('/'))
      await ensure(dirname(target))
      const handle = await open(target, 'wx', member.executable ? 0o777 : 0o666)
      // The reader checks each member against its RECORD hash: a sha256 there is reused, not recomputed.
      const recorded = member.record?.hash.startsWith('sha256=') === true ? Buffer.from(member.record.hash.slice(7), 'base64url').toString('hex') : undefined
      const hash = recorded === undefined ? createHash('sha256') : undefined
      let size = 0
      try {
        await wheel.stream(member, async (chunk) => {
          hash?.update(chunk)
          size += chunk.byteLength
          await handle.write(chunk)
        })
      } finally {
        await handle.close()
      }
      files.push({ path: member.name, size, sha256: recorded ?? (hash as ReturnType<typeof createHash>).digest('hex') })
    }
    let next = 0
    await Promise.all(
      Array.from({ length: Math.min(8, queue.length) }, async () => {
        while (next < queue.length) await one(queue[next++] as (typeof queue)[number])
      }),
    )
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    return { files }
  } finally {
    await wheel.close()
  }
}
