import type { Benchmark } from '../runner.js'
import { download, downloadWarm } from './download.js'
import { installCold, installColdCompile, installWarm, installWarmCompile, resolveBench } from './install-index.js'
import { installLocal, installLocalCompile } from './install-local.js'
import { pep440 } from './pep440.js'
import { requirements } from './requirements.js'
import { resolveMemory } from './resolve-memory.js'
import { startup } from './startup.js'
import { venvBenchmark } from './venv.js'

export const benchmarks: readonly Benchmark[] = [startup, requirements, resolveMemory, installLocal, installLocalCompile, venvBenchmark, pep440, download, downloadWarm, installCold, installColdCompile, installWarm, installWarmCompile, resolveBench]
