import { closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { formatIni } from './ini.js'
import type { IniFile } from './ini.js'

/**
 * Writes a configuration file as pip's `config set`/`unset` do (its
 * directory created if needed, the content of `RawConfigParser.write()`),
 * but atomically: the text goes to a temporary file in the same directory,
 * which is flushed and renamed over the file, so a reader never sees half a
 * file. An existing file keeps its permissions.
 *
 * @example
 * saveConfigFile('/root/.config/pip/pip.conf', setIniOption(EMPTY_INI, 'global', 'timeout', '60'))
 */
let saves = 0

export function saveConfigFile(path: string, ini: IniFile): void {
  const dir = dirname(path)
  mkdirSync(dir, { recursive: true })
  let mode: number | null = null
  try {
    mode = statSync(path).mode & 0o7777
  } catch {
    // a new file: the default mode, less the umask
  }
  // Unique per process and call ('wx' refuses a leftover); no node:crypto, whose import costs start-up time.
  const temp = join(dir, `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.${(saves++).toString(36)}.tmp`)
  const fd = openSync(temp, 'wx', mode ?? 0o666)
  try {
    if (mode !== null) fchmodSync(fd, mode)
    writeSync(fd, formatIni(ini))
    fsyncSync(fd)
  } catch (error) {
    closeSync(fd)
    unlinkSync(temp)
    throw error
  }
  closeSync(fd)
  try {
    renameSync(temp, path)
  } catch (error) {
    unlinkSync(temp)
    throw error
  }
}
