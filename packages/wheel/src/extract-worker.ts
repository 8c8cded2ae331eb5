/**
 * An extraction worker (see extract-pool.ts): claims jobs from a shared
 * counter and extracts them until none are left or another thread failed.
 */
import { parentPort } from 'node:worker_threads'
import { extractOne, toFailure } from './extract-core.js'
import type { ExtractJob, ExtractOutcome } from './extract-core.js'

interface Task {
  readonly id: number
  readonly bytes: SharedArrayBuffer
  readonly control: SharedArrayBuffer
  readonly jobs: readonly ExtractJob[]
}

parentPort?.on('message', (task: Task) => {
  const view = new Uint8Array(task.bytes)
  const control = new Int32Array(task.control)
  const results: Array<[number, ExtractOutcome]> = []
  const made = new Set<string>()
  for (;;) {
    if (Atomics.load(control, 1) !== 0) break
    const index = Atomics.add(control, 0, 1)
    if (index >= task.jobs.length) break
    try {
      results.push([index, extractOne(view, task.jobs[index]!, made)])
    } catch (error) {
      Atomics.store(control, 1, 1)
      parentPort!.postMessage({ id: task.id, results, failure: { index, ...toFailure(error) } })
      return
    }
  }
  parentPort!.postMessage({ id: task.id, results })
})
