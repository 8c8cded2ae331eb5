/**
 * The files an install generates (INSTALLER, REQUESTED, direct_url.json,
 * RECORD, console-script launchers, rewritten `#!python` scripts), placed as
 * hard links to content-addressed copies in the cache.
 *
 * Why: on this kind of machine creating a file (a new inode) costs 0.1 to
 * 0.6 ms of kernel time, a hard link about 0.01 ms. A warm install links its
 * 3,000 package files from the cache but generated about 100 files (RECORD
 * and INSTALLER for each of 48 distributions, launchers), which made them
 * a fifth of the install's file-system time. Their contents repeat: INSTALLER
 * is always `pipette\n`, REQUESTED is empty, and a RECORD or a launcher is
 * the same for every environment at the same path (and a RECORD without
 * launchers for every environment). So each content is kept once in the
 * cache, named by its sha256 and mode (`<sha256>-<mode>`, the mode being the
 * file's own, umask applied), and placed with one `link`. A content seen for
 * the first time is written to the cache (temporary name, then rename) and
 * linked; nothing in the environment is ever written in place, and a file
 * already at the destination is replaced by linking to a temporary name and
 * renaming, so every file appears atomically. Only a hard link pays: where
 * the cache is on another file system (or links fail for any reason) `place`
 * says no, once and for the rest of the run, and the caller writes the file
 * itself.
 *
 * The shared inode is the same trade-off as for the linked package files:
 * a tool that rewrote an installed RECORD in place (pip never does; it
 * replaces files) would change it for every environment that links it.
 */
import { createHash, randomBytes } from 'node:crypto'
import { chmodSync, linkSync, mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

export interface GeneratedFiles {
  /**
   * Places `data` at `dest` with permission bits `mode` as a link to the
   * cache's copy; false when it could not (the caller then writes the file).
   */
  place(dest: string, data: Buffer, mode: number): boolean
}

function tempName(dest: string): string {
  return join(dirname(dest), `.${basename(dest).slice(0, 80)}.${randomBytes(6).toString('hex')}.pipette-tmp`)
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path)
  } catch {
    // not there
  }
}

/** A store of generated contents in `dir` (a cache bucket, created when first needed). */
export function createGeneratedFiles(dir: string): GeneratedFiles {
  let usable = true
  let dirMade = false

  const store = (blob: string, data: Buffer, mode: number): void => {
    if (!dirMade) {
      mkdirSync(dir, { recursive: true })
      dirMade = true
    }
    const temp = tempName(blob)
    try {
      writeFileSync(temp, data, { flag: 'wx', mode })
      chmodSync(temp, mode)
      renameSync(temp, blob)
    } catch (error) {
      unlinkQuietly(temp)
      throw error
    }
  }

  const linkInto = (blob: string, dest: string): void => {
    try {
      linkSync(blob, dest)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      // Replace what is there in one step: link beside it, then rename over it.
      const temp = tempName(dest)
      try {
        linkSync(blob, temp)
        renameSync(temp, dest)
      } finally {
        // Gone after a rename, except when `dest` was this very file already (rename does nothing then).
        unlinkQuietly(temp)
      }
    }
  }

  return {
    place(dest, data, mode) {
      if (!usable) return false
      const blob = join(dir, `${createHash('sha256').update(data).digest('hex')}-${(mode & 0o7777).toString(8)}`)
      try {
        try {
          linkInto(blob, dest)
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
          // New content (or the destination's directory is missing: then this fails again, below).
          store(blob, data, mode)
          linkInto(blob, dest)
        }
        return true
      } catch {
        usable = false
        return false
      }
    },
  }
}
