/**
 * `requirements`: parse 100,000 PEP 508 requirement strings with
 * @pipette/requirements and with PyPA packaging's `Requirement` (Debian's
 * python3-packaging 23.0) in the same run.
 *
 * The strings are a fixed, seeded mix of what index metadata and requirement
 * files contain: bare names, specifiers, extras, markers (simple and
 * compound) and direct URLs. Every side keeps all results alive (as a list
 * of objects) and times only its parse loop:
 * - `pipette`: a loop in this process (after a warm-up round, as a
 *   long-running resolver would be). Like packaging's Requirement, it checks
 *   the specifiers' syntax but builds the SpecifierSet (whose versions
 *   @pipette/pep440 parses) on first use;
 * - `pipette + specifiers`: the same, also building every `req.specifier`
 *   (more work than packaging's constructor does);
 * - `pipette (fresh process)`: a new Node process per round, so JIT warm-up is
 *   inside the timed loop;
 * - `packaging`: a new Python process per round, timing its loop with
 *   `time.perf_counter` (python/requirements_bench.py).
 */
import { spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { seededRandom } from '@pipette/test-support'
import { parseRequirement } from '@pipette/requirements'
import type { Benchmark, Sample } from '../runner.js'
import { systemPython } from '../paths.js'

const COUNT = 100_000
const SCRIPT = fileURLToPath(new URL('../../python/requirements_bench.py', import.meta.url))

const NAMES = ['requests', 'urllib3', 'Django', 'typing_extensions', 'zope.interface', 'numpy', 'python-dateutil', 'PyYAML', 'attrs', 'charset-normalizer']
const EXTRAS = ['socks', 'security', 'test', 'dev', 'docs']

/** The benchmark's input: COUNT requirement strings, the same in every run. */
export function requirementStrings(count = COUNT): string[] {
  const next = seededRandom(20240601)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!
  const version = () => `${Math.floor(next() * 5)}.${Math.floor(next() * 30)}${next() < 0.5 ? `.${Math.floor(next() * 10)}` : ''}`
  const strings: string[] = []
  for (let i = 0; i < count; i++) {
    const name = pick(NAMES)
    const r = next()
    if (r < 0.25) strings.push(name)
    else if (r < 0.5) strings.push(`${name}>=${version()}`)
    else if (r < 0.65) strings.push(`${name}[${pick(EXTRAS)}]>=${version()},<${version()}`)
    else if (r < 0.8) strings.push(`${name}==${version()}; python_version < "3.${Math.floor(next() * 13)}"`)
    else if (r < 0.9) {
      strings.push(`${name}~=${version()}.0; sys_platform == "win32" and (python_version >= "3.8" or extra == "${pick(EXTRAS)}")`)
    } else if (r < 0.95) strings.push(`${name} (!=${version()}, >${version()})`)
    else strings.push(`${name} @ https://files.example.com/${name}-${version()}.tar.gz`)
  }
  return strings
}

function run(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)))
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`${command} exited with ${code}:\n${stderr}`))))
  })
}

async function timedChild(command: string, args: readonly string[]): Promise<Sample> {
  const result = JSON.parse((await run(command, args)).trim().split('\n').at(-1)!) as { ms: number; count: number }
  if (result.count !== COUNT) throw new Error(`${command} parsed ${result.count} strings, expected ${COUNT}`)
  return { ms: result.ms }
}

const FRESH_NODE = `
const { parseRequirement } = await import(process.argv[1]);
const { readFileSync } = await import('node:fs');
const lines = readFileSync(process.argv[2], 'utf8').split('\\n').filter((l) => l !== '');
const start = performance.now();
const parsed = lines.map((line) => parseRequirement(line));
const ms = performance.now() - start;
console.log(JSON.stringify({ ms, count: parsed.length }));
`

export const requirements: Benchmark = {
  name: 'requirements',
  description: `parse ${COUNT.toLocaleString('en')} PEP 508 requirement strings: pipette vs packaging's Requirement`,
  subject: 'pipette',
  setup: async (context) => {
    const strings = requirementStrings()
    const file = join(context.workDir, 'requirements.txt')
    await writeFile(file, `${strings.join('\n')}\n`)
    const entry = fileURLToPath(import.meta.resolve('@pipette/requirements'))
    const inProcess = (withSpecifiers: boolean): Sample => {
      const start = performance.now()
      const parsed = withSpecifiers
        ? strings.map((line) => {
            const req = parseRequirement(line)
            void req.specifier
            return req
          })
        : strings.map((line) => parseRequirement(line))
      const ms = performance.now() - start
      if (parsed.length !== COUNT) throw new Error('pipette parsed a wrong number of strings')
      return { ms }
    }
    return [
      { name: 'pipette', warmup: async () => void inProcess(false), round: async () => inProcess(false) },
      { name: 'pipette + specifiers', warmup: async () => void inProcess(true), round: async () => inProcess(true) },
      { name: 'pipette (fresh process)', round: () => timedChild(process.execPath, ['--input-type=module', '-e', FRESH_NODE, entry, file]) },
      { name: 'packaging', round: () => timedChild(systemPython, [SCRIPT, file]) },
    ]
  },
  targets: { packaging: 10 },
}
