import type { VersionSet } from './version-set.js'

/**
 * A statement about one package: positive `p ∈ S` ("p is selected, at a version
 * in S") or negative `p ∉ S` ("p is not selected at a version in S"; selecting
 * nothing satisfies it). The package is kept beside the term, not in it.
 */
export interface Term<S extends VersionSet<S>> {
  readonly positive: boolean
  readonly set: S
}

export function positive<S extends VersionSet<S>>(set: S): Term<S> {
  return { positive: true, set }
}

export function negative<S extends VersionSet<S>>(set: S): Term<S> {
  return { positive: false, set }
}

export function negate<S extends VersionSet<S>>(term: Term<S>): Term<S> {
  return { positive: !term.positive, set: term.set }
}

/** True for `p ∉ ∅`, which every state satisfies. */
export function isAnyTerm<S extends VersionSet<S>>(term: Term<S>): boolean {
  return !term.positive && term.set.isEmpty()
}

/** True for `p ∈ ∅`, which no state satisfies. */
export function isEmptyTerm<S extends VersionSet<S>>(term: Term<S>): boolean {
  return term.positive && term.set.isEmpty()
}

export function intersectTerms<S extends VersionSet<S>>(a: Term<S>, b: Term<S>): Term<S> {
  if (a.positive) return positive(b.positive ? a.set.intersect(b.set) : a.set.difference(b.set))
  return b.positive ? positive(b.set.difference(a.set)) : negative(a.set.union(b.set))
}

export function unionTerms<S extends VersionSet<S>>(a: Term<S>, b: Term<S>): Term<S> {
  if (a.positive) return b.positive ? positive(a.set.union(b.set)) : negative(b.set.difference(a.set))
  return b.positive ? negative(a.set.difference(b.set)) : negative(a.set.intersect(b.set))
}

/** Whether every state allowed by `a` is allowed by `b` (a ⊆ b). */
export function termSubset<S extends VersionSet<S>>(a: Term<S>, b: Term<S>): boolean {
  if (a.positive) return b.positive ? a.set.isSubsetOf(b.set) : a.set.isDisjoint(b.set)
  return b.positive ? false : b.set.isSubsetOf(a.set)
}

/** Whether no state is allowed by both `a` and `b`. */
export function termsDisjoint<S extends VersionSet<S>>(a: Term<S>, b: Term<S>): boolean {
  if (a.positive) return b.positive ? a.set.isDisjoint(b.set) : a.set.isSubsetOf(b.set)
  return b.positive ? b.set.isSubsetOf(a.set) : false
}

export function termsEqual<S extends VersionSet<S>>(a: Term<S>, b: Term<S>): boolean {
  return a.positive === b.positive && a.set.equals(b.set)
}
