import { expect, it } from 'vitest'
import { parseVersion } from '@pipette/pep440'
import { parseRequirement } from '@pipette/requirements'
import { createMemoryProvider, resolve } from '../src/index.js'
import { linuxEnvironment } from './support/helpers.js'

// The example of the README, run as written.
it('README example', async () => {
  const provider = createMemoryProvider({
    app: { '1.0': { requires: ['requests>=2', 'rich; python_version >= "3.8"'] } },
    requests: { '2.31.0': { requires: ['urllib3<3,>=1.21.1'] }, '2.32.0': { requires: ['urllib3>=2'], requiresPython: '>=3.13' } },
    urllib3: { '1.26.18': {}, '2.2.1': {} },
    rich: { '13.7.0': {} },
  })
  const resolution = await resolve({
    requirements: ['app'].map((r) => parseRequirement(r)),
    constraints: [parseRequirement('urllib3<2')],
    provider,
    pythonVersion: parseVersion('3.12.1'),
    markerEnvironment: linuxEnvironment('3.12.1'),
  })
  const lines = resolution.packages.map((p) => `${p.name} ${p.version.toString()} <- ${p.requiredBy.map((r) => `${r.name ?? 'you'}: ${r.requirement}`).join(', ')}`)
  expect(lines).toEqual(['urllib3 1.26.18 <- requests: urllib3<3,>=1.21.1', 'requests 2.31.0 <- app: requests>=2', 'rich 13.7.0 <- app: rich', 'app 1.0 <- you: app'])
})
