import { join } from 'node:path'
import type { DirectUrl } from './direct-url.js'
import { directUrlJson } from './direct-url.js'
import type { ExportEntry } from './launcher.js'
import { launcherScript } from './launcher.js'

export interface GeneratedFilesOptions {
  /** The scheme's `scripts` directory (launchers go there). */
  readonly scriptsDir: string
  /** The installed `.dist-info` directory. */
  readonly distInfoPath: string
  readonly consoleLaunchers: readonly ExportEntry[]
  readonly guiLaunchers: readonly ExportEntry[]
  /** `sys.executable` of the target: the launchers' shebang. */
  readonly executable: string
  readonly platform: string
  /** Mode of a regular file under the current umask; launchers get it plus the execute bits. */
  readonly fileMode: number
  /** INSTALLER's content (without the newline). */
  readonly installer: string
  /** What direct_url.json (PEP 610) records, when the install came from a URL or path. */
  readonly directUrl?: DirectUrl | undefined
  readonly requested?: boolean | undefined
  /** Creates a directory (and its parents) before files are written into it. */
  readonly ensureDir: (dir: string) => Promise<void> | void
  /** Writes one file; the caller records its hash for RECORD. */
  readonly write: (path: string, content: string, mode: number) => Promise<void>
}

/**
 * The files an installer writes itself, in pip's order: console then GUI
 * launchers, INSTALLER, direct_url.json, REQUESTED. Returns the launchers'
 * paths (pip warns when their directory is not on PATH).
 */
export async function writeGeneratedFiles(options: GeneratedFilesOptions): Promise<{ consoleScripts: string[]; guiScripts: string[] }> {
  const launcherMode = (options.fileMode | 0o555) & 0o7777
  const consoleScripts: string[] = []
  const guiScripts: string[] = []
  if (options.consoleLaunchers.length + options.guiLaunchers.length > 0) await options.ensureDir(options.scriptsDir)
  for (const [entries, written] of [
    [options.consoleLaunchers, consoleScripts],
    [options.guiLaunchers, guiScripts],
  ] as const) {
    for (const entry of entries) {
      const path = join(options.scriptsDir, entry.name)
      await options.write(path, launcherScript(entry, options.executable, options.platform), launcherMode)
      written.push(path)
    }
  }
  await options.ensureDir(options.distInfoPath)
  await options.write(join(options.distInfoPath, 'INSTALLER'), `${options.installer}\n`, options.fileMode)
  if (options.directUrl !== undefined) await options.write(join(options.distInfoPath, 'direct_url.json'), directUrlJson(options.directUrl), options.fileMode)
  if (options.requested) await options.write(join(options.distInfoPath, 'REQUESTED'), '', options.fileMode)
  return { consoleScripts, guiScripts }
}
