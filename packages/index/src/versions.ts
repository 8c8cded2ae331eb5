/**
 * The PEP 440 operations link evaluation and candidate selection need, as an
 * interface: @pipette/pep440 provides them (see `pep440Scheme`), and tests can
 * pass a small stand-in. Versions are opaque values of the scheme.
 */
export interface VersionScheme<V = unknown> {
  /** A parsed version, or undefined for a string that is not a PEP 440 version (pip skips those files). */
  readonly parse: (text: string) => V | undefined
  readonly compare: (a: V, b: V) => number
  readonly isPrerelease: (version: V) => boolean
  /** The normalized form (packaging's `str(Version(...))`), as pip prints versions. */
  readonly format: (version: V) => string
  /**
   * packaging's `SpecifierSet(specifier).filter(versions, prereleases)`, order
   * kept. Throws for an invalid specifier.
   */
  readonly filter: (specifier: string, versions: readonly V[], prereleases: boolean | undefined) => readonly V[]
  /** `version in SpecifierSet(specifier)`; undefined for an invalid specifier. */
  readonly contains: (specifier: string, version: V) => boolean | undefined
}
