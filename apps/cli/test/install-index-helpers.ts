/**
 * A served index for the `pipette install` tests that resolve from indexes:
 * the example universe, universes that need backtracking, the real wheels
 * of /usr/share/python-wheels, and (when the corpus is present) a few packse
 * scenarios, all on one nginx.
 */
import { spawnSync } from 'node:child_process'
import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { IndexFileOptions, IndexManifest, IndexServer, PackseUniverse, WheelDescription } from '@pipette/fixtures'
import { BACKTRACKING_WHEELS, buildExampleIndex, buildPackseIndex, buildWheel, loadPackseScenarios, REAL_WHEELS_DIR, startIndexServer, writeIndex } from '@pipette/fixtures'
import { tempDir } from './index-helpers.js'

/**
 * - bt-*: bt-app 2.0 wants bt-lib==2.0, which wants bt-core<2, while bt-plugin
 *   wants bt-core>=2: only bt-app 1.0 (bt-lib 1.0) works;
 * - dx-*: dx-a 3.0 needs dx-b>=2, whose 2.0 pins dx-d==1.0, while dx-c needs
 *   dx-d>=2: two levels of backtracking end at dx-a 2.0, dx-b 1.0, dx-d 2.0;
 * - mk-*: markers and extras: mk-app[cli] with a Windows-only and an old-Python-only
 *   dependency that do not apply, an extra that pulls mk-cli, which has its own extra;
 * - up-*: two versions each, for upgrades.
 */
export const UNIVERSES: readonly WheelDescription[] = [
  ...BACKTRACKING_WHEELS,
  { name: 'dx-a', version: '2.0', requires: ['dx-b>=1', 'dx-c>=1'] },
  { name: 'dx-a', version: '3.0', requires: ['dx-b>=2', 'dx-c>=1'] },
  { name: 'dx-b', version: '1.0', requires: ['dx-d'] },
  { name: 'dx-b', version: '2.0', requires: ['dx-d==1.0'] },
  { name: 'dx-c', version: '1.0', requires: ['dx-d>=2'] },
  { name: 'dx-d', version: '1.0' },
  { name: 'dx-d', version: '2.0' },
  {
    name: 'mk-app',
    version: '1.0',
    requires: ['mk-win; sys_platform == "win32"', 'mk-old; python_version < "3.0"', 'mk-core>=1'],
    extras: { cli: ['mk-cli[color]>=1'] },
  },
  { name: 'mk-core', version: '1.0' },
  { name: 'mk-core', version: '1.1' },
  { name: 'mk-cli', version: '1.0', requires: ['mk-core>=1.1'], extras: { color: ['mk-color'] } },
  { name: 'mk-color', version: '0.5' },
  { name: 'mk-win', version: '1.0' },
  { name: 'mk-old', version: '1.0' },
  { name: 'up-a', version: '1.0', requires: ['up-b'] },
  { name: 'up-a', version: '2.0', requires: ['up-b>=2'] },
  { name: 'up-b', version: '1.0' },
  { name: 'up-b', version: '2.0' },
]

/** packse scenarios also run through the real CLI (the rest run in-process in @pipette/installer's tests). */
export const CLI_PACKSE = ['example-toml', 'backtrack-with-missing-package', 'package-only-yanked', 'extra-required', 'no-binary', 'local-simple'] as const

export interface InstallIndex {
  readonly server: IndexServer
  readonly root: string
  readonly dir: string
  readonly packse: readonly PackseUniverse[]
  readonly close: () => Promise<void>
}

function filesOf(manifest: IndexManifest, dir: string): IndexFileOptions[] {
  return manifest.projects.flatMap((project) => project.files.map((file) => ({ path: join(dir, 'files', file.fileName), yanked: file.yanked, metadata: file.metadataSha256 !== undefined })))
}

export async function serveInstallIndex(): Promise<InstallIndex> {
  const dir = tempDir('pipette-cli-install-index-')
  const files: IndexFileOptions[] = []
  files.push(...filesOf(await buildExampleIndex(join(dir, 'example')), join(dir, 'example')))
  for (const description of UNIVERSES) files.push({ path: await buildWheel(description, { outDir: join(dir, 'wheels') }) })
  try {
    for (const name of readdirSync(REAL_WHEELS_DIR)) if (name.endsWith('.whl')) files.push({ path: join(REAL_WHEELS_DIR, name) })
  } catch {
    // no Debian wheels here
  }
  let packse: readonly PackseUniverse[] = []
  try {
    const wanted = new Set<string>(CLI_PACKSE)
    const scenarios = (await loadPackseScenarios()).filter((s) => wanted.has(s.name) && s.file.endsWith('.toml'))
    const built = await buildPackseIndex(scenarios, { outDir: join(dir, 'packse'), naming: 'prefixed' })
    files.push(...filesOf(built.manifest, join(dir, 'packse')))
    packse = built.universes
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_FIXTURE_CORPUS') throw error
  }
  const root = join(dir, 'root')
  await writeIndex({ files, outDir: root })
  const server = await startIndexServer({ root })
  return {
    server,
    root,
    dir,
    packse,
    close: async () => {
      await server.stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A fresh `python -m venv --without-pip` environment. */
export function makeVenv(path: string, python = 'python3'): string {
  rmSync(path, { recursive: true, force: true })
  const r = spawnSync(python, ['-m', 'venv', '--without-pip', path], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`python -m venv failed: ${r.stderr}`)
  return path
}
