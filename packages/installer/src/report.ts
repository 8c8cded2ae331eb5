/**
 * pip's installation report (`--report`, format version 1): one item per
 * distribution that is (or, with `--dry-run`, would be) installed, with where
 * it comes from (PEP 610 `download_info`), whether the user asked for it, and
 * its core metadata as PEP 566 JSON; plus the target's marker environment.
 */
import type { CoreMetadata, MarkerEnvironment } from '@pipette/venv'
import { metadataToJson, pythonJson } from '@pipette/venv'

export interface ReportItem {
  readonly download_info: {
    readonly url: string
    readonly archive_info: { readonly hash?: string; readonly hashes?: Readonly<Record<string, string>> }
  }
  readonly is_direct: boolean
  readonly is_yanked: boolean
  readonly requested: boolean
  readonly metadata: Record<string, string | string[]>
  readonly requested_extras?: readonly string[]
}

export interface InstallationReport {
  readonly version: '1'
  readonly pip_version: string
  readonly install: readonly ReportItem[]
  readonly environment: MarkerEnvironment
}

/** The version pipette reports as `pip_version`: the pip whose behaviour it follows. */
export const PIP_COMPAT_VERSION = '26.0'

export interface ReportEntry {
  /** The URL of the file (credentials removed). */
  readonly url: string
  /** Digests known for the file (from the index, the URL or the download). */
  readonly hashes: Readonly<Record<string, string>>
  readonly isDirect: boolean
  readonly isYanked: boolean
  readonly requested: boolean
  readonly requestedExtras: readonly string[]
  readonly metadata: CoreMetadata
}

const HASH_PREFERENCE = ['sha256', 'sha384', 'sha512', 'sha224', 'sha1', 'md5']

export function buildReport(entries: readonly ReportEntry[], environment: MarkerEnvironment): InstallationReport {
  return Object.freeze({
    version: '1' as const,
    pip_version: PIP_COMPAT_VERSION,
    install: Object.freeze(
      entries.map((entry) => {
        const algorithm = HASH_PREFERENCE.find((alg) => entry.hashes[alg] !== undefined)
        const archive_info = algorithm === undefined ? {} : { hash: `${algorithm}=${entry.hashes[algorithm]!}`, hashes: { ...entry.hashes } }
        const item: ReportItem = {
          download_info: { url: entry.url, archive_info },
          is_direct: entry.isDirect,
          is_yanked: entry.isYanked,
          requested: entry.requested,
          metadata: metadataToJson(entry.metadata),
          ...(entry.requested && entry.requestedExtras.length > 0 ? { requested_extras: [...entry.requestedExtras].sort() } : {}),
        }
        return Object.freeze(item)
      }),
    ),
    environment,
  })
}

/** The report as pip writes it to a file (`json.dump(..., indent=2, ensure_ascii=False)`). */
export function formatReport(report: InstallationReport): string {
  return pythonJson(report, { indent: 2, ensureAscii: false })
}
