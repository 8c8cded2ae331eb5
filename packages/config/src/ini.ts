/**
 * pip reads its configuration files with Python's
 * `configparser.RawConfigParser()` and writes them back with its `write()`;
 * this module reads and writes the same way, line for line.
 *
 * Reading (RawConfigParser's defaults: delimiters `=` and `:`, comment
 * prefixes `#` and `;` at the start of a line only, no inline comments,
 * strict, empty lines allowed inside values, no interpolation):
 * - Lines end at `\n`, `\r\n` or `\r` (Python's universal newlines).
 * - A line whose stripped text starts with `#` or `;` is a comment; it is
 *   skipped, even in the middle of a multi-line value, and does not add an
 *   empty line to it.
 * - An empty line adds an empty line to the value being read (if any);
 *   trailing empty lines are removed when the value ends.
 * - A line indented deeper than the line that started the current option is
 *   a continuation: its stripped text is appended to the value.
 * - Otherwise `[header]` (anything between the first `[` and the last `]` of
 *   the stripped line) starts a section; `DEFAULT` is the defaults section,
 *   whose options every section inherits. Section names keep their case.
 * - Otherwise `name = value` or `name: value`, split at the first delimiter;
 *   the name is stripped and lower-cased (`optionxform`), the value stripped.
 * - Text before the first section header is an error at once
 *   (MissingSectionHeaderError), as is a section or an option given twice in
 *   one file (DuplicateSectionError, DuplicateOptionError). Lines that are
 *   none of the above are collected and reported together at the end
 *   (ParsingError). The messages are configparser's.
 * "Stripped" and "whitespace" are Python's (`str.strip()`, `\s`), which is
 * not JavaScript's `trim()`: a byte order mark is not whitespace, `\x1c` is.
 *
 * Writing (`RawConfigParser.write`): `[DEFAULT]` first when it has options,
 * then each section in order, `name = value` lines with the continuation
 * lines of a multi-line value indented by a tab, and an empty line after each
 * section. Comments are not kept: that is what `pip config set` does too.
 *
 * The case tables in test/fixtures are generated from Python's configparser.
 */
import { PipetteError } from '@pipette/errors'
import { PY_NONSPACE, PY_SPACE, pyLower, pyRepr, pyRstrip, pyStrip } from './python-text.js'

/** One configuration file's content: the DEFAULT section and the others, in file order. */
export interface IniFile {
  /** Options of the `[DEFAULT]` section, inherited by every section. */
  readonly defaults: ReadonlyMap<string, string>
  /** The other sections (names as written), each with its options (names lower-cased) in file order. */
  readonly sections: ReadonlyMap<string, ReadonlyMap<string, string>>
}

/** configparser's error for a file it cannot read; `message` is configparser's own text. */
export class IniSyntaxError extends PipetteError {
  constructor(message: string, source: string) {
    super('ERR_CONFIG_FILE_SYNTAX', message, { hint: `Fix ${source}: it must be an INI file of [section] headers and "name = value" lines, e.g. [global] then timeout = 60` })
  }
}

export const DEFAULT_SECTION = 'DEFAULT'

const SECTION = /^\[([^\n]+)\]/u
const OPTION = new RegExp(`^([^\\n]*?)${PY_SPACE}*(=|:)${PY_SPACE}*([^\\n]*)$`, 'u')
const NONSPACE = new RegExp(PY_NONSPACE, 'u')

/** An empty file. */
export const EMPTY_INI: IniFile = Object.freeze({ defaults: new Map<string, string>(), sections: new Map<string, ReadonlyMap<string, string>>() })

/** Python's `'%2d' % n`. */
function lineNumber(n: number): string {
  return String(n).padStart(2, ' ')
}

/**
 * Parses a configuration file as `RawConfigParser().read_string(text, source)` does.
 * `source` names the file in error messages (configparser prints it with `repr()`).
 *
 * @example
 * const file = parseIni('[global]\ntimeout = 60\nfind-links =\n    /a\n    /b\n', '/etc/pip.conf')
 * file.sections.get('global')?.get('find-links')   // '\n/a\n/b'
 */
export function parseIni(text: string, source: string): IniFile {
  const defaults = new Map<string, string[] | null>()
  const sections = new Map<string, Map<string, string[] | null>>()
  const added = new Set<string>()
  let cursect: Map<string, string[] | null> | null = null
  let sectname: string | null = null
  let optname: string | null = null
  let indentLevel = 0
  const errors: string[] = []
  const lines = text.split(/\r\n|\r|\n/)
  // A final line break ends the last line; it does not start another one.
  if (lines.length > 0 && lines[lines.length - 1] === '' && /[\r\n]$/.test(text)) lines.pop()
  const hasNewline = (index: number) => index < lines.length - 1 || /[\r\n]$/.test(text)
  for (let index = 0; index < lines.length; index++) {
    const lineno = index + 1
    const line = (lines[index] as string) + (hasNewline(index) ? '\n' : '')
    const stripped = pyStrip(line)
    const isComment = stripped.startsWith('#') || stripped.startsWith(';')
    const value = isComment ? '' : stripped
    if (value === '') {
      if (!isComment && cursect !== null && optname !== null && optname !== '') {
        const current = cursect.get(optname)
        if (current !== null && current !== undefined) current.push('')
      }
      continue
    }
    const firstNonspace = NONSPACE.exec(line)
    const curIndentLevel = firstNonspace === null ? 0 : firstNonspace.index
    if (cursect !== null && optname !== null && optname !== '' && curIndentLevel > indentLevel) {
      cursect.get(optname)?.push(value)
      continue
    }
    indentLevel = curIndentLevel
    const header = SECTION.exec(value)
    if (header !== null) {
      // `.+` is greedy: the header runs to the last `]` of the line.
      sectname = header[1] as string
      const existing = sections.get(sectname)
      if (existing !== undefined) {
        if (added.has(`s\u0000${sectname}`)) {
          throw new IniSyntaxError(`While reading from ${pyRepr(source)} [line ${lineNumber(lineno)}]: section ${pyRepr(sectname)} already exists`, source)
        }
        cursect = existing
        added.add(`s\u0000${sectname}`)
      } else if (sectname === DEFAULT_SECTION) {
        cursect = defaults
      } else {
        cursect = new Map()
        sections.set(sectname, cursect)
        added.add(`s\u0000${sectname}`)
      }
      optname = null
      continue
    }
    if (cursect === null) {
      throw new IniSyntaxError(`File contains no section headers.\nfile: ${pyRepr(source)}, line: ${lineno}\n${pyRepr(line)}`, source)
    }
    const option = OPTION.exec(value)
    if (option === null) {
      errors.push(`\n\t[line ${lineNumber(lineno)}]: ${pyRepr(line)}`)
      continue
    }
    const rawName = option[1] as string
    if (rawName === '') errors.push(`\n\t[line ${lineNumber(lineno)}]: ${pyRepr(line)}`)
    optname = pyLower(pyRstrip(rawName))
    const key = `o\u0000${sectname}\u0000${optname}`
    if (added.has(key)) {
      throw new IniSyntaxError(
        `While reading from ${pyRepr(source)} [line ${lineNumber(lineno)}]: option ${pyRepr(optname)} in section ${pyRepr(sectname as string)} already exists`,
        source,
      )
    }
    added.add(key)
    cursect.set(optname, [pyStrip(option[3] as string)])
  }
  if (errors.length > 0) throw new IniSyntaxError(`Source contains parsing errors: ${pyRepr(source)}${errors.join('')}`, source)
  const join = (options: Map<string, string[] | null>): ReadonlyMap<string, string> => {
    const out = new Map<string, string>()
    for (const [name, parts] of options) out.set(name, parts === null ? '' : pyRstrip(parts.join('\n')))
    return out
  }
  const joined = new Map<string, ReadonlyMap<string, string>>()
  for (const [name, options] of sections) joined.set(name, join(options))
  return Object.freeze({ defaults: join(defaults), sections: joined })
}

/**
 * The options of a section as `RawConfigParser.items(section)` lists them: the
 * DEFAULT options first (overridden by the section's own values), then the
 * section's other options. An unknown section has no items.
 */
export function iniItems(file: IniFile, section: string): Array<readonly [string, string]> {
  const merged = new Map(file.defaults)
  const own = section === DEFAULT_SECTION ? undefined : file.sections.get(section)
  if (own !== undefined) for (const [name, value] of own) merged.set(name, value)
  return [...merged]
}

/**
 * Sets one option (`RawConfigParser.set`, adding the section first if it is
 * missing, as pip's `config set` does). The name is lower-cased. Returns a new file.
 */
export function setIniOption(file: IniFile, section: string, name: string, value: string): IniFile {
  const option = pyLower(name)
  if (section === DEFAULT_SECTION) {
    const defaults = new Map(file.defaults)
    defaults.set(option, value)
    return Object.freeze({ defaults, sections: file.sections })
  }
  const sections = new Map(file.sections)
  const options = new Map(sections.get(section) ?? [])
  options.set(option, value)
  sections.set(section, options)
  return Object.freeze({ defaults: file.defaults, sections })
}

/**
 * Removes one option (`RawConfigParser.remove_option`), then the section if it
 * has no items left (as pip's `config unset` does). Returns null when the
 * section or the option was not there.
 */
export function removeIniOption(file: IniFile, section: string, name: string): IniFile | null {
  const option = pyLower(name)
  const options = file.sections.get(section)
  if (options === undefined || !options.has(option)) return null
  const sections = new Map(file.sections)
  const rest = new Map(options)
  rest.delete(option)
  sections.set(section, rest)
  const next: IniFile = Object.freeze({ defaults: file.defaults, sections })
  if (iniItems(next, section).length === 0) sections.delete(section)
  return next
}

/**
 * The text `RawConfigParser.write()` produces: `[DEFAULT]` first when it has
 * options, then every section with `name = value` lines (continuation lines
 * indented by a tab) and an empty line after each section.
 */
export function formatIni(file: IniFile): string {
  let out = ''
  const section = (name: string, options: ReadonlyMap<string, string>) => {
    out += `[${name}]\n`
    for (const [key, value] of options) out += `${key} = ${value.replaceAll('\n', '\n\t')}\n`
    out += '\n'
  }
  if (file.defaults.size > 0) section(DEFAULT_SECTION, file.defaults)
  for (const [name, options] of file.sections) section(name, options)
  return out
}
