/**
 * The operations the PubGrub core needs from a set of versions of one package.
 * The core never looks inside a set: it only combines and compares them, so any
 * representation with these operations works (pipette's Python layer uses
 * `CandidateSet`, a bit set over a package's known candidates; an interval type
 * such as `@pipette/pep440`'s `VersionRange` has the same shape).
 */
export interface VersionSet<S extends VersionSet<S>> {
  intersect(other: S): S
  union(other: S): S
  /** The versions of the same package that are not in this set. */
  complement(): S
  /** `this` without the versions of `other`. */
  difference(other: S): S
  isEmpty(): boolean
  isAny(): boolean
  isSubsetOf(other: S): boolean
  isDisjoint(other: S): boolean
  equals(other: S): boolean
  toString(): string
}
