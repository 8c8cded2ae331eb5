/**
 * pip's `--only-binary` / `--no-binary` (its `FormatControl`): which kinds of
 * file a project may be installed from.
 */
import { canonicalizeName } from '@pipette/requirements'
import { InstallerError } from './errors.js'

export interface FormatControl {
  /** Canonical names, or `:all:`. */
  readonly noBinary: ReadonlySet<string>
  readonly onlyBinary: ReadonlySet<string>
}

export const NO_FORMAT_CONTROL: FormatControl = Object.freeze({ noBinary: new Set<string>(), onlyBinary: new Set<string>() })

export interface AllowedFormats {
  readonly allowBinary: boolean
  readonly allowSource: boolean
}

/**
 * Applies one `--no-binary` (`kind: 'no-binary'`) or `--only-binary` value
 * (comma-separated names, `:all:`, `:none:`), as pip's
 * `handle_mutual_excludes`: `:all:` clears both sets, `:none:` clears the
 * option's own set, and a name moves from the other set to this one.
 */
export function applyFormatOption(control: FormatControl, kind: 'no-binary' | 'only-binary', value: string): FormatControl {
  if (value.startsWith('-')) {
    throw new InstallerError('ERR_INVALID_OPTION', `--${kind} option requires 1 argument; got '${value}'`, {
      hint: `give package names, :all: or :none:, example: --${kind} :all:`,
    })
  }
  const target = new Set(kind === 'no-binary' ? control.noBinary : control.onlyBinary)
  const other = new Set(kind === 'no-binary' ? control.onlyBinary : control.noBinary)
  let names = value.split(',')
  const done = () =>
    Object.freeze(kind === 'no-binary' ? { noBinary: target, onlyBinary: other } : { noBinary: other, onlyBinary: target })
  while (names.includes(':all:')) {
    other.clear()
    target.clear()
    target.add(':all:')
    names = names.slice(names.indexOf(':all:') + 1)
    if (!names.includes(':none:')) return done()
  }
  for (const name of names) {
    if (name === ':none:') {
      target.clear()
      continue
    }
    const canonical = canonicalizeName(name)
    other.delete(canonical)
    target.add(canonical)
  }
  return done()
}

/** pip's `get_allowed_formats`. */
export function allowedFormats(control: FormatControl, project: string): AllowedFormats {
  const name = canonicalizeName(project)
  if (control.onlyBinary.has(name)) return { allowBinary: true, allowSource: false }
  if (control.noBinary.has(name)) return { allowBinary: false, allowSource: true }
  if (control.onlyBinary.has(':all:')) return { allowBinary: true, allowSource: false }
  if (control.noBinary.has(':all:')) return { allowBinary: false, allowSource: true }
  return { allowBinary: true, allowSource: true }
}
