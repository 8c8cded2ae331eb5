/**
 * Core metadata as the resolver needs it (Requires-Dist, Requires-Python,
 * Provides-Extra), with pip's checks: a distribution whose Name or Version
 * contradicts its file name, or whose Requires-Dist does not parse, is
 * unusable (pip discards the candidate and tries others).
 */
import type { Version } from '@pipette/pep440'
import { compareVersions, tryParseSpecifierSet, tryParseVersion } from '@pipette/pep440'
import type { Requirement } from '@pipette/requirements'
import { canonicalizeName, parseRequirement } from '@pipette/requirements'
import type { CandidateMetadata } from '@pipette/resolver'
import type { CoreMetadata } from '@pipette/venv'
import { metadataGet, metadataGetAll, parseCoreMetadata } from '@pipette/venv'

export interface ParsedMetadata {
  readonly core: CoreMetadata
  readonly resolver: CandidateMetadata
}

/** Why a metadata file cannot be used; `undefined` when it can. */
export type MetadataProblem = string

export function decodeMetadata(bytes: Uint8Array): CoreMetadata {
  return parseCoreMetadata(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'))
}

/**
 * Reads what the resolver needs from core metadata. `expected` (the name and
 * version the file name or index announced) is checked as pip does; a
 * mismatch or a broken Requires-Dist gives a problem string instead.
 */
export function readMetadata(core: CoreMetadata, expected?: { readonly name: string; readonly version: Version }): ParsedMetadata | { readonly problem: MetadataProblem } {
  const name = metadataGet(core, 'Name')
  const versionText = metadataGet(core, 'Version')
  if (expected !== undefined) {
    if (name === undefined || canonicalizeName(name) !== canonicalizeName(expected.name)) {
      return { problem: `its metadata has Name ${JSON.stringify(name ?? '')}, expected ${JSON.stringify(expected.name)}` }
    }
    const version = versionText === undefined ? undefined : tryParseVersion(versionText.trim())
    if (version === undefined || version === null || compareVersions(version, expected.version) !== 0) {
      return { problem: `its metadata has Version ${JSON.stringify(versionText ?? '')}, expected ${JSON.stringify(expected.version.toString())}` }
    }
  }
  const requires: Requirement[] = []
  for (const text of metadataGetAll(core, 'Requires-Dist')) {
    try {
      requires.push(parseRequirement(text))
    } catch (error) {
      return { problem: `it has invalid metadata: Invalid requirement ${JSON.stringify(text)}: ${(error as Error).message.split('\n', 1)[0]}` }
    }
  }
  const requiresPythonText = metadataGet(core, 'Requires-Python')
  // An invalid Requires-Python is ignored, as pip does.
  const requiresPython = requiresPythonText === undefined ? undefined : (tryParseSpecifierSet(requiresPythonText.trim()) ?? undefined)
  const providesExtra = metadataGetAll(core, 'Provides-Extra').map((e) => e.trim())
  return {
    core,
    resolver: Object.freeze({
      requires: Object.freeze(requires),
      requiresPython,
      providesExtra: Object.freeze(providesExtra),
    }),
  }
}
