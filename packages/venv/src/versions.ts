/**
 * The normalised form of a PEP 440 version (`str(packaging.version.Version(text))`),
 * or null when the text is not a valid version (pip then prints `name===text`).
 */
import { tryParseVersion } from '@pipette/pep440'

export function normalizeVersion(text: string): string | null {
  return tryParseVersion(text)?.toString() ?? null
}
