/**
 * One index for every test of the package, served by one nginx: the example
 * universe (@pipette/fixtures' buildExampleIndex), every packse scenario
 * (names prefixed with the scenario's) and a few universes of the tests'
 * own (test/support/universes.ts), written as one index by writeIndex.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import type { IndexFileOptions, IndexManifest } from '@pipette/fixtures'
import { buildExampleIndex, buildPackseIndex, loadPackseScenarios, startIndexServer, writeIndex } from '@pipette/fixtures'
import { buildTestUniverses } from './universes.js'

declare module 'vitest' {
  export interface ProvidedContext {
    indexUrl: string
    indexRoot: string
    packse: boolean
  }
}

function filesOf(manifest: IndexManifest, dir: string): IndexFileOptions[] {
  return manifest.projects.flatMap((project) =>
    project.files.map((file) => ({
      path: join(dir, 'files', file.fileName),
      yanked: file.yanked,
      metadata: file.metadataSha256 !== undefined,
    })),
  )
}

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = await mkdtemp(join(tmpdir(), 'pipette-installer-index-'))
  const files: IndexFileOptions[] = []
  const example = await buildExampleIndex(join(root, 'example'))
  files.push(...filesOf(example, join(root, 'example')))
  let packse = false
  try {
    const scenarios = await loadPackseScenarios()
    const built = await buildPackseIndex(scenarios, { outDir: join(root, 'packse'), naming: 'prefixed' })
    files.push(...filesOf(built.manifest, join(root, 'packse')))
    packse = true
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_FIXTURE_CORPUS') throw error
  }
  files.push(...(await buildTestUniverses(join(root, 'universes'))))
  await writeIndex({ files, outDir: join(root, 'index') })
  const server = await startIndexServer({ root: join(root, 'index') })
  project.provide('indexUrl', server.indexUrl)
  project.provide('indexRoot', join(root, 'index'))
  project.provide('packse', packse)
  return async () => {
    await server.stop()
    await rm(root, { recursive: true, force: true })
  }
}
