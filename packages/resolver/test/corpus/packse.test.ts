import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse as parseToml } from 'smol-toml'
import { describe, expect, it } from 'vitest'
import type { MemoryUniverse, MemoryVersion } from '../../src/index.js'
import { createMemoryProvider, resolve, ResolutionImpossibleError } from '../../src/index.js'
import { canonicalizeName, parseRequirement, parseVersion } from '../../src/compat.js'
import { CORPUS, corpusTitle, readJson, verifyResolution } from '../support/corpus.js'
import { linuxEnvironment } from '../support/helpers.js'

// packse scenarios (see packse/FORMAT.md), the 103 that pip can express.
// packse's `expected` is uv's behaviour; pipette follows pip, so the expected
// outcome is pip 23.2.1's (pip-23.2.1-crosscheck.json: success and the exact
// set it would install), run with the same options and target Python as
// there. The exceptions are listed below with the reason.

interface PackseVersion {
  readonly requires?: readonly string[]
  readonly extras?: Readonly<Record<string, readonly string[]>>
  readonly requires_python?: string
  readonly sdist?: boolean
  readonly wheel?: boolean
  readonly wheel_tags?: readonly string[]
  readonly yanked?: boolean
}
interface PackseScenario {
  readonly name: string
  readonly root: { readonly requires: readonly string[] }
  readonly packages: Readonly<Record<string, { readonly versions?: Readonly<Record<string, PackseVersion>> }>>
  readonly expected: { readonly satisfiable: boolean; readonly packages?: Readonly<Record<string, string>> }
}
interface CrosscheckRow {
  readonly file: string
  readonly name: string
  readonly interpreter: string
  readonly pip_options: readonly string[]
  readonly pip_succeeded: boolean
  readonly pip_installed: Readonly<Record<string, string>>
  readonly disagreement_kind: string | null
}

/**
 * Where pipette does not give pip 23.2.1's answer, and why. pip 23.2.1 did not
 * normalize requested extra names (PEP 685); later pip does, so there pipette
 * follows packse (uv), whose expectation is the fixed behaviour.
 */
const FOLLOW_PACKSE: Readonly<Record<string, string>> = {
  'extra-incompatible-with-extra': 'pip 23.2.1 extras-normalization bug (requested a[extra_b], metadata says extra-b); fixed in later pip',
  'extra-incompatible-with-extra-not-requested': 'pip 23.2.1 extras-normalization bug; fixed in later pip',
  'multiple-extras-required': 'pip 23.2.1 extras-normalization bug; fixed in later pip',
}

/**
 * `resolver_options.python` scenarios are run as pip had to run them:
 * `--python-version X --only-binary=:all: --target`. Under those options three
 * of them are unsatisfiable for pip and pipette alike (the only files are
 * sdists or incompatible wheels). In this one pip 23.2.1 still checked the
 * metadata's Requires-Python against the running interpreter (3.9) and
 * failed; pipette checks the target Python it resolves for (3.11), which is
 * packse's expectation.
 */
const TARGET_PYTHON: Readonly<Record<string, string>> = {
  'incompatible-python-compatible-override': 'pip checks the running interpreter despite --python-version',
}

/**
 * Pre-releases: pipette follows pip 26, whose vendored packaging 26 applies
 * PEP 440 (a pre-release is used when no final release satisfies the
 * specifiers; any operator but `!=` and `==X.*` naming a pre-release opts in).
 * pip 23.2.1's packaging 21.3 did neither, so for these the crosscheck is not
 * the expectation; the outcome below is derived from packaging 26's rule.
 */
const PIP_26_PRERELEASES: Readonly<Record<string, { readonly reason: string; readonly packages: Readonly<Record<string, string>> }>> = {
  'package-only-prereleases-boundary': {
    reason: 'no final release satisfies a<0.2.0, so 0.1.0a1 is used (packse agrees; pip 23.2.1 failed)',
    packages: { a: '0.1.0a1' },
  },
  'package-prereleases-specifier-boundary': {
    reason: 'a<0.2.0a2 names a pre-release, which opts in under packaging 26 (packse agrees; pip 23.2.1 took 0.1.0)',
    packages: { a: '0.2.0a1' },
  },
  'transitive-package-only-prereleases-in-range-opt-in': {
    reason: 'the user\'s b>0.0.0a1 opts b in under packaging 26 (packse agrees; pip 23.2.1 failed)',
    packages: { a: '0.1.0', b: '1.0.0a1' },
  },
  'package-only-prereleases-in-range': {
    reason: 'no final release satisfies a>0.1.0, so packaging 26 admits 1.0.0a1 (FORMAT.md quotes exactly this filter); packse (uv) and pip 23.2.1 fail',
    packages: { a: '1.0.0a1' },
  },
  'transitive-prerelease-and-stable-dependency-many-versions-holes': {
    reason: 'a\'s <2.0.0b5 names a pre-release, which opts c in under packaging 26, and 2.0.0b4 satisfies both requirements; packse (uv) and pip 23.2.1 fail',
    packages: { a: '1.0.0', b: '1.0.0', c: '2.0.0b4' },
  },
  'transitive-package-only-prereleases-in-range': {
    reason: 'no final release satisfies b>0.1, so packaging 26 admits b 1.0.0a1; packse (uv) and pip 23.2.1 fail',
    packages: { a: '0.1.0', b: '1.0.0a1' },
  },
}

/** Tags a CPython `major.minor` on Linux x86_64 (glibc 2.36) accepts, enough for the tags packse uses. */
function compatibleTag(tag: string, python: string): boolean {
  const [major, minor] = python.split('.')
  const cp = `cp${major}${minor}`
  return tag.split('-').length === 3 && (() => {
    const [py, abi, platform] = tag.split('-') as [string, string, string]
    const pyOk = py.split('.').some((p) => p === 'py3' || p === `py${major}${minor}` || p === cp)
    const abiOk = abi.split('.').some((a) => a === 'none' || a === cp || a === 'abi3')
    const platformOk = platform.split('.').some((p) => p === 'any' || /^(manylinux_2_(\d+)|manylinux2014|manylinux2010|manylinux1|linux)_x86_64$/.test(p))
    return pyOk && abiOk && platformOk
  })()
}

interface Options {
  readonly pre: boolean
  readonly noBinary: ReadonlySet<string>
  readonly onlyBinary: ReadonlySet<string>
  readonly targetPython: string | undefined
}

function pipOptions(args: readonly string[]): Options {
  const noBinary = new Set<string>()
  const onlyBinary = new Set<string>()
  let pre = false
  let targetPython: string | undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '--pre') pre = true
    else if (arg === '--no-binary') noBinary.add(args[++i]!)
    else if (arg === '--only-binary') onlyBinary.add(args[++i]!)
    else if (arg === '--only-binary=:all:') onlyBinary.add(':all:')
    else if (arg === '--python-version') targetPython = args[++i]!
  }
  return { pre, noBinary, onlyBinary, targetPython }
}

/** The provider's job for this harness: which files of a version exist and can be used (tags, --no-binary, --only-binary). */
function toUniverse(scenario: PackseScenario, options: Options, python: string): MemoryUniverse {
  const universe: Record<string, Record<string, MemoryVersion>> = {}
  for (const [name, pkg] of Object.entries(scenario.packages)) {
    universe[name] = {}
    const binaryAllowed = !options.noBinary.has(name) && !options.noBinary.has(':all:')
    const sourceAllowed = !options.onlyBinary.has(name) && !options.onlyBinary.has(':all:')
    for (const [version, data] of Object.entries(pkg.versions ?? {})) {
      const tags = data.wheel_tags === undefined || data.wheel_tags.length === 0 ? ['py3-none-any'] : data.wheel_tags
      const wheel = (data.wheel ?? true) && binaryAllowed && tags.some((t) => compatibleTag(t, python))
      const sdist = (data.sdist ?? true) && sourceAllowed
      if (!wheel && !sdist) continue
      universe[name][version] = {
        requires: data.requires ?? [],
        extras: data.extras,
        requiresPython: data.requires_python ?? '>=3.12',
        yanked: data.yanked === true,
        distribution: wheel ? 'wheel' : 'sdist',
      }
    }
  }
  return universe
}

const rows = CORPUS === undefined ? [] : readJson<{ scenarios: CrosscheckRow[] }>('packse', 'pip-23.2.1-crosscheck.json').scenarios

describe.skipIf(CORPUS === undefined)(corpusTitle('packse scenarios (pip-expressible)'), () => {
  it.each(rows.map((r) => [r.name, r] as const))('%s', async (_, row) => {
    const scenario = parseToml(readFileSync(join(CORPUS!, 'packse', 'scenarios', row.file), 'utf8')) as unknown as PackseScenario
    const options = pipOptions(row.pip_options)
    const interpreter = row.interpreter.replace(/^CPython /, '')
    const target = options.targetPython ?? interpreter
    const provider = createMemoryProvider(toUniverse(scenario, options, target))
    const environment = linuxEnvironment(interpreter)
    const roots = scenario.root.requires.map((r) => parseRequirement(r))
    const outcome = await resolve({
      requirements: roots,
      provider,
      pythonVersion: parseVersion(target),
      markerEnvironment: environment,
      pre: options.pre,
    }).then(
      (resolution) => ({ ok: true as const, resolution }),
      (error: unknown) => {
        if (!(error instanceof ResolutionImpossibleError)) throw error
        return { ok: false as const, error }
      },
    )
    const pip26 = PIP_26_PRERELEASES[row.name]
    const followPackse = FOLLOW_PACKSE[row.name] !== undefined || TARGET_PYTHON[row.name] !== undefined
    const shouldSucceed = pip26 !== undefined ? true : followPackse ? scenario.expected.satisfiable : row.pip_succeeded
    expect(outcome.ok, outcome.ok ? 'resolved' : outcome.error.message).toBe(shouldSucceed)
    if (!outcome.ok) return
    expect(await verifyResolution(outcome.resolution, roots, provider, environment)).toEqual([])
    const got = Object.fromEntries(outcome.resolution.packages.map((p) => [p.name, p.version.toString()]))
    if (pip26 !== undefined) {
      expect(got, pip26.reason).toEqual(pip26.packages)
    } else if (followPackse) {
      for (const [name, version] of Object.entries(scenario.expected.packages ?? {})) expect(got[canonicalizeName(name)]).toBe(version)
    } else {
      expect(got).toEqual(row.pip_installed)
    }
  })
})
