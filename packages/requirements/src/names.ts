/**
 * Project names and extra names.
 *
 * PEP 503 compares project names after lower-casing them and collapsing every
 * run of `-`, `_` and `.` into a single `-`; PEP 685 does the same to extra
 * names. PEP 508 says which names are valid at all: ASCII letters and digits,
 * with `-`, `_` and `.` allowed inside but not at either end.
 *
 * The functions scan the string by hand (no regular expression), so a name of
 * any length is handled in one linear pass.
 */

/** Names as PEP 503 normalizes them: `Foo.Bar__baz` becomes `foo-bar-baz`. */
export type NormalizedName = string & { readonly __normalizedName?: never }

function isSeparator(code: number): boolean {
  return code === 45 /* - */ || code === 95 /* _ */ || code === 46 /* . */
}

function isAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122)
}

/**
 * The PEP 503 normalized form of a project name, as packaging's
 * `canonicalize_name`: runs of `-`, `_`, `.` become one `-`, and the result is
 * lower-cased. The name is not validated (see {@link isValidName}).
 *
 * @example canonicalizeName('Zope.Interface') // 'zope-interface'
 */
export function canonicalizeName(name: string): NormalizedName {
  // Fast path: already normalized (the usual case for index data).
  let clean = true
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i)
    if ((code >= 65 && code <= 90) || code === 95 || code === 46 || code > 127) {
      clean = false
      break
    }
    if (code === 45 && i > 0 && name.charCodeAt(i - 1) === 45) {
      clean = false
      break
    }
  }
  if (clean) return name
  let out = ''
  let inSeparator = false
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i)
    if (isSeparator(code)) {
      if (!inSeparator) out += '-'
      inSeparator = true
    } else {
      out += name[i]
      inSeparator = false
    }
  }
  return out.toLowerCase()
}

/**
 * Whether a string is a valid project name under PEP 508: ASCII letters,
 * digits, `-`, `_` and `.`, starting and ending with a letter or digit.
 *
 * @example isValidName('requests') // true
 * @example isValidName('-bad') // false
 */
export function isValidName(name: string): boolean {
  const length = name.length
  if (length === 0) return false
  if (!isAlnum(name.charCodeAt(0)) || !isAlnum(name.charCodeAt(length - 1))) return false
  for (let i = 1; i < length - 1; i++) {
    const code = name.charCodeAt(i)
    if (!isAlnum(code) && !isSeparator(code)) return false
  }
  return true
}

/**
 * Whether a name is already in PEP 503 normalized form (lower case, single `-`
 * separators, valid).
 *
 * @example isNormalizedName('foo-bar') // true
 * @example isNormalizedName('Foo_bar') // false
 */
export function isNormalizedName(name: string): boolean {
  return isValidName(name) && canonicalizeName(name) === name
}

/**
 * The PEP 685 normalized form of an extra name (the same rule as project
 * names): `Dev_Tools` becomes `dev-tools`.
 *
 * @example normalizeExtra('Socks.Proxy') // 'socks-proxy'
 */
export function normalizeExtra(extra: string): NormalizedName {
  return canonicalizeName(extra)
}
