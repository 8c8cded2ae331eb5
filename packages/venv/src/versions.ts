/**
 * The normalised form of a PEP 440 version (`str(packaging.version.Version(text))`),
 * or null when the text is not a valid version (pip then prints `name===text`).
 * A small bridge until @pipette/pep440 is available to this package.
 */
const VERSION =
  /^\s*v?(?:(?:([0-9]+)!)?([0-9]+(?:\.[0-9]+)*)([-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?([0-9]+)?)?((?:-([0-9]+))|(?:[-_.]?(post|rev|r)[-_.]?([0-9]+)?))?([-_.]?(dev)[-_.]?([0-9]+)?)?)(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i

const int = (digits: string | undefined): string => (digits === undefined ? '0' : BigInt(digits).toString())

export function normalizeVersion(text: string): string | null {
  const m = VERSION.exec(text)
  if (m === null) return null
  let out = ''
  if (m[1] !== undefined && BigInt(m[1]) !== 0n) out += `${int(m[1])}!`
  out += m[2]!.split('.').map((part) => int(part)).join('.')
  if (m[4] !== undefined) {
    const label = m[4].toLowerCase()
    out += (label === 'alpha' ? 'a' : label === 'beta' ? 'b' : ['c', 'pre', 'preview'].includes(label) ? 'rc' : label) + int(m[5])
  }
  if (m[6] !== undefined) out += `.post${int(m[7] ?? m[9])}`
  if (m[10] !== undefined) out += `.dev${int(m[12])}`
  if (m[13] !== undefined) {
    out += `+${m[13]
      .toLowerCase()
      .split(/[-_.]/)
      .map((part) => (/^[0-9]+$/.test(part) ? BigInt(part).toString() : part))
      .join('.')}`
  }
  return out
}
