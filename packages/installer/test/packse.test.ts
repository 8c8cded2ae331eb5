/**
 * packse scenarios through the whole resolution pipeline: the scenario's
 * packages were built into real wheels and sdists on the shared nginx index
 * (test/support/index-server.setup.ts, names prefixed with the scenario's),
 * and each scenario is an `install({ dryRun: true })` for the scenario's
 * target Python (`pythonVersion`, not the machine's interpreter), with the
 * options pip was run with in pip-23.2.1-crosscheck.json.
 *
 * packse's `expected` is uv's behaviour; pipette follows pip, so the
 * expected outcome is pip's (the crosscheck's success and installed set),
 * with the exceptions the resolver's own corpus test lists, each with its
 * reason (pipette's choices are the resolver's: pip 26 pre-release rules,
 * PEP 685 extras, the target Python for Requires-Python). The 45 scenarios
 * that use uv-only options (universal resolution, platforms, required
 * environments, additional interpreters) are not run; `UV_ONLY` names why.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { corpusDir, loadPackseScenarios } from '@pipette/fixtures'
import type { PackseScenario } from '@pipette/fixtures'
import { ResolutionImpossibleError } from '@pipette/resolver'
import type { InterpreterInfo } from '@pipette/venv'
import { install } from '../src/index.js'
import type { Sandbox } from './support/helpers.js'
import { baseInterpreter, sandbox } from './support/helpers.js'

interface CrosscheckRow {
  readonly file: string
  readonly name: string
  readonly interpreter: string
  readonly pip_options: readonly string[]
  readonly pip_succeeded: boolean
  readonly pip_installed: Readonly<Record<string, string>>
}

/** pip 23.2.1 did not normalize requested extras (PEP 685); later pip does, as packse expects. */
const FOLLOW_PACKSE: Readonly<Record<string, string>> = {
  'extra-incompatible-with-extra': 'pip 23.2.1 extras-normalization bug (requested a[extra_b], metadata says extra-b); fixed in later pip',
  'extra-incompatible-with-extra-not-requested': 'pip 23.2.1 extras-normalization bug; fixed in later pip',
  'multiple-extras-required': 'pip 23.2.1 extras-normalization bug; fixed in later pip',
  // pip 23.2.1 checked the running interpreter (3.9) against metadata despite --python-version; pipette checks the target.
  'incompatible-python-compatible-override': 'pipette checks Requires-Python against the target Python it resolves for (packse agrees)',
}

/** Pre-releases as pip 26 (packaging 26) chooses them; pip 23.2.1 (packaging 21.3) differs here. Same list as the resolver's test. */
const PIP_26_PRERELEASES: Readonly<Record<string, { readonly reason: string; readonly packages: Readonly<Record<string, string>> }>> = {
  'package-only-prereleases-boundary': { reason: 'no final release satisfies a<0.2.0, so 0.1.0a1 is used', packages: { a: '0.1.0a1' } },
  'package-prereleases-specifier-boundary': { reason: 'a<0.2.0a2 names a pre-release, which opts in', packages: { a: '0.2.0a1' } },
  'transitive-package-only-prereleases-in-range-opt-in': { reason: "the user's b>0.0.0a1 opts b in", packages: { a: '0.1.0', b: '1.0.0a1' } },
  'package-only-prereleases-in-range': { reason: 'no final release satisfies a>0.1.0, so 1.0.0a1', packages: { a: '1.0.0a1' } },
  'transitive-prerelease-and-stable-dependency-many-versions-holes': {
    reason: "a's <2.0.0b5 names a pre-release, which opts c in; 2.0.0b4 satisfies both",
    packages: { a: '1.0.0', b: '1.0.0', c: '2.0.0b4' },
  },
  'transitive-package-only-prereleases-in-range': { reason: 'no final release satisfies b>0.1, so b 1.0.0a1', packages: { a: '0.1.0', b: '1.0.0a1' } },
}

const hasPackse = inject('packse')

function readCrosscheck(): CrosscheckRow[] {
  return (JSON.parse(readFileSync(join(corpusDir(), 'packse', 'pip-23.2.1-crosscheck.json'), 'utf8')) as { scenarios: CrosscheckRow[] }).scenarios
}

interface Options {
  readonly pre: boolean
  readonly formatOptions: Array<{ kind: 'only-binary' | 'no-binary'; value: string }>
  readonly pythonVersion: string | undefined
}

function pipOptions(args: readonly string[], prefix: string): Options {
  const formatOptions: Options['formatOptions'] = []
  let pre = false
  let pythonVersion: string | undefined
  const published = (name: string) => (name === ':all:' || name === ':none:' ? name : `${prefix}-${name}`)
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '--pre') pre = true
    else if (arg === '--no-binary') formatOptions.push({ kind: 'no-binary', value: published(args[++i]!) })
    else if (arg === '--only-binary') formatOptions.push({ kind: 'only-binary', value: published(args[++i]!) })
    else if (arg.startsWith('--only-binary=')) formatOptions.push({ kind: 'only-binary', value: published(arg.slice('--only-binary='.length)) })
    else if (arg === '--python-version') pythonVersion = args[++i]!
  }
  return { pre, formatOptions, pythonVersion }
}

describe.skipIf(!hasPackse)('packse scenarios through install --dry-run', () => {
  const rows = hasPackse ? readCrosscheck() : []
  let scenarios = new Map<string, PackseScenario>()
  let box: Sandbox
  let interpreter: InterpreterInfo
  beforeAll(async () => {
    scenarios = new Map((await loadPackseScenarios()).map((s) => [s.name, s]))
    box = await sandbox()
    interpreter = await baseInterpreter()
  })
  afterAll(async () => {
    await box?.close()
  })

  it('covers every scenario pip can express (the others use uv-only options)', async () => {
    const all = await loadPackseScenarios()
    // examples/example.json and .yaml restate the TOML example in other syntaxes.
    const uvOnly = all.filter((s) => s.file.endsWith('.toml') && !rows.some((r) => r.name === s.name))
    expect(uvOnly).toHaveLength(45)
    expect(rows).toHaveLength(103)
    for (const s of uvOnly) {
      const o = s.resolverOptions
      const uvSpecific = o.universal || o.pythonPlatform !== undefined || o.requiredEnvironments !== undefined || s.environment.additionalPython.length > 0
      expect(uvSpecific, `${s.name} is left out but uses no uv-only option`).toBe(true)
    }
  })

  it.each(rows.map((r) => [r.name, r] as const))('%s', async (name, row) => {
    const scenario = scenarios.get(name)!
    const options = pipOptions(row.pip_options, name)
    const interpreterVersion = row.interpreter.replace(/^CPython /, '')
    const requirements = scenario.root.requires.map((r) => r.replace(/^(\s*)([A-Za-z0-9][A-Za-z0-9._-]*)/, (_, space: string, n: string) => `${space}${name}-${n}`))
    const outcome = await install({
      interpreter,
      args: requirements,
      index: { indexUrl: inject('indexUrl') },
      cache: box.cache,
      dryRun: true,
      ignoreInstalled: true,
      pre: options.pre,
      formatOptions: options.formatOptions,
      pythonVersion: options.pythonVersion ?? interpreterVersion,
    }).then(
      (result) => ({ ok: true as const, result }),
      (error: unknown) => {
        if (!(error instanceof ResolutionImpossibleError)) throw error
        return { ok: false as const, error }
      },
    )
    const pip26 = PIP_26_PRERELEASES[name]
    const followPackse = FOLLOW_PACKSE[name] !== undefined
    const shouldSucceed = pip26 !== undefined ? true : followPackse ? scenario.expected.satisfiable : row.pip_succeeded
    expect(outcome.ok, outcome.ok ? 'resolved' : outcome.error.message).toBe(shouldSucceed)
    if (!outcome.ok) return
    const got = Object.fromEntries(outcome.result.resolution.packages.map((p) => [p.name.slice(name.length + 1), p.version.toString()]))
    if (pip26 !== undefined) expect(got, pip26.reason).toEqual(pip26.packages)
    else if (followPackse) {
      for (const [pkg, version] of Object.entries(scenario.expected.packages ?? {})) expect(got[pkg.toLowerCase().replace(/[-_.]+/g, '-')], FOLLOW_PACKSE[name]).toBe(version)
    } else expect(got).toEqual(row.pip_installed)
  })
})
