import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Cache } from '@pipette/cache'
import { openCache } from '@pipette/cache'
import type { InterpreterInfo } from '@pipette/venv'
import { createVenv, findInterpreter, queryInterpreter, scanEnvironment } from '@pipette/venv'

let base: Promise<InterpreterInfo> | undefined

/** The machine's python3 (the base interpreter of the tests' environments). */
export function baseInterpreter(): Promise<InterpreterInfo> {
  base ??= findInterpreter({ python: 'python3', env: { ...process.env, VIRTUAL_ENV: undefined } }).then((found) => queryInterpreter(found.executable, { cacheDir: null }))
  return base
}

export interface Sandbox {
  readonly dir: string
  readonly cache: Cache
  /** A fresh virtual environment's interpreter. */
  venv(name?: string): Promise<InterpreterInfo>
  close(): Promise<void>
}

/** A temporary directory with a cache and helpers to make environments in it. */
export async function sandbox(): Promise<Sandbox> {
  const dir = await mkdtemp(join(tmpdir(), 'pipette-installer-test-'))
  const cache = await openCache({ dir: join(dir, 'cache') })
  let count = 0
  return {
    dir,
    cache,
    async venv(name = `venv${count++}`) {
      const created = await createVenv(join(dir, name), { interpreter: await baseInterpreter() })
      return queryInterpreter(created.executable, { cacheDir: null })
    },
    async close() {
      await cache.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** `name==version` of every distribution in an environment, sorted. */
export async function installedSet(info: InterpreterInfo): Promise<string[]> {
  const scan = await scanEnvironment(info)
  return scan.distributions
    .filter((d) => d.location === info.schemes.default.purelib || d.location === info.schemes.default.platlib)
    .map((d) => `${d.canonicalName}==${d.version}`)
    .sort()
}
