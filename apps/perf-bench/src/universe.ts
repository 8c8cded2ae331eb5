/**
 * A realistic universe for the install benchmarks: an application whose
 * requirements pull in 47 distributions (a web framework, an HTTP client, a
 * CLI toolkit, an ORM, a task queue, cloud SDKs, their helpers), shaped like
 * a real project's: dependency chains a few levels deep, shared helpers
 * required by many, three published versions per project (the newest one is
 * chosen, older ones only lengthen the index pages), console scripts, and
 * sizes from a handful of files to several hundred (the "SDK" and "ORM"
 * packages, like botocore or sqlalchemy), about 3,400 files in all.
 * Deterministic: the same bytes every time.
 */
import { mkdir } from 'node:fs/promises'
import type { WheelDescription } from '@pipette/fixtures'
import { buildWheel } from '@pipette/fixtures'

interface Project {
  readonly name: string
  readonly requires: readonly string[]
  /** Python modules in the package. */
  readonly modules: number
  /** Console scripts. */
  readonly scripts?: readonly string[]
  /** Data files (JSON, like an SDK's service models). */
  readonly data?: number
}

const P = (name: string, requires: readonly string[], modules: number, extra: Partial<Project> = {}): Project => ({ name, requires, modules, ...extra })

export const UNIVERSE: readonly Project[] = [
  P('acme-app', ['acme-web>=2', 'acme-http>=2', 'acme-cli>=2', 'acme-orm>=2', 'acme-tasks>=2', 'acme-cloud>=2', 'acme-metrics>=1', 'acme-config>=1'], 30, { scripts: ['acme-app', 'acme-admin'] }),
  P('acme-web', ['acme-routing>=1', 'acme-templates>=2', 'acme-wsgi>=1', 'acme-signals>=1', 'acme-forms>=1', 'acme-i18n>=1'], 180),
  P('acme-routing', ['acme-text>=1'], 25),
  P('acme-templates', ['acme-markup>=1', 'acme-text>=1'], 60),
  P('acme-markup', [], 12),
  P('acme-wsgi', ['acme-text>=1'], 40, { scripts: ['acme-serve'] }),
  P('acme-signals', [], 6),
  P('acme-forms', ['acme-validate>=1', 'acme-i18n>=1'], 35),
  P('acme-validate', ['acme-typing-ext>=1'], 20),
  P('acme-i18n', ['acme-tz>=1'], 15, { data: 60 }),
  P('acme-tz', [], 8, { data: 120 }),
  P('acme-typing-ext', [], 3),
  P('acme-text', [], 10),
  P('acme-http', ['acme-urls>=1', 'acme-certs>=1', 'acme-charset>=1', 'acme-idna>=1'], 30),
  P('acme-urls', ['acme-idna>=1'], 45),
  P('acme-certs', [], 4, { data: 1 }),
  P('acme-charset', [], 40, { scripts: ['acme-charset-detect'] }),
  P('acme-idna', [], 8),
  P('acme-cli', ['acme-color>=1', 'acme-prompt>=1', 'acme-term>=1'], 25, { scripts: ['acme'] }),
  P('acme-color', [], 5),
  P('acme-prompt', ['acme-term>=1', 'acme-wcwidth>=1'], 90),
  P('acme-term', ['acme-wcwidth>=1'], 120),
  P('acme-wcwidth', [], 6),
  P('acme-orm', ['acme-greenlet>=1', 'acme-typing-ext>=1', 'acme-dbapi>=1'], 420),
  P('acme-greenlet', [], 10),
  P('acme-dbapi', [], 15),
  P('acme-tasks', ['acme-amqp>=1', 'acme-serialize>=1', 'acme-dateutil>=1', 'acme-cli>=1', 'acme-retry>=1'], 220, { scripts: ['acme-worker'] }),
  P('acme-amqp', ['acme-vine>=1'], 50),
  P('acme-vine', [], 8),
  P('acme-serialize', [], 12),
  P('acme-dateutil', ['acme-six>=1'], 18, { data: 2 }),
  P('acme-six', [], 1),
  P('acme-retry', [], 7),
  P('acme-cloud', ['acme-cloud-core>=2', 'acme-transfer>=1', 'acme-jmespath>=1'], 60),
  P('acme-cloud-core', ['acme-jmespath>=1', 'acme-dateutil>=1', 'acme-urls>=1'], 120, { data: 700 }),
  P('acme-transfer', ['acme-cloud-core>=1'], 30),
  P('acme-jmespath', [], 10, { scripts: ['acme-jp'] }),
  P('acme-metrics', ['acme-protobuf>=1', 'acme-wrapt>=1', 'acme-deprecated>=1'], 70),
  P('acme-protobuf', [], 110),
  P('acme-wrapt', [], 9),
  P('acme-deprecated', ['acme-wrapt>=1'], 4),
  P('acme-config', ['acme-yaml>=1', 'acme-toml>=1', 'acme-dotenv>=1', 'acme-attrs>=1'], 25),
  P('acme-yaml', [], 30),
  P('acme-toml', [], 6),
  P('acme-dotenv', ['acme-color>=1'], 9, { scripts: ['dotenv'] }),
  P('acme-attrs', [], 25),
  P('acme-packaging', [], 20),
  P('acme-pluggy', ['acme-packaging>=1'], 12),
]

/** The benchmark's requirement: the application plus two tools (as a requirements file would list them). */
export const UNIVERSE_REQUIREMENTS: readonly string[] = ['acme-app', 'acme-pluggy', 'acme-packaging>=1']

function moduleSource(project: string, index: number): string {
  const lines = [`"""${project}: module ${index}."""`, 'from __future__ import annotations', '', `VALUE = ${index}`, '']
  for (let f = 0; f < 12; f++) {
    lines.push(`def function_${f}(value: int, *, scale: int = ${f + 1}) -> int:`, `    """Scale value by ${f + 1} and add ${index}."""`, `    return value * scale + ${index}`, '')
  }
  lines.push(`class Thing${index}:`, '    def __init__(self, name: str) -> None:', '        self.name = name', '', '    def __repr__(self) -> str:', `        return f"Thing${index}({self.name!r})"`, '')
  return lines.join('\n')
}

function description(project: Project, version: string, newest: boolean): WheelDescription {
  const module = project.name.replace(/-/g, '_')
  const files: Record<string, string> = { [`${module}/__init__.py`]: `__version__ = "${version}"\n\ndef main() -> int:\n    print("${project.name} ${version}")\n    return 0\n` }
  const count = newest ? project.modules : Math.max(1, Math.floor(project.modules / 4))
  for (let i = 1; i < count; i++) files[`${module}/${i % 5 === 0 ? `sub${i % 3}/` : ''}mod_${i}.py`] = moduleSource(project.name, i)
  for (let i = 0; i < (newest ? (project.data ?? 0) : 0); i++) files[`${module}/data/model-${i}.json`] = `${JSON.stringify({ project: project.name, model: i, operations: Array.from({ length: 20 }, (_, k) => `Op${k}`) }, null, 1)}\n`
  for (const dir of new Set(Object.keys(files).map((f) => f.slice(0, f.lastIndexOf('/'))))) {
    if (!dir.includes('data') && files[`${dir}/__init__.py`] === undefined) files[`${dir}/__init__.py`] = ''
  }
  // Older versions require older dependencies (the resolver reads their metadata only if it must).
  const requires = newest ? project.requires : project.requires.map((r) => r.replace(/>=\d+$/, ''))
  return {
    name: project.name,
    version,
    summary: `${project.name}, a benchmark package`,
    requiresPython: '>=3.8',
    requires,
    files,
    entryPoints: project.scripts === undefined ? undefined : { console_scripts: Object.fromEntries(project.scripts.map((s) => [s, `${module}:main`])) },
  }
}

/** Builds every version of every project into `outDir` (wheels) and returns their paths. */
export async function buildUniverse(outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true })
  const paths: string[] = []
  for (const project of UNIVERSE) {
    for (const [version, newest] of [
      ['1.0.0', false],
      ['1.5.2', false],
      ['2.1.0', true],
    ] as const) {
      paths.push(await buildWheel(description(project, version, newest), { outDir }))
    }
  }
  return paths
}
