import { describe, expect, it } from 'vitest'
import { pipEnvironment } from '@pipette/fixtures'
import { pip, pipette } from './venv-helpers.js'

const env = await pipEnvironment()

/** pip 26 knows two PEP 639 fields pip 23.2.1 does not: take them out of ours to compare. */
function withoutPep639(report: { installed: Array<{ metadata: Record<string, unknown> }> }) {
  for (const dist of report.installed) {
    delete dist.metadata['license_expression']
    delete dist.metadata['license_file']
  }
  return report
}

describe('pipette inspect (differential against pip)', { timeout: 180_000 }, () => {
  it("prints pip's report", () => {
    const ours = pipette(['inspect', '--python', env.dir])
    const theirs = pip(['--python', env.python, 'inspect'])
    expect(ours.status).toBe(0)
    const oursReport = JSON.parse(ours.stdout) as { pip_version: string; installed: Array<{ metadata: Record<string, unknown> }> }
    const theirsReport = JSON.parse(theirs.stdout) as { pip_version: string }
    expect(oursReport.pip_version).toMatch(/^\d+\.\d+\.\d+/)
    oursReport.pip_version = theirsReport.pip_version
    expect(withoutPep639(oursReport)).toEqual(theirsReport)
    // Same text too: two-space indent, non-ASCII kept, key order.
    const text = `${JSON.stringify(withoutPep639(oursReport), null, 2)}\n`
    expect(text).toBe(`${JSON.stringify(JSON.parse(theirs.stdout), null, 2)}\n`)
    expect(ours.stdout).toContain('"summary": "Démo app ✓"')
    expect(theirs.stdout).toContain('"summary": "Démo app ✓"')
  })

  it('reports PEP 639 fields as pip 26 does', () => {
    const report = JSON.parse(pipette(['inspect', '--python', env.dir]).stdout) as { installed: Array<{ metadata: Record<string, unknown> }> }
    const modern = report.installed.find((d) => d.metadata['name'] === 'modern')!
    expect(modern.metadata).toMatchObject({ license_expression: 'MIT OR Apache-2.0', license_file: ['LICENSE'] })
  })
})
