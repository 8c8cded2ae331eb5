import type { Incompatibility } from './incompatibility.js'
import type { Term } from './term.js'
import { intersectTerms, positive } from './term.js'
import type { VersionSet } from './version-set.js'

/** One step of the partial solution: a decision (a version picked) or a derivation. */
export interface Assignment<S extends VersionSet<S>, D> {
  readonly pkg: string
  readonly term: Term<S>
  /** Decision level: how many decisions were made up to and including this step. */
  readonly level: number
  /** Position in the whole partial solution. */
  readonly index: number
  /** The incompatibility this derivation follows from; undefined for decisions. */
  readonly cause: Incompatibility<S, D> | undefined
  /** The version decided; undefined for derivations. */
  readonly version: number | undefined
  /** The intersection of this package's assignments up to and including this one. */
  readonly accumulated: Term<S>
}

/**
 * The solver's current guess: an ordered list of assignments, with each
 * package's own history kept beside it (so "what do we know about p" is the
 * last accumulated term, and "since when" is a scan of a short list).
 */
export class PartialSolution<S extends VersionSet<S>, D> {
  private readonly steps: Assignment<S, D>[] = []
  private readonly histories = new Map<string, Assignment<S, D>[]>()
  private readonly decided = new Map<string, number>()
  /** Packages with a positive accumulated term and no decision yet. */
  readonly pending = new Set<string>()
  level = 0

  get decisionCount(): number {
    return this.decided.size
  }

  decisions(): ReadonlyMap<string, number> {
    return this.decided
  }

  history(pkg: string): readonly Assignment<S, D>[] {
    return this.histories.get(pkg) ?? []
  }

  /** What the partial solution says about `pkg`, or undefined when nothing. */
  accumulated(pkg: string): Term<S> | undefined {
    const history = this.histories.get(pkg)
    return history === undefined || history.length === 0 ? undefined : history[history.length - 1]!.accumulated
  }

  decide(pkg: string, version: number, set: S): void {
    this.level++
    this.push(pkg, positive(set), undefined, version)
    this.decided.set(pkg, version)
    this.pending.delete(pkg)
  }

  derive(pkg: string, term: Term<S>, cause: Incompatibility<S, D>): void {
    const assignment = this.push(pkg, term, cause, undefined)
    if (assignment.accumulated.positive && !this.decided.has(pkg)) this.pending.add(pkg)
  }

  /** Drops every assignment made after decision level `level`. */
  backtrack(level: number): void {
    const touched = new Set<string>()
    while (this.steps.length > 0 && this.steps[this.steps.length - 1]!.level > level) {
      const step = this.steps.pop()!
      this.histories.get(step.pkg)!.pop()
      if (step.version !== undefined) this.decided.delete(step.pkg)
      touched.add(step.pkg)
    }
    this.level = level
    for (const pkg of touched) {
      const term = this.accumulated(pkg)
      if (term !== undefined && term.positive && !this.decided.has(pkg)) this.pending.add(pkg)
      else this.pending.delete(pkg)
    }
  }

  private push(pkg: string, term: Term<S>, cause: Incompatibility<S, D> | undefined, version: number | undefined): Assignment<S, D> {
    let history = this.histories.get(pkg)
    if (history === undefined) {
      history = []
      this.histories.set(pkg, history)
    }
    const previous = history.length === 0 ? undefined : history[history.length - 1]!.accumulated
    const assignment: Assignment<S, D> = {
      pkg,
      term,
      level: this.level,
      index: this.steps.length,
      cause,
      version,
      accumulated: previous === undefined ? term : intersectTerms(previous, term),
    }
    this.steps.push(assignment)
    history.push(assignment)
    return assignment
  }
}
