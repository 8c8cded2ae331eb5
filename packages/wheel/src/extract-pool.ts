/**
 * Extraction with worker threads: members are written concurrently by the
 * main thread and a few workers, each doing synchronous inflate-verify-write
 * (extract-core.ts). The wheel's bytes are in shared memory and the threads
 * claim jobs from a shared counter, so a worker that starts late simply takes
 * fewer jobs, and the first failure stops every thread at its next claim.
 * Workers start on first use and serve every wheel of an install. The main
 * thread lets the event loop run every 10 ms, so that compile workers get
 * their next files while a large wheel is extracted.
 */
import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { extractOne, fromFailure, toFailure } from './extract-core.js'
import type { ExtractFailure, ExtractJob, ExtractOutcome } from './extract-core.js'

export interface Extractor {
  /** Extracts every job; resolves to their outcomes in job order, or rejects with the first failure. */
  run(bytes: SharedArrayBuffer, jobs: readonly ExtractJob[]): Promise<ExtractOutcome[]>
  close(): Promise<void>
}

/** The main thread extracts for at most this long before letting other work run. */
const YIELD_MS = 10

/** Below this many jobs the main thread works alone (starting a worker costs more). */
const WORKER_THRESHOLD = 64

const here = import.meta.url
// From the compiled package the worker sits next to this module; from the sources (tests), in dist.
const workerPath = fileURLToPath(here.endsWith('.ts') ? new URL('../dist/extract-worker.js', here) : new URL('./extract-worker.js', here))

interface Reply {
  readonly id: number
  readonly results: ReadonlyArray<readonly [number, ExtractOutcome]>
  readonly failure?: ExtractFailure & { readonly index: number }
}

/** An extractor with `workers` helper threads (default: CPUs - 1, at most 3; 0: main thread only). */
export function createExtractor(options: { readonly workers?: number | undefined } = {}): Extractor {
  const size = existsSync(workerPath) ? Math.max(0, options.workers ?? Math.min(3, availableParallelism() - 1)) : 0
  const workers: Worker[] = []
  let nextId = 0
  const pending = new Map<number, (reply: Reply) => void>()

  const worker = (index: number): Worker => {
    let w = workers[index]
    if (w === undefined) {
      w = new Worker(workerPath)
      w.on('message', (reply: Reply) => {
        const done = pending.get(reply.id)
        pending.delete(reply.id)
        done?.(reply)
      })
      w.on('error', (error) => {
        for (const [id, done] of pending) {
          pending.delete(id)
          done({ id, results: [], failure: { index: -1, ...toFailure(error) } })
        }
      })
      workers[index] = w
    }
    return w
  }

  return {
    async run(bytes, jobs) {
      const outcomes = new Array<ExtractOutcome>(jobs.length)
      const control = new SharedArrayBuffer(8)
      const counters = new Int32Array(control)
      const helpers = jobs.length < WORKER_THRESHOLD ? 0 : size
      const replies: Array<Promise<Reply>> = []
      for (let i = 0; i < helpers; i++) {
        const id = nextId++
        replies.push(new Promise<Reply>((resolve) => pending.set(id, resolve)))
        worker(i).postMessage({ id, bytes, control, jobs })
      }
      let failure: (ExtractFailure & { index: number }) | undefined
      const view = new Uint8Array(bytes)
      const made = new Set<string>()
      let slice = performance.now()
      for (;;) {
        if (Atomics.load(counters, 1) !== 0) break
        // Let the event loop run now and then (compile workers waiting for their next batch).
        if (performance.now() - slice > YIELD_MS) {
          await new Promise((resolve) => setImmediate(resolve))
          slice = performance.now()
        }
        const index = Atomics.add(counters, 0, 1)
        if (index >= jobs.length) break
        try {
          outcomes[index] = extractOne(view, jobs[index]!, made)
        } catch (error) {
          Atomics.store(counters, 1, 1)
          failure = { index, ...toFailure(error) }
          break
        }
      }
      for (const reply of await Promise.all(replies)) {
        for (const [index, outcome] of reply.results) outcomes[index] = outcome
        if (reply.failure !== undefined && (failure === undefined || reply.failure.index < failure.index)) failure = reply.failure
      }
      if (failure !== undefined) {
        const job = jobs[failure.index]
        throw fromFailure(failure, job === undefined ? 'a file' : `${job.name} to ${job.dest}`)
      }
      return outcomes
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()))
      workers.length = 0
    },
  }
}
