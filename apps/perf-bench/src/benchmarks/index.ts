import type { Benchmark } from '../runner.js'
import { startup } from './startup.js'

export const benchmarks: readonly Benchmark[] = [startup]
