/**
 * `pipette download` with dependencies: the install pipeline's steps 1 to 4
 * (requests, target, resolution, as if nothing were installed, as pip
 * download resolves), then every chosen file is fetched into the cache (or
 * taken from it) and copied into the destination directory. Source
 * distributions are saved as they are, not built. A file already in the
 * destination with the published hash is kept.
 */
import { createReadStream } from 'node:fs'
import { constants, copyFile, mkdir, rename, rm, stat } from 'node:fs/promises'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import type { InstallEvent, PlannedDistribution, ResolveRequestOptions } from './install.js'
import { resolveRequest } from './install.js'
import type { CandidateHandle } from './provider.js'

export interface DownloadOptions extends ResolveRequestOptions {
  /** `-d DIR` (created when missing). */
  readonly dest: string
  readonly onEvent?: ((event: InstallEvent | DownloadEvent) => void) | undefined
}

export type DownloadEvent =
  | { readonly kind: 'saved'; readonly name: string; readonly path: string }
  | { readonly kind: 'already-downloaded'; readonly name: string; readonly path: string }

export interface SavedDistribution {
  readonly item: PlannedDistribution
  readonly path: string
  readonly status: 'saved' | 'already-downloaded'
}

export interface DownloadResult {
  readonly plan: readonly PlannedDistribution[]
  readonly saved: readonly SavedDistribution[]
}

async function sha256Of(path: string): Promise<string | undefined> {
  try {
    const hash = createHash('sha256')
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
    return hash.digest('hex')
  } catch {
    return undefined
  }
}

/** Resolves the requests with their dependencies and saves every chosen file into `dest`. */
export async function download(options: DownloadOptions): Promise<DownloadResult> {
  const emit = options.onEvent ?? (() => undefined)
  const resolved = await resolveRequest({ ...options, ignoreInstalled: true, onEvent: emit })
  try {
    await mkdir(options.dest, { recursive: true })
    const saved = await Promise.all(
      resolved.plan.map(async (item): Promise<SavedDistribution> => {
        const handle = item.package.candidate.handle as CandidateHandle
        if (handle.kind === 'installed') throw new Error('installer: download resolved an installed distribution')
        const file = handle.file
        const dest = join(options.dest, file.filename)
        const known = file.hashes['sha256']?.toLowerCase()
        if (await stat(dest).then(() => true, () => false)) {
          if (known === undefined || (await sha256Of(dest)) === known) return { item, path: dest, status: 'already-downloaded' }
        }
        const got = await resolved.fetcher.file(item.package.candidate)
        const temp = join(options.dest, `.${file.filename}.${process.pid}-${Math.random().toString(36).slice(2, 10)}.part`)
        try {
          await copyFile(got.path, temp, constants.COPYFILE_FICLONE)
          await rename(temp, dest)
        } catch (error) {
          await rm(temp, { force: true })
          throw error
        }
        return { item, path: dest, status: 'saved' }
      }),
    )
    // Events in resolution order, as pip prints them.
    for (const entry of saved) emit({ kind: entry.status === 'saved' ? 'saved' : 'already-downloaded', name: entry.item.displayName, path: entry.path })
    return { plan: resolved.plan, saved }
  } finally {
    await resolved.close()
  }
}
