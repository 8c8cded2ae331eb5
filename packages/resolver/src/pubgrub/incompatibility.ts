import type { Term } from './term.js'
import { intersectTerms, isAnyTerm, isEmptyTerm } from './term.js'
import type { VersionSet } from './version-set.js'

/**
 * Why an incompatibility holds. External causes are facts about the world
 * (the root must be selected, a package has no versions in a set, a version
 * depends on something, a version is unusable); a derived cause records the two
 * incompatibilities it was resolved from, so every failure carries its proof.
 * `D` is whatever the caller attaches to explain external facts in a report.
 */
export type Cause<S extends VersionSet<S>, D> =
  | { readonly kind: 'root' }
  | { readonly kind: 'no-versions' }
  | { readonly kind: 'dependency'; readonly from: string; readonly to: string; readonly detail: D }
  | { readonly kind: 'unavailable'; readonly detail: D }
  | { readonly kind: 'derived'; readonly left: Incompatibility<S, D>; readonly right: Incompatibility<S, D> }

/**
 * A set of terms that must not all be true at once. `packages[i]` is the
 * package of `terms[i]`; a package appears at most once.
 */
export interface Incompatibility<S extends VersionSet<S>, D> {
  readonly id: number
  readonly packages: readonly string[]
  readonly terms: readonly Term<S>[]
  readonly cause: Cause<S, D>
}

let nextId = 0

/**
 * Builds an incompatibility, merging terms of the same package by intersection
 * and dropping terms that always hold. Returns undefined when a term can never
 * hold (the incompatibility could never be satisfied, so it says nothing).
 */
export function makeIncompatibility<S extends VersionSet<S>, D>(
  entries: readonly (readonly [string, Term<S>])[],
  cause: Cause<S, D>,
): Incompatibility<S, D> | undefined {
  const packages: string[] = []
  const terms: Term<S>[] = []
  for (const [pkg, term] of entries) {
    const at = packages.indexOf(pkg)
    if (at === -1) {
      packages.push(pkg)
      terms.push(term)
    } else {
      terms[at] = intersectTerms(terms[at]!, term)
    }
  }
  for (let i = terms.length - 1; i >= 0; i--) {
    const term = terms[i]!
    if (isEmptyTerm(term)) return undefined
    if (isAnyTerm(term)) {
      terms.splice(i, 1)
      packages.splice(i, 1)
    }
  }
  return { id: nextId++, packages, terms, cause }
}

export function termOf<S extends VersionSet<S>, D>(incompat: Incompatibility<S, D>, pkg: string): Term<S> | undefined {
  const at = incompat.packages.indexOf(pkg)
  return at === -1 ? undefined : incompat.terms[at]
}
