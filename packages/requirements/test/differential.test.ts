/**
 * The differential test against PyPA packaging 23.0 (/usr/bin/python3).
 *
 * test/oracle/pep508_oracle.py generates random requirement strings and
 * marker expressions from a fixed seed (valid and invalid: odd spacing,
 * parentheses, extras, URLs, legacy variable names, reversed operands, bad
 * escapes, random mutations) and prints packaging's answer for each one. Here
 * every answer is compared: validity, the syntax error's reason and span,
 * name, extras, str(specifier), url, str(marker), str(req), and the marker's
 * value (or error class) in five environments. Any difference fails the test
 * and is listed.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { InvalidMarkerError, InvalidRequirementError, MarkerEvaluationError, parseMarker, parseRequirement } from '../src/index.js'
import type { Marker, MarkerEnvironmentInput } from '../src/index.js'

const PYTHON = '/usr/bin/python3'
const ORACLE = fileURLToPath(new URL('./oracle/pep508_oracle.py', import.meta.url))
const SEED = process.env['PIPETTE_DIFF_SEED'] ?? '20240601'
const COUNT = process.env['PIPETTE_DIFF_COUNT'] ?? '6000'
const MUTATION = process.env['PIPETTE_DIFF_MUTATION'] ?? '0.06'

type EvalResult = boolean | string

interface OracleCase {
  kind: 'requirement' | 'marker'
  input: string
  ok: boolean
  error?: string
  reason?: string | null
  span?: [number, number] | null
  name?: string
  extras?: string[]
  specifier?: string
  url?: string | null
  marker?: string | null
  str?: string
  evals?: EvalResult[] | null
}

/** packaging's exception class names for our evaluation errors. */
const EVALUATION_ERROR_NAMES: Record<string, string> = {
  'undefined-comparison': 'UndefinedComparison',
  'invalid-version': 'InvalidVersion',
  'undefined-name': 'KeyError',
}

function evaluateAll(marker: Marker, environments: readonly MarkerEnvironmentInput[]): EvalResult[] {
  return environments.map((environment) => {
    try {
      return marker.evaluate(environment)
    } catch (error) {
      if (error instanceof MarkerEvaluationError) return EVALUATION_ERROR_NAMES[error.reason]!
      throw error
    }
  })
}

function syntaxError(error: unknown): { reason: string | null; span: [number, number] | null } {
  if (error instanceof InvalidRequirementError || error instanceof InvalidMarkerError) {
    return { reason: error.reason, span: [...error.span] }
  }
  throw error
}

/** What we answer, in the oracle's shape (only the fields the oracle case has). */
function ours(c: OracleCase, environments: readonly MarkerEnvironmentInput[]): Partial<OracleCase> {
  if (c.kind === 'requirement') {
    try {
      const req = parseRequirement(c.input)
      return {
        ok: true,
        name: req.name,
        extras: [...req.extras],
        specifier: String(req.specifier),
        url: req.url,
        marker: req.marker === null ? null : String(req.marker),
        str: String(req),
        evals: req.marker === null ? null : evaluateAll(req.marker, environments),
      }
    } catch (error) {
      return { ok: false, ...syntaxError(error) }
    }
  }
  try {
    const marker = parseMarker(c.input)
    return { ok: true, marker: String(marker), evals: evaluateAll(marker, environments) }
  } catch (error) {
    return { ok: false, ...syntaxError(error) }
  }
}

/** The oracle's answer restricted to what we can compare. */
function theirs(c: OracleCase): Partial<OracleCase> {
  if (!c.ok) {
    // packaging's own syntax errors carry a reason and span; URL checks, literal_eval
    // and specifier errors are other exception classes: we compare validity only.
    return c.reason !== null ? { ok: false, reason: c.reason!, span: c.span! } : { ok: false }
  }
  const { kind: _kind, input: _input, raw_specifier: _raw, ...rest } = c as OracleCase & { raw_specifier?: string }
  return rest
}

describe('differential test against packaging 23.0', () => {
  it(`agrees on ${COUNT} requirements and ${COUNT} markers (seed ${SEED})`, () => {
    expect(existsSync(PYTHON), `${PYTHON} with python3-packaging is needed (scripts/setup.sh installs it)`).toBe(true)
    const run = spawnSync(PYTHON, [ORACLE, SEED, COUNT, COUNT, MUTATION], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
    expect(run.status, run.stderr).toBe(0)
    const lines = run.stdout.trim().split('\n')
    const header = JSON.parse(lines[0]!) as { environments: MarkerEnvironmentInput[] }
    const cases = lines.slice(1).map((line) => JSON.parse(line) as OracleCase)
    expect(cases.filter((c) => c.kind === 'requirement').length).toBeGreaterThanOrEqual(5000)
    expect(cases.filter((c) => c.kind === 'marker').length).toBeGreaterThanOrEqual(5000)
    const differences: string[] = []
    const counts = { valid: 0, invalid: 0, evaluations: 0 }
    for (const c of cases) {
      const expected = theirs(c)
      let actual = ours(c, header.environments)
      if (expected.reason === undefined && actual.ok === false) actual = { ok: false }
      if (c.ok) counts.valid++
      else counts.invalid++
      counts.evaluations += c.evals?.length ?? 0
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        differences.push(`${c.kind} ${JSON.stringify(c.input)}\n    packaging: ${JSON.stringify(expected)}\n    pipette:   ${JSON.stringify(actual)}`)
      }
    }
    expect(counts.valid).toBeGreaterThan(1000)
    expect(counts.invalid).toBeGreaterThan(1000)
    expect(differences.slice(0, 20).join('\n'), `${differences.length} differences`).toBe('')
  }, 180_000)
})
