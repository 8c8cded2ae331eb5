/**
 * Words for a failed resolution: how the Python layer names packages, sets of
 * candidates and external facts, and how a proof becomes a
 * `ResolutionImpossibleError` (pip-style summary line, the derivation from
 * `report.ts`, and pip's "The conflict is caused by" list).
 */
import { redactUrl } from '@pipette/errors'
import type { CandidateSet } from './candidate-set.js'
import type { Requirement, Version } from './compat.js'
import { compareVersions } from './compat.js'
import { ResolutionImpossibleError } from './errors.js'
import type { Candidate } from './provider.js'
import type { Incompatibility } from './pubgrub/incompatibility.js'
import { explainFailure, externalFacts } from './report.js'

export const ROOT = '<root>'

/** What the Python layer attaches to external incompatibilities. */
export type Detail =
  | { readonly kind: 'requirement'; readonly text: string; readonly name: string; readonly requirement: Requirement }
  | { readonly kind: 'extra-base'; readonly extra: string }
  | { readonly kind: 'constraint'; readonly text: string; readonly requirement: Requirement }
  | { readonly kind: 'requires-python'; readonly specifier: string }
  | { readonly kind: 'unusable'; readonly reason: string }

/** A package's candidates, in preference order, with what the filters need. */
export interface Universe {
  readonly name: string
  readonly candidates: readonly Candidate[]
  readonly prerelease: readonly boolean[]
  readonly pythonOk: readonly boolean[]
  /** Installed and URL candidates: not subject to the pre-release and yanked filters. */
  readonly exempt: readonly boolean[]
  /** `--pre` or `--all-releases` for this package: pre-releases count like finals. */
  readonly allReleases: boolean
  /** `--only-final` for this package: pre-releases are never chosen. */
  readonly onlyFinal: boolean
  readonly any: CandidateSet
}

export interface DescribeContext {
  readonly stats?: Readonly<Record<string, number>> | undefined
  readonly universes: ReadonlyMap<string, Universe>
  readonly usable: (universe: Universe, index: number) => boolean
  readonly pythonVersion: Version
}

type Incompat = Incompatibility<CandidateSet, Detail>

const MAX_CAUSES = 12

export function splitPackage(pkg: string): [string, string | undefined] {
  const open = pkg.indexOf('[')
  return open === -1 ? [pkg, undefined] : [pkg.slice(0, open), pkg.slice(open + 1, -1)]
}

export function joinWords(items: readonly string[], word = 'and'): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} ${word} ${items[items.length - 1]}`
}

function listVersions(versions: readonly string[], max = 8): string {
  return versions.length <= max ? versions.join(', ') : `${versions.slice(0, 2).join(', ')}, ..., ${versions.slice(2 - max).join(', ')}`
}

export function describeFailure(failure: Incompat, context: DescribeContext): ResolutionImpossibleError {
  const describer = new Describer(context)
  const explanation = explainFailure(failure, {
    root: ROOT,
    describeSet: (pkg, set, positive) => describer.set(pkg, set, positive),
    describeExternal: (fact) => describer.external(fact),
  }).map((line) => (line.number === undefined ? line.text : `${line.text} (${line.number})`))

  const facts = externalFacts(failure)
  const packages = new Set<string>()
  const requested: string[] = []
  const causes: string[] = []
  const grouped = new Map<string, { fact: Incompat; set: CandidateSet }>()
  for (const fact of facts) {
    for (const pkg of fact.packages) if (pkg !== ROOT) packages.add(splitPackage(pkg)[0])
    const { cause } = fact
    if (cause.kind === 'dependency' && cause.detail.kind === 'requirement') packages.add(cause.detail.name)
    if (cause.kind === 'dependency' && cause.from === ROOT && cause.detail.kind === 'requirement') {
      if (!requested.includes(cause.detail.text)) requested.push(cause.detail.text)
      continue
    }
    if (cause.kind === 'root' || (cause.kind === 'dependency' && cause.detail.kind === 'extra-base')) continue
    if (cause.kind === 'dependency' && cause.detail.kind === 'requirement') {
      // The same requirement of several versions of one package reads as one line.
      const key = `${cause.from}\u0000${cause.detail.text}`
      const from = fact.terms[fact.packages.indexOf(cause.from)]!.set
      const seen = grouped.get(key)
      grouped.set(key, { fact: seen?.fact ?? fact, set: seen === undefined ? from : seen.set.union(from) })
      if (seen === undefined) causes.push(key)
      continue
    }
    const text = describer.external(fact)
    if (!causes.includes(text)) causes.push(text)
  }
  for (let i = 0; i < causes.length; i++) {
    const group = grouped.get(causes[i]!)
    if (group !== undefined) causes[i] = describer.dependency(group.fact, group.set)
  }
  const listed = [...requested.map((r) => `The user requested ${r}`), ...causes]
  const shown = listed.length <= MAX_CAUSES ? listed : [...listed.slice(0, MAX_CAUSES - 1), `... and ${listed.length - MAX_CAUSES + 1} more (see above)`]

  let summary: string
  const onlyRoot = facts.every((f) => f.cause.kind !== 'dependency' || f.cause.from === ROOT)
  if (requested.length === 1 && onlyRoot) {
    const fact = facts.find((f) => f.cause.kind === 'dependency')
    const name = fact?.cause.kind === 'dependency' && fact.cause.detail.kind === 'requirement' ? fact.cause.detail.name : undefined
    const universe = name === undefined ? undefined : context.universes.get(name)
    const versions = universe === undefined ? [] : describer.sortedVersions(universe)
    summary = `Could not find a version that satisfies the requirement ${requested[0]} (from versions: ${versions.length === 0 ? 'none' : listVersions(versions, 12)}).`
  } else if (requested.length === 0) {
    summary = 'Cannot install the requested packages because these package versions have conflicting dependencies.'
  } else {
    summary = `Cannot install ${joinWords(requested)} because these package versions have conflicting dependencies.`
  }
  return new ResolutionImpossibleError({ summary, explanation, causes: shown, packages: [...packages].sort(), stats: context.stats })
}

class Describer {
  constructor(private readonly context: DescribeContext) {}

  sortedVersions(universe: Universe): string[] {
    return [...universe.candidates]
      .sort((a, b) => compareVersions(a.version, b.version))
      .map((c) => (c.url !== undefined ? `${c.version.toString()} @ ${redactUrl(c.url)}` : c.version.toString()))
  }

  /** `a 1.0` / `a==1.0`, `a>=1.0,<=1.4`, `a!=1.5`, `a (1.0, 1.2 or 2.0)`, or `a` for every version. */
  set(pkg: string, set: CandidateSet, positive: boolean): string {
    const universe = this.context.universes.get(splitPackage(pkg)[0])
    if (universe === undefined) return pkg
    const { candidates } = universe
    const size = set.count()
    const show = (i: number) => {
      const c = candidates[i]!
      return c.url !== undefined ? `@ ${redactUrl(c.url)}` : c.version.toString()
    }
    if (size === 1) {
      const only = set.first()
      if (candidates[only]!.url !== undefined) return `${pkg} @ ${redactUrl(candidates[only]!.url!)}`
      return positive ? `${pkg} ${show(only)}` : `${pkg}==${show(only)}`
    }
    if (size === candidates.length) return pkg
    if (size === 0) return `${pkg} (no version)`
    const sorted = candidates.map((_, i) => i).sort((a, b) => compareVersions(candidates[a]!.version, candidates[b]!.version))
    const inside = sorted.map((i) => set.has(i))
    const firstIn = inside.indexOf(true)
    const lastIn = inside.lastIndexOf(true)
    if (inside.slice(firstIn, lastIn + 1).every(Boolean)) {
      const low = firstIn === 0 ? '' : `>=${show(sorted[firstIn]!)}`
      const high = lastIn === sorted.length - 1 ? '' : `<=${show(sorted[lastIn]!)}`
      return `${pkg}${[low, high].filter(Boolean).join(',')}`
    }
    if (size === candidates.length - 1) return `${pkg}!=${show(set.complement().first())}`
    const listed = sorted.filter((i) => set.has(i)).map(show)
    if (listed.length <= 5) return `${pkg} (${joinWords(listed, 'or')})`
    return `${pkg} (${listed.slice(0, 4).join(', ')} or ${listed.length - 4} other versions)`
  }

  external(fact: Incompat): string {
    const { cause } = fact
    const python = this.context.pythonVersion.toString()
    switch (cause.kind) {
      case 'root':
        return 'the requirements must be installed'
      case 'no-versions': {
        const pkg = fact.packages[0]!
        const set = fact.terms[0]!.set
        const universe = this.context.universes.get(splitPackage(pkg)[0])
        if (universe === undefined || universe.candidates.length === 0) return `there is no version of ${pkg}`
        const reasons = this.unusable(universe, set)
        if (set.count() === 1 && reasons.length > 0) return `${this.set(pkg, set, true)} cannot be used (${reasons.join('; ')})`
        const what = this.set(pkg, set, false)
        return reasons.length === 0 ? `there is no version of ${what}` : `no version of ${what} can be used (${reasons.join('; ')})`
      }
      case 'dependency':
        return this.dependency(fact, fact.terms[fact.packages.indexOf(cause.from)]?.set)
      case 'unavailable': {
        const { detail } = cause
        const pkg = fact.packages[0]!
        const set = fact.terms[0]!.set
        switch (detail.kind) {
          case 'constraint':
            return `your constraints require ${detail.text}`
          case 'requires-python':
            return `${this.set(pkg, set, true)} requires Python ${detail.specifier} (the target is Python ${python})`
          case 'unusable':
            return detail.reason
          default:
            return `${this.set(pkg, set, true)} cannot be used`
        }
      }
      default:
        return 'a conflict'
    }
  }

  /** "a 1.0 depends on b>=2" for a dependency fact, the depender restricted to `from`. */
  dependency(fact: Incompat, from: CandidateSet | undefined): string {
    const { cause } = fact
    if (cause.kind !== 'dependency') return this.external(fact)
    const { detail } = cause
    const who = cause.from === ROOT ? 'you require' : `${from === undefined ? cause.from : this.set(cause.from, from, true)} depends on`
    if (detail.kind === 'extra-base') {
      const toTerm = fact.terms[fact.packages.indexOf(cause.to)]
      return `${who} ${toTerm === undefined ? cause.to : this.set(cause.to, toTerm.set, false)}`
    }
    if (detail.kind !== 'requirement') return `${who} ${cause.to}`
    if (fact.packages.includes(cause.to) || cause.from === cause.to) return `${who} ${detail.text}`
    return `${who} ${detail.text} (${this.noMatch(detail.name, detail.requirement)})`
  }

  /** Why a requirement matches no candidate: none exist, or none of those there are. */
  private noMatch(name: string, requirement: Requirement): string {
    const universe = this.context.universes.get(name)
    if (universe === undefined || universe.candidates.length === 0) return `no versions of ${name} exist`
    return `${name} has only ${listVersions(this.sortedVersions(universe))}`
  }

  private unusable(universe: Universe, set: CandidateSet): string[] {
    const python: string[] = []
    const yanked: string[] = []
    const pre: string[] = []
    const ordered = [...set.indexes()].sort((a, b) => compareVersions(universe.candidates[a]!.version, universe.candidates[b]!.version))
    for (const i of ordered) {
      if (this.context.usable(universe, i)) continue
      const c = universe.candidates[i]!
      const v = c.version.toString()
      if (!universe.pythonOk[i]) python.push(`${v} requires Python ${c.requiresPython?.toString() ?? '?'}`)
      else if (universe.onlyFinal && universe.prerelease[i]) pre.push(v)
      else if (c.yanked) yanked.push(v)
    }
    const reasons: string[] = []
    const list = (items: string[]) => (items.length <= 5 ? joinWords(items) : `${items.slice(0, 4).join(', ')} and ${items.length - 4} more`)
    if (python.length > 0) reasons.push(`${list(python)}, but the target Python is ${this.context.pythonVersion.toString()}`)
    if (pre.length > 0) reasons.push(`${list(pre)} ${pre.length === 1 ? 'is a pre-release' : 'are pre-releases'}, excluded by --only-final`)
    if (yanked.length > 0) reasons.push(`${list(yanked)} ${yanked.length === 1 ? 'is' : 'are'} yanked, which only a pin with == allows`)
    return reasons
  }
}
