import type { Candidate, MemoryProviderOptions, MemoryUniverse, Resolution, ResolveOptions } from '../../src/index.js'
import { createMemoryProvider, resolve } from '../../src/index.js'
import { parseRequirement, parseVersion } from '../../src/compat.js'

/** A CPython 3.12.1 on Linux x86_64 marker environment. */
export function linuxEnvironment(python = '3.12.1'): Record<string, string> {
  const [major, minor] = python.split('.')
  return {
    implementation_name: 'cpython',
    implementation_version: python,
    os_name: 'posix',
    platform_machine: 'x86_64',
    platform_python_implementation: 'CPython',
    platform_release: '6.1.0',
    platform_system: 'Linux',
    platform_version: '#1 SMP',
    python_full_version: python,
    python_version: `${major}.${minor}`,
    sys_platform: 'linux',
  }
}

export interface Scenario extends Partial<Omit<ResolveOptions, 'requirements' | 'constraints' | 'provider' | 'pythonVersion' | 'installed'>> {
  readonly requirements: readonly string[]
  readonly constraints?: readonly string[]
  readonly python?: string
  readonly installed?: Readonly<Record<string, string>>
  readonly provider?: MemoryProviderOptions
}

export async function resolveIn(universe: MemoryUniverse, scenario: Scenario): Promise<Resolution> {
  const python = scenario.python ?? '3.12.1'
  const provider = createMemoryProvider(universe, scenario.provider)
  const installed: Candidate[] = []
  for (const [name, version] of Object.entries(scenario.installed ?? {})) {
    const data = universe[name]?.[version] ?? {}
    const fromIndex = (await provider.candidates(name)).find((c) => c.version.toString() === version)
    installed.push({ ...(fromIndex ?? { name, handle: { data } }), version: parseVersion(version), installed: true, distribution: 'installed' })
  }
  return resolve({
    ...scenario,
    requirements: scenario.requirements.map((r) => parseRequirement(r)),
    constraints: (scenario.constraints ?? []).map((r) => parseRequirement(r)),
    provider,
    pythonVersion: parseVersion(python),
    markerEnvironment: scenario.markerEnvironment ?? linuxEnvironment(python),
    installed,
  })
}

/** name -> version of a resolution. */
export function pins(resolution: Resolution): Record<string, string> {
  return Object.fromEntries(resolution.packages.map((p) => [p.name, p.version.toString()]))
}
