import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { configDefaults, configurationItems, loadConfiguration, OptionError, parseCommandLine } from '../src/index.js'
import type { OptionSpec } from '../src/index.js'
import { readTable } from './tables.js'

/** pip's own declarations of its install and list options (dumped by make_option_tables.py). */
const PIP_OPTIONS = JSON.parse(readFileSync(new URL('./fixtures/pip-options.json', import.meta.url), 'utf8')) as Record<string, Array<OptionSpec & { type: string | null; choices: string[] | null }>>
const specsOf = (command: string): OptionSpec[] =>
  (PIP_OPTIONS[command] ?? []).map((spec) => ({ ...spec, type: spec.type ?? undefined, choices: spec.choices ?? undefined, default: spec.default ?? undefined }) as OptionSpec)

type Expected = { values: Record<string, unknown>; args: string[] } | { exit: number; stdout: string; stderr: string }

/** What pipette's CLI prints for an OptionError, in the shape the table records pip's output. */
function asPipOutput(error: OptionError): { exit: number; stdout: string; stderr: string } {
  if (error.kind === 'configuration') return { exit: 3, stdout: `An error occurred during configuration: ${error.message}\n`, stderr: '' }
  return { exit: 2, stdout: '', stderr: error.kind === 'usage' ? `${error.message}\n` : error.message }
}

function run(command: string, env: Array<[string, string]>, config: string | null, argv: string[]): unknown {
  const environment: Record<string, string> = { HOME: '/home/case', PIP_CONFIG_FILE: config === null ? '/dev/null' : '/conf/pip.conf' }
  for (const [key, value] of env) environment[key] = value
  const specs = specsOf(command)
  try {
    const configuration = loadConfiguration({
      env: environment,
      home: '/home/case',
      sitePrefix: null,
      isolated: argv.includes('--isolated'),
      exists: (path) => path === '/conf/pip.conf' && config !== null,
      readFile: (path) => (path === '/conf/pip.conf' ? config : null),
    })
    const defaults = configDefaults({ specs, items: configurationItems(configuration), command, home: '/home/case' })
    const parsed = parseCommandLine({ specs, argv, defaults, home: '/home/case' })
    return { values: parsed.values, args: parsed.args }
  } catch (error) {
    if (error instanceof OptionError) return asPipOutput(error)
    throw error
  }
}

describe("pip's option semantics (cases generated from pip 23.2.1's parser)", () => {
  const rows = readTable('options.txt')
  it('has its cases', () => expect(rows.length).toBeGreaterThan(200))
  it.each(rows.map((row, index) => [index, ...row] as const))('case %i: %s %s %s %s', (_index, command, env, config, argv, expectedJson) => {
    const expected = JSON.parse(expectedJson as string) as Expected
    const actual = run(command as string, JSON.parse(env as string), config === "null" ? null : (config as string), JSON.parse(argv as string)) as Expected
    if ('values' in expected && 'values' in actual) {
      // pip stores switches from the configuration as 1/0 and leaves some defaults at None.
      const normalize = (value: unknown) => (value === null ? undefined : value === 1 || value === 0 ? Boolean(value) : value)
      for (const [dest, value] of Object.entries(expected.values)) {
        const ours = actual.values[dest]
        if (typeof ours === 'number' && typeof value === 'number') expect([dest, ours]).toEqual([dest, value])
        else expect([dest, normalize(ours)]).toEqual([dest, normalize(value)])
      }
      expect(actual.args).toEqual(expected.args)
    } else {
      expect(actual).toEqual(expected)
    }
  })
})
