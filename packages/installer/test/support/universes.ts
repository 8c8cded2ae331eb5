/**
 * The tests' own universes (on the shared test index next to the example
 * and packse ones), and the real wheels of /usr/share/python-wheels.
 *
 * - `it-a`, `it-b`: two versions each, for upgrades and reinstalls
 *   (it-a 2.0 needs it-b>=2);
 * - `bt-*`: needs backtracking: bt-app 2.0 wants bt-lib==2.0, which needs
 *   bt-core<2, while bt-plugin (any version) wants bt-core>=2; only bt-app
 *   1.0 (bt-lib>=1) works, with bt-lib 1.0;
 * - `it-tool`: console and GUI scripts, `.data` scripts/headers/data, a
 *   `.pth` file, a namespace package, a non-ASCII file name;
 * - `it-plat`: a platform wheel for the running CPython and a pure one of
 *   the same version (the most specific tag wins);
 * - `it-sdist`: only a source distribution (built with the in-tree backend);
 * - `it-needs-build`: only a source distribution that needs build requirements.
 */
import { readdirSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { IndexFileOptions, WheelDescription } from '@pipette/fixtures'
import { BACKTRACKING_WHEELS, buildSdist, buildWheel, REAL_WHEELS_DIR } from '@pipette/fixtures'

const WHEELS: readonly WheelDescription[] = [
  { name: 'it-a', version: '1.0', requires: ['it-b'] },
  { name: 'it-a', version: '2.0', requires: ['it-b>=2'] },
  { name: 'it-b', version: '1.0' },
  { name: 'it-b', version: '2.0' },
  ...BACKTRACKING_WHEELS,
  {
    name: 'it-tool',
    version: '1.0',
    files: {
      'it_tool/__init__.py': 'def main():\n    print("it-tool ok")\n',
      'it_tool/données.txt': 'é\n',
      'it_tool/sub/__init__.py': '',
      'it_tool.pth': 'import sys\n',
      'it_ns/plugin/__init__.py': '',
    },
    data: {
      scripts: { 'it-fix': '#!python\nprint("fixed")\n', 'it-sh': '#!/bin/sh\necho sh\n' },
      headers: { 'it.h': '#define IT 1\n' },
      data: { 'share/it/readme.txt': 'data\n' },
      purelib: { 'it_extra.py': 'P = 1\n' },
    },
    entryPoints: { console_scripts: { 'it-tool': 'it_tool:main' }, gui_scripts: { 'it-gui': 'it_tool:main' } },
  },
  { name: 'it-plat', version: '1.0', files: { 'it_plat/__init__.py': 'KIND = "pure"\n' } },
]

/** Builds the universes into `dir` and returns the files for `writeIndex`. */
export async function buildTestUniverses(dir: string): Promise<IndexFileOptions[]> {
  await mkdir(dir, { recursive: true })
  const files: IndexFileOptions[] = []
  for (const description of WHEELS) files.push({ path: await buildWheel(description, { outDir: dir }) })
  files.push({
    path: await buildWheel(
      { name: 'it-plat', version: '1.0', tag: 'cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64', rootIsPurelib: false, files: { 'it_plat/__init__.py': 'KIND = "platform"\n' } },
      { outDir: dir },
    ),
  })
  files.push({ path: await buildSdist({ name: 'it-sdist', version: '1.0', requires: ['it-b'] }, { outDir: dir }) })
  files.push({
    path: await buildSdist(
      { name: 'it-needs-build', version: '1.0', pyproject: '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n' },
      { outDir: dir },
    ),
  })
  try {
    for (const name of readdirSync(REAL_WHEELS_DIR)) if (name.endsWith('.whl')) files.push({ path: join(REAL_WHEELS_DIR, name) })
  } catch {
    // no Debian wheels on this machine
  }
  return files
}
