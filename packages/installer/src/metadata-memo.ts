/**
 * Core metadata remembered by the sha256 of the file it belongs to.
 *
 * A distribution file never changes under its hash, so neither does its
 * METADATA. The HTTP cache already keeps `.metadata` files, but as two files
 * per response, read through the thread pool one by one: a resolution that
 * looks at 500 versions pays for 1,000 file reads. The memo keeps all the
 * metadata read for a project in one JSON file
 * (`<cache>/metadata-v1/<project>.json`: `{ "v": 1, "entries": { sha256:
 * METADATA text } }`), read once per project and per run, and written back
 * (merged with what another process may have added, temporary file and
 * rename) when the run learnt something. Files without a published sha256
 * are not remembered.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface MetadataMemo {
  get(project: string, sha256: string): Uint8Array | undefined
  put(project: string, sha256: string, metadata: Uint8Array): void
  /** Writes what was learnt. */
  flush(): void
}

interface MemoFile {
  readonly v: 1
  readonly entries: Record<string, string>
}

function read(path: string): Record<string, string> {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as MemoFile
    return data.v === 1 && typeof data.entries === 'object' && data.entries !== null ? data.entries : {}
  } catch {
    return {}
  }
}

/** A memo in `dir` (a bucket of the cache); `undefined` keeps nothing (`--no-cache-dir`). */
export function createMetadataMemo(dir: string | undefined): MetadataMemo {
  const loaded = new Map<string, Record<string, string>>()
  const learnt = new Map<string, Record<string, string>>()
  const file = (project: string) => join(dir!, `${project}.json`)
  const entries = (project: string): Record<string, string> => {
    let known = loaded.get(project)
    if (known === undefined) {
      known = dir === undefined ? {} : read(file(project))
      loaded.set(project, known)
    }
    return known
  }
  return {
    get(project, sha256) {
      const text = entries(project)[sha256]
      return text === undefined ? undefined : Buffer.from(text, 'utf8')
    },
    put(project, sha256, metadata) {
      const text = Buffer.from(metadata.buffer, metadata.byteOffset, metadata.byteLength).toString('utf8')
      entries(project)[sha256] = text
      if (dir === undefined) return
      let fresh = learnt.get(project)
      if (fresh === undefined) {
        fresh = {}
        learnt.set(project, fresh)
      }
      fresh[sha256] = text
    },
    flush() {
      if (dir === undefined || learnt.size === 0) return
      try {
        mkdirSync(dir, { recursive: true })
      } catch {
        return
      }
      for (const [project, fresh] of learnt) {
        const path = file(project)
        const merged: MemoFile = { v: 1, entries: { ...read(path), ...fresh } }
        const temp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
        try {
          writeFileSync(temp, JSON.stringify(merged))
          renameSync(temp, path)
        } catch {
          // remembering is an optimization: a read-only or full cache only costs requests next time
          try {
            unlinkSync(temp)
          } catch {
            // not there
          }
        }
      }
      learnt.clear()
    },
  }
}
