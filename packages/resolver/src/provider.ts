import { PipetteError } from '@pipette/errors'
import type { Requirement, SpecifierSet, Version } from './compat.js'

/**
 * One installable version of a project, as the provider chose it: the provider
 * picks the best file of each version (wheel tags, `--only-binary`,
 * `--no-binary`, hashes) and returns one candidate per version.
 */
export interface Candidate {
  /** Canonical project name (PEP 503). */
  readonly name: string
  readonly version: Version
  /** PEP 592: every file of this version is yanked. */
  readonly yanked?: boolean | undefined
  readonly yankedReason?: string | undefined
  /** Requires-Python known before fetching metadata (the index's `data-requires-python`). */
  readonly requiresPython?: SpecifierSet | undefined
  /** What the chosen file is; informational for the resolver (reports, preferences). */
  readonly distribution?: 'wheel' | 'sdist' | 'installed' | 'url' | undefined
  /** The distribution already installed in the target environment. */
  readonly installed?: boolean | undefined
  /** Set on candidates made from a direct URL or path requirement (`name @ url`). */
  readonly url?: string | undefined
  /** Anything the provider needs to find this candidate again (its link, cache key...). Opaque here. */
  readonly handle?: unknown
}

/** What the resolver needs from a candidate's core metadata. */
export interface CandidateMetadata {
  /** Requires-Dist, markers not evaluated (the resolver evaluates them for the target and extras). */
  readonly requires: readonly Requirement[]
  /** Requires-Python from the metadata (checked when the candidate did not carry one). */
  readonly requiresPython?: SpecifierSet | undefined
  /** Provides-Extra, normalized or not; when given, an extra not listed adds no requirements (pip warns). */
  readonly providesExtra?: readonly string[] | undefined
}

/**
 * How the resolver sees the world. `candidates` and `metadata` may be called
 * concurrently and ahead of need (the resolver starts them early as prefetch
 * hints and awaits them later), so a provider should cache and may fetch in
 * parallel. Binary/source choice, wheel tags, hashes, `--only-binary`,
 * `--no-binary`, `--prefer-binary` and `--require-hashes` are the provider's
 * business: it decides which file represents each version, and orders the
 * candidates by preference (normally newest first; with `--prefer-binary`,
 * versions with a wheel first).
 */
export interface Provider {
  /** The versions of `name` that can be installed on the target, most preferred first. */
  candidates(name: string): Promise<readonly Candidate[]>
  /** Core metadata of a candidate (lazily fetched: a `.metadata` file, a range request, a build). */
  metadata(candidate: Candidate): Promise<CandidateMetadata>
  /** The candidate for a direct URL or path requirement (`name @ url`); needed only when such requirements occur. */
  urlCandidate?(requirement: Requirement): Promise<Candidate>
  /**
   * A hint that `metadata(candidate)` will probably be asked for soon. Never
   * awaited; a provider may queue it behind real requests. Without this
   * method the resolver calls `metadata` early itself and keeps the promise.
   */
  prefetch?(candidate: Candidate): void
}

/**
 * Thrown by a provider's `metadata` when a candidate turns out unusable (its
 * metadata is broken or inconsistent, its sdist does not build): the resolver
 * then tries other versions, as pip does. Any other error aborts resolution.
 */
export class CandidateUnusableError extends PipetteError {
  constructor(candidate: Candidate, reason: string, options: { readonly cause?: unknown } = {}) {
    super('ERR_CANDIDATE_UNUSABLE', `${candidate.name} ${candidate.version.toString()} cannot be used: ${reason}`, {
      hint: 'The resolver skips this version and tries others.',
      cause: options.cause,
    })
  }
}
