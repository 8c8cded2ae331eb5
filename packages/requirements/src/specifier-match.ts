/**
 * packaging's `_eval_op` first step: if `op + rhs` is a valid PEP 440
 * specifier, the comparison is `Specifier(op + rhs).contains(lhs,
 * prereleases=True)`, and an lhs that is not a version is an error
 * (InvalidVersion in packaging 23.0). Specifiers are cached: markers compare
 * against a handful of literals over and over.
 */
import { tryParseSpecifier, tryParseVersion } from '@pipette/pep440'
import type { Specifier } from '@pipette/pep440'

const BROKEN = Symbol('broken')
const cache = new Map<string, Specifier | null | typeof BROKEN>()
const CACHE_LIMIT = 4096

function specifierFor(text: string): Specifier | null | typeof BROKEN {
  let specifier = cache.get(text)
  if (specifier === undefined) {
    try {
      specifier = tryParseSpecifier(text)
    } catch {
      // The text has the shape of a specifier but its version does not parse:
      // packaging would only fail when comparing.
      specifier = BROKEN
    }
    if (cache.size >= CACHE_LIMIT) cache.clear()
    cache.set(text, specifier)
  }
  return specifier
}

/** true/false, or why the comparison is not a version comparison / cannot be made. */
export function matchVersionSpecifier(spec: string, version: string): boolean | 'not-a-specifier' | 'invalid-version' {
  const specifier = specifierFor(spec)
  if (specifier === null) return 'not-a-specifier'
  const parsed = tryParseVersion(version)
  if (parsed === null || specifier === BROKEN) return 'invalid-version'
  try {
    return specifier.contains(parsed, { prereleases: true })
  } catch {
    return 'invalid-version'
  }
}
