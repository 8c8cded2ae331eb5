/**
 * Console and GUI script launchers, byte for byte as pip writes them.
 *
 * pip hands each `name = module:attr` entry point to distlib's ScriptMaker.
 * On POSIX that writes a small Python file: a shebang naming the target
 * interpreter, then a fixed template that imports the callable and exits with
 * its return value. The shebang is `#!<executable>` when the executable has no
 * space and the line fits in 127 bytes (512 on macOS); otherwise it is the
 * `/bin/sh` trampoline (`'''exec' "<executable>" "$0" "$@"`) that both sh and
 * Python accept. The file is made executable: its mode is the umask-default
 * `0o666 & ~umask` with `0o555` added.
 *
 * Which scripts exist is pip's too: the `pip` and `easy_install` entry points
 * are replaced by versioned names (`pip`, `pip3`, `pip3.11`; `easy_install`,
 * `easy_install-3.11`), steered by the `ENSUREPIP_OPTIONS` variable.
 */
import { WheelError } from './errors.js'

/** An entry point parsed as distlib's `get_export_entry` does. */
export interface ExportEntry {
  readonly name: string
  /** The module (`pkg.cli` in `pkg.cli:main`). */
  readonly prefix: string
  /** The attribute path (`main`), undefined when there is no `:`. */
  readonly suffix: string | undefined
  readonly flags: readonly string[]
}

const W = '[\\p{L}\\p{N}_]'
// distlib's ENTRY_RE, searched (not anchored) as distlib does.
const ENTRY_RE = new RegExp(
  `(?<name>(?:${W}|[-.+])+)\\s*=\\s*(?<callable>${W}+(?:[:.]${W}+)*)\\s*(?:\\[\\s*(?<flags>[\\p{L}\\p{N}_-]+(?:=${W}+)?(?:,\\s*${W}+(?:=${W}+)?)*)\\s*\\])?`,
  'u',
)

function invalidEntryPoint(specification: string, why: string): WheelError {
  return new WheelError('ERR_WHEEL_INVALID', `Invalid script entry point: ${specification} - ${why}`, {
    hint: 'entry points look like `name = package.module:function` (see https://packaging.python.org/specifications/entry-points/#use-for-scripts)',
  })
}

/** Parses `name = module:attr [flags]`; `undefined` when it does not look like an entry point at all. */
export function parseExportEntry(specification: string): ExportEntry | undefined {
  const match = ENTRY_RE.exec(specification)
  if (match === null) {
    if (specification.includes('[') || specification.includes(']')) throw invalidEntryPoint(specification, 'invalid specification')
    return undefined
  }
  const { name, callable, flags } = match.groups as { name: string; callable: string; flags: string | undefined }
  const colons = callable.split(':').length - 1
  if (colons > 1) throw invalidEntryPoint(specification, 'invalid specification')
  const [prefix, suffix] = colons === 0 ? [callable, undefined] : (callable.split(':') as [string, string])
  if (flags === undefined && (specification.includes('[') || specification.includes(']'))) throw invalidEntryPoint(specification, 'invalid specification')
  return Object.freeze({ name, prefix, suffix, flags: Object.freeze(flags === undefined ? [] : flags.split(',').map((f) => f.trim())) })
}

/**
 * The entry point specifications pip turns into console scripts, in pip's
 * order: versioned `pip`/`easy_install` names first, then the rest.
 */
export function consoleScriptSpecs(console: ReadonlyMap<string, string>, options: { readonly pythonVersion: readonly [number, number]; readonly ensurepipOptions?: string | undefined }): string[] {
  const scripts = new Map(console)
  const result: string[] = []
  const [major, minor] = options.pythonVersion
  const ensurepip = options.ensurepipOptions
  const pip = scripts.get('pip')
  scripts.delete('pip')
  if (pip) {
    if (ensurepip === undefined) result.push(`pip = ${pip}`)
    if ((ensurepip ?? '') !== 'altinstall') result.push(`pip${major} = ${pip}`)
    result.push(`pip${major}.${minor} = ${pip}`)
    for (const key of [...scripts.keys()]) if (/^pip(\d+(\.\d+)?)?$/.test(key)) scripts.delete(key)
  }
  const easyInstall = scripts.get('easy_install')
  scripts.delete('easy_install')
  if (easyInstall) {
    if (ensurepip === undefined) result.push(`easy_install = ${easyInstall}`)
    result.push(`easy_install-${major}.${minor} = ${easyInstall}`)
    for (const key of [...scripts.keys()]) if (/^easy_install(-\d+\.\d+)?$/.test(key)) scripts.delete(key)
  }
  for (const [name, value] of scripts) result.push(`${name} = ${value}`)
  return result
}

/**
 * The shebang distlib writes for an executable (POSIX), ending in a newline.
 * `platform` is `process.platform` (macOS allows longer shebang lines).
 */
export function launcherShebang(executable: string, platform: string = process.platform): string {
  let quoted = executable
  if (quoted.includes(' ')) {
    if (quoted.startsWith('/usr/bin/env ')) {
      const rest = quoted.slice('/usr/bin/env '.length)
      if (rest.includes(' ') && !rest.startsWith('"')) quoted = `/usr/bin/env "${rest}"`
    } else if (!quoted.startsWith('"')) {
      quoted = `"${quoted}"`
    }
  }
  const length = Buffer.byteLength(quoted) + 3
  const max = platform === 'darwin' ? 512 : 127
  if (!quoted.includes(' ') && length <= max) return `#!${quoted}\n`
  return `#!/bin/sh\n'''exec' ${quoted} "$0" "$@"\n' '''\n`
}

/** The launcher's text: shebang and distlib's script template. */
export function launcherScript(entry: ExportEntry, executable: string, platform: string = process.platform): string {
  const suffix = entry.suffix ?? ''
  return (
    launcherShebang(executable, platform) +
    '# -*- coding: utf-8 -*-\n' +
    'import re\n' +
    'import sys\n' +
    `from ${entry.prefix} import ${suffix.split('.')[0]}\n` +
    "if __name__ == '__main__':\n" +
    "    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n" +
    `    sys.exit(${suffix}())\n`
  )
}

/** Checks a specification as pip's script maker does and parses it. */
export function scriptEntry(specification: string): ExportEntry {
  const entry = parseExportEntry(specification)
  if (entry === undefined) throw invalidEntryPoint(specification, 'not of the form name = module:function')
  if (entry.suffix === undefined) throw invalidEntryPoint(specification, 'A callable suffix is required')
  if (entry.name === '.' || entry.name === '..') throw invalidEntryPoint(specification, 'the script name is not a file name')
  return entry
}

/**
 * Replaces a `#!python` first line (the placeholder wheels use for scripts in
 * `.data/scripts`) with `#!<executable>`, as pip's `fix_script`; returns
 * undefined when the first line is something else.
 */
export function fixScriptShebang(content: Buffer, executable: string): Buffer | undefined {
  if (!content.subarray(0, 8).equals(Buffer.from('#!python'))) return undefined
  const newline = content.indexOf(0x0a)
  const rest = newline === -1 ? Buffer.alloc(0) : content.subarray(newline + 1)
  return Buffer.concat([Buffer.from(`#!${executable}\n`), rest])
}
