/**
 * The PubGrub core: conflict-driven version solving, independent of Python.
 *
 * PubGrub (Natalie Weizenbaum, 2018, for Dart's pub) is CDCL SAT solving
 * specialised to versions. Everything the solver knows is an *incompatibility*:
 * a set of terms that must not all hold at once. "a 1.0 depends on b>=2" is
 * `{a ∈ {1.0}, b ∉ >=2}`; "there is no version of c in S" is `{c ∈ S}`; "the
 * root must be selected" is `{root ∉ {root}}`. The *partial solution* is an
 * ordered list of assignments: decisions ("pick a 1.0") and derivations
 * ("b must be >=2, because of that incompatibility"), each tagged with its
 * decision level (the number of decisions made so far).
 *
 * The loop:
 * 1. Unit propagation. For every incompatibility that mentions a package that
 *    just changed: if the partial solution satisfies all its terms, that is a
 *    conflict; if it satisfies all but one and the last is undecided, the
 *    negation of the last term is derived (an incompatibility that is already
 *    contradicted is skipped until backtracking could revive it).
 * 2. Conflict resolution. From the satisfied incompatibility, walk back
 *    through the assignments that satisfied it: find the satisfier (the
 *    assignment that completed it) and the level of the previous satisfier.
 *    If the satisfier is a decision, or the previous satisfier is at a lower
 *    level, the incompatibility is the root cause: keep it (it is *learned*),
 *    backjump to the previous satisfier's level, and derive from it (which now
 *    rules out the bad choice for ever, not just this once). Otherwise resolve
 *    it with the satisfier's cause (the resolution rule of logic: the terms of
 *    both, minus the satisfier's package, plus what of that package neither
 *    rules out) and repeat. Reaching `{root}` or `{}` means no solution exists,
 *    and that incompatibility's derivation tree is the proof to explain.
 * 3. Decision making. Take a package that some derivation requires but no
 *    decision covers (the delegate says which: priorities are policy), ask the
 *    delegate for its best version in the allowed set; no version adds `{p ∈ S}`.
 *    Otherwise add the version's dependencies as incompatibilities and decide
 *    the version, unless one of them would be violated at once (then unit
 *    propagation will rule the version out instead).
 *
 * Learned incompatibilities are what makes it fast where naive backtracking
 * is exponential: a conflict between b and c discovered under a 3.0 is not
 * rediscovered under a 2.9, 2.8, ...: the learned clause mentions only b and
 * c, so it excludes them everywhere at once. Two further cheap tricks: the
 * incompatibilities "p ∈ S1 depends on q ∉ T" and "p ∈ S2 depends on q ∉ T"
 * are merged into one over S1 ∪ S2 (consecutive versions usually share
 * requirements, so one learned fact then covers all of them), and each package
 * keeps its own assignment history so satisfier searches scan short lists.
 *
 * The core is generic: versions are numbers chosen by the delegate (pipette's
 * Python layer uses indexes into each package's candidate list), sets are any
 * `VersionSet`, and everything about packaging (where candidates come from,
 * which are allowed, extras, markers, priorities) lives in the delegate.
 * It is async only because the delegate fetches candidates and metadata.
 */
import type { Cause, Incompatibility } from './incompatibility.js'
import { makeIncompatibility, termOf } from './incompatibility.js'
import { PartialSolution } from './partial-solution.js'
import type { Assignment } from './partial-solution.js'
import type { Term } from './term.js'
import { intersectTerms, negate, negative, positive, termSubset, termsDisjoint, termsEqual, unionTerms } from './term.js'
import type { VersionSet } from './version-set.js'

export interface Dependency<S extends VersionSet<S>, D> {
  readonly pkg: string
  readonly set: S
  /** Attached to the dependency incompatibility, for the report. */
  readonly detail: D
}

export type Dependencies<S extends VersionSet<S>, D> =
  | {
      readonly kind: 'known'
      readonly dependencies: readonly Dependency<S, D>[]
      /** Other external facts learned while getting them (e.g. constraints on new packages). */
      readonly facts?: readonly Incompatibility<S, D>[] | undefined
    }
  | { readonly kind: 'unavailable'; readonly detail: D }

export interface SolverDelegate<S extends VersionSet<S>, D> {
  /** The set holding exactly `version` of `pkg`. */
  singleton(pkg: string, version: number): S
  /** Which of the pending packages (required, not decided) to decide next. */
  pick(pending: ReadonlySet<string>, allowed: (pkg: string) => S): string
  /** The preferred version of `pkg` within `set`, or undefined when none is usable. */
  choose(pkg: string, set: S): number | undefined | Promise<number | undefined>
  /** The dependencies of `pkg` at `version`. */
  dependencies(pkg: string, version: number): Dependencies<S, D> | Promise<Dependencies<S, D>>
  /** Told of every incompatibility learned from a conflict (for priorities). */
  learned?(incompat: Incompatibility<S, D>): void
}

export interface SolverStats {
  decisions: number
  conflicts: number
  backjumps: number
  incompatibilities: number
  propagations: number
}

export type SolveResult<S extends VersionSet<S>, D> =
  | { readonly ok: true; readonly decisions: ReadonlyMap<string, number>; readonly stats: SolverStats }
  | { readonly ok: false; readonly incompatibility: Incompatibility<S, D>; readonly stats: SolverStats }

export interface SolveOptions<S extends VersionSet<S>, D> {
  readonly root: string
  readonly rootVersion: number
  readonly delegate: SolverDelegate<S, D>
}

const SATISFIED = -1
const CONTRADICTED = -2
const INCONCLUSIVE = -3

/** Runs PubGrub to a solution (package -> version) or a proof that there is none. */
export async function solve<S extends VersionSet<S>, D>(options: SolveOptions<S, D>): Promise<SolveResult<S, D>> {
  return new Solver(options).run()
}

class Solver<S extends VersionSet<S>, D> {
  private readonly root: string
  private readonly rootVersion: number
  private readonly delegate: SolverDelegate<S, D>
  private readonly solution = new PartialSolution<S, D>()
  /** Incompatibilities by package, oldest first. */
  private readonly byPackage = new Map<string, Incompatibility<S, D>[]>()
  /** Dependency incompatibilities by "from\0to", for merging. */
  private readonly byEdge = new Map<string, Incompatibility<S, D>[]>()
  /** By incompatibility id - base: 1 + the level at which it was noticed to be contradicted, 0 if not. */
  private contradicted = new Int32Array(1024)
  /** Ids only grow, so those of this solve start at the first one it made. */
  private base = -1
  private readonly contradictedAtLevel: number[][] = []
  private readonly stats: SolverStats = { decisions: 0, conflicts: 0, backjumps: 0, incompatibilities: 0, propagations: 0 }

  constructor(options: SolveOptions<S, D>) {
    this.root = options.root
    this.rootVersion = options.rootVersion
    this.delegate = options.delegate
  }

  async run(): Promise<SolveResult<S, D>> {
    const notRoot = makeIncompatibility<S, D>([[this.root, negative(this.delegate.singleton(this.root, this.rootVersion))]], { kind: 'root' })!
    this.base = notRoot.id
    this.add(notRoot)
    let next: string[] = [this.root]
    for (;;) {
      const failure = this.propagate(next)
      if (failure !== undefined) return { ok: false, incompatibility: failure, stats: this.stats }
      const { pending } = this.solution
      if (pending.size === 0) return { ok: true, decisions: new Map(this.solution.decisions()), stats: this.stats }
      const pkg = pending.size === 1 ? pending.values().next().value! : this.delegate.pick(pending, (p) => this.allowed(p))
      next = [pkg]
      const allowed = this.allowed(pkg)
      const version = await this.delegate.choose(pkg, allowed)
      if (version === undefined) {
        this.add(makeIncompatibility<S, D>([[pkg, positive(allowed)]], { kind: 'no-versions' })!)
        continue
      }
      const exact = this.delegate.singleton(pkg, version)
      const deps = await this.delegate.dependencies(pkg, version)
      if (deps.kind === 'unavailable') {
        this.add(makeIncompatibility<S, D>([[pkg, positive(exact)]], { kind: 'unavailable', detail: deps.detail })!)
        continue
      }
      for (const fact of deps.facts ?? []) {
        this.add(fact)
        for (const p of fact.packages) if (!next.includes(p)) next.push(p)
      }
      let conflicting = false
      for (const dep of deps.dependencies) {
        const incompat = makeIncompatibility<S, D>([[pkg, positive(exact)], [dep.pkg, negative(dep.set)]], {
          kind: 'dependency',
          from: pkg,
          to: dep.pkg,
          detail: dep.detail,
        })
        if (incompat === undefined) continue
        const stored = this.addDependency(incompat, pkg, dep.pkg)
        if (!conflicting && this.relation(stored, pkg, positive(exact)) === SATISFIED) conflicting = true
      }
      if (!conflicting) {
        this.solution.decide(pkg, version, exact)
        this.stats.decisions++
      }
    }
  }

  private allowed(pkg: string): S {
    const term = this.solution.accumulated(pkg)
    if (term === undefined || !term.positive) throw new Error(`pubgrub: ${pkg} has no positive derivation`)
    return term.set
  }

  private add(incompat: Incompatibility<S, D>): void {
    this.stats.incompatibilities++
    for (const pkg of incompat.packages) {
      let list = this.byPackage.get(pkg)
      if (list === undefined) {
        list = []
        this.byPackage.set(pkg, list)
      }
      list.push(incompat)
    }
  }

  /** Adds "from depends on to", merged with an earlier one for other versions of `from` when `to`'s term is the same. */
  private addDependency(incompat: Incompatibility<S, D>, from: string, to: string): Incompatibility<S, D> {
    if (from === to || incompat.cause.kind !== 'dependency') {
      this.add(incompat)
      return incompat
    }
    const key = `${from}\u0000${to}`
    let list = this.byEdge.get(key)
    if (list === undefined) {
      list = []
      this.byEdge.set(key, list)
    }
    const toTerm = termOf(incompat, to)
    const fromTerm = termOf(incompat, from)!
    for (let i = 0; i < list.length; i++) {
      const old = list[i]!
      const oldTo = termOf(old, to)
      if (toTerm === undefined ? oldTo !== undefined : oldTo === undefined || !termsEqual(oldTo, toTerm)) continue
      const entries: [string, Term<S>][] = [[from, unionTerms(termOf(old, from)!, fromTerm)]]
      if (toTerm !== undefined) entries.push([to, toTerm])
      const merged = makeIncompatibility<S, D>(entries, old.cause)!
      for (const pkg of old.packages) {
        const byPkg = this.byPackage.get(pkg)!
        const at = byPkg.indexOf(old)
        if (at !== -1) byPkg.splice(at, 1)
      }
      list[i] = merged
      this.add(merged)
      return merged
    }
    list.push(incompat)
    this.add(incompat)
    return incompat
  }

  /**
   * How the partial solution relates to `incompat`: SATISFIED, CONTRADICTED,
   * INCONCLUSIVE, or the index of the single term left undecided while all
   * others are satisfied ("almost satisfied"). `override` replaces what the
   * partial solution says about one package.
   */
  private relation(incompat: Incompatibility<S, D>, overridePkg?: string, override?: Term<S>): number {
    let almost = -1
    const { packages, terms } = incompat
    for (let i = 0; i < terms.length; i++) {
      const pkg = packages[i]!
      const known = pkg === overridePkg ? override : this.solution.accumulated(pkg)
      const term = terms[i]!
      if (known !== undefined) {
        if (termSubset(known, term)) continue
        if (termsDisjoint(known, term)) return CONTRADICTED
      }
      if (almost !== -1) return INCONCLUSIVE
      almost = i
    }
    return almost === -1 ? SATISFIED : almost
  }

  private markContradicted(incompat: Incompatibility<S, D>): void {
    const level = this.solution.level
    const id = incompat.id - this.base
    if (id < 0) return
    if (id >= this.contradicted.length) {
      const grown = new Int32Array(Math.max(id + 1, this.contradicted.length * 2))
      grown.set(this.contradicted)
      this.contradicted = grown
    }
    this.contradicted[id] = level + 1
    ;(this.contradictedAtLevel[level] ??= []).push(id)
  }

  private isContradicted(incompat: Incompatibility<S, D>): boolean {
    const id = incompat.id - this.base
    return id >= 0 && id < this.contradicted.length && this.contradicted[id] !== 0
  }

  private backtrack(level: number): void {
    this.stats.backjumps++
    this.solution.backtrack(level)
    for (let l = level + 1; l < this.contradictedAtLevel.length; l++) {
      const ids = this.contradictedAtLevel[l]
      if (ids === undefined) continue
      for (const id of ids) if (this.contradicted[id] === l + 1) this.contradicted[id] = 0
      ids.length = 0
    }
  }

  /** Unit propagation from the changed packages; returns the final incompatibility when there is no solution. */
  private propagate(start: readonly string[]): Incompatibility<S, D> | undefined {
    const queue = [...start]
    while (queue.length > 0) {
      const pkg = queue.pop()!
      const list = this.byPackage.get(pkg)
      if (list === undefined) continue
      let conflict: Incompatibility<S, D> | undefined
      for (let i = list.length - 1; i >= 0; i--) {
        const incompat = list[i]!
        if (this.isContradicted(incompat)) continue
        const relation = this.relation(incompat)
        if (relation === SATISFIED) {
          conflict = incompat
          break
        }
        if (relation === CONTRADICTED) {
          this.markContradicted(incompat)
        } else if (relation >= 0) {
          const target = incompat.packages[relation]!
          this.solution.derive(target, negate(incompat.terms[relation]!), incompat)
          this.stats.propagations++
          this.markContradicted(incompat)
          if (!queue.includes(target)) queue.push(target)
        }
      }
      if (conflict !== undefined) {
        const resolved = this.resolveConflict(conflict)
        if ('failure' in resolved) return resolved.failure
        queue.length = 0
        queue.push(resolved.pkg)
        this.solution.derive(resolved.pkg, negate(termOf(resolved.rootCause, resolved.pkg)!), resolved.rootCause)
        this.stats.propagations++
        this.markContradicted(resolved.rootCause)
      }
    }
    return undefined
  }

  private isTerminal(incompat: Incompatibility<S, D>): boolean {
    const { packages, terms } = incompat
    return terms.length === 0 || (terms.length === 1 && packages[0] === this.root && terms[0]!.positive)
  }

  private resolveConflict(
    conflict: Incompatibility<S, D>,
  ): { readonly failure: Incompatibility<S, D> } | { readonly rootCause: Incompatibility<S, D>; readonly pkg: string } {
    this.stats.conflicts++
    let incompat = conflict
    for (;;) {
      if (this.isTerminal(incompat)) return { failure: incompat }
      const { satisfier, termIndex, previousLevel } = this.findSatisfier(incompat)
      if (satisfier.version !== undefined || previousLevel < satisfier.level) {
        if (incompat !== conflict) {
          this.add(incompat)
          this.delegate.learned?.(incompat)
        }
        this.backtrack(previousLevel)
        return { rootCause: incompat, pkg: satisfier.pkg }
      }
      const cause = satisfier.cause!
      const pkg = satisfier.pkg
      const entries: [string, Term<S>][] = []
      for (let i = 0; i < incompat.terms.length; i++) {
        if (i !== termIndex) entries.push([incompat.packages[i]!, incompat.terms[i]!])
      }
      for (let i = 0; i < cause.terms.length; i++) {
        if (cause.packages[i] !== pkg) entries.push([cause.packages[i]!, cause.terms[i]!])
      }
      const merged = unionTerms(incompat.terms[termIndex]!, termOf(cause, pkg)!)
      entries.push([pkg, merged])
      const derived: Cause<S, D> = { kind: 'derived', left: incompat, right: cause }
      const next = makeIncompatibility<S, D>(entries, derived)
      if (next === undefined) throw new Error('pubgrub: conflict resolution produced an impossible term')
      incompat = next
    }
  }

  /**
   * The assignment that completed `incompat` (the earliest point at which the
   * partial solution satisfies it) and the decision level of the previous
   * satisfier (the earliest point before it at which the satisfier plus what
   * came before already satisfies it).
   */
  private findSatisfier(incompat: Incompatibility<S, D>): {
    readonly satisfier: Assignment<S, D>
    readonly termIndex: number
    readonly previousLevel: number
  } {
    const found: Assignment<S, D>[] = []
    let termIndex = -1
    for (let i = 0; i < incompat.terms.length; i++) {
      const term = incompat.terms[i]!
      let first: Assignment<S, D> | undefined
      for (const assignment of this.solution.history(incompat.packages[i]!)) {
        if (termSubset(assignment.accumulated, term)) {
          first = assignment
          break
        }
      }
      if (first === undefined) throw new Error('pubgrub: conflict resolution on an unsatisfied incompatibility')
      found.push(first)
      if (termIndex === -1 || first.index > found[termIndex]!.index) termIndex = i
    }
    const satisfier = found[termIndex]!
    let previousLevel = 1
    for (let i = 0; i < found.length; i++) if (i !== termIndex) previousLevel = Math.max(previousLevel, found[i]!.level)
    const term = incompat.terms[termIndex]!
    if (!termSubset(satisfier.term, term)) {
      for (const assignment of this.solution.history(satisfier.pkg)) {
        if (assignment.index >= satisfier.index) break
        if (termSubset(intersectTerms(assignment.accumulated, satisfier.term), term)) {
          previousLevel = Math.max(previousLevel, assignment.level)
          break
        }
      }
    }
    return { satisfier, termIndex, previousLevel }
  }
}
