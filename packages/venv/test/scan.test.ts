import { describe, expect, it } from 'vitest'
import { metadataToJson, queryInterpreter, scanEnvironment } from '../src/index.js'
import { pipEnvironment } from '@pipette/fixtures'
import { run, tempDir } from './helpers.js'

/** What pip's own metadata layer sees, run inside the environment's interpreter. */
const PIP_VIEW = `
import json
from pip._internal.metadata import get_default_environment
out = []
for d in get_default_environment().iter_all_distributions():
    out.append([d.raw_name, d.metadata.get('Version'), d.canonical_name, d.location, d.info_location, d.installer, d.requested,
                d.editable_project_location, d.local, d.in_usersite, d.metadata_dict])
print(json.dumps(out))
`

describe('scanEnvironment', () => {
  it("sees what pip's metadata layer sees, in the same order", async () => {
    const env = await pipEnvironment()
    const info = await queryInterpreter(env.python, { cacheDir: tempDir() })
    const scan = await scanEnvironment(info)
    // The pip installed in the environment (23.0.1, from /usr/share/python-wheels) answers for itself.
    const theirs = JSON.parse(run(env.python, ['-c', PIP_VIEW])) as unknown[][]
    const ours = scan.distributions.map((d) => [
      d.name,
      d.version,
      d.canonicalName,
      d.location,
      d.infoPath,
      d.installer,
      d.requested,
      d.editableProjectLocation,
      d.local,
      d.inUserSite,
      metadataToJson(d.metadata),
    ])
    // pip 23.2.1 does not know the PEP 639 fields pip 26 reports.
    for (const row of ours) {
      const json = row[10] as Record<string, unknown>
      delete json['license_expression']
      delete json['license_file']
    }
    expect(ours).toEqual(theirs)
    expect(scan.warnings).toEqual([`Ignoring invalid distribution ~ip (${env.sitePackages})`])
  })
})
