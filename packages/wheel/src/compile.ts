/**
 * Bytecode compilation with a pool of long-lived Python processes.
 *
 * pip compiles each installed `.py` file with
 * `compileall.compile_file(path, force=True, quiet=...)` inside its own
 * process, with warnings silenced. Starting an interpreter per file would cost
 * far more than the compilation, so pipette starts a few workers of the
 * target interpreter once (`python -c <loop>`, run from `/` so that no
 * module in the current directory shadows the standard library), sends them
 * batches of paths, one JSON array per line, and reads back one array of the
 * `.pyc` paths written (null for a source that does not compile). A batch is
 * a share of what is queued (at most 32 files, fewer as the queue empties so
 * the workers finish together), which saves a pipe round trip and a wake-up
 * per file; each worker has a second batch waiting in its pipe, so it never
 * waits for this thread (busy extracting the next wheel) to send more. Workers can be started before any file is ready (`start`), so
 * that the interpreters boot while the first wheel is being extracted.
 * Because the workers call exactly what pip
 * calls, with the same path string, the `.pyc` files are identical to pip's:
 * same magic number, same invalidation mode (timestamp, or checked hash when
 * SOURCE_DATE_EPOCH is set), same embedded source path.
 */
import { spawn } from 'node:child_process'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { WheelError } from './errors.js'

const WORKER = `
import compileall, contextlib, importlib.util, io, json, sys, warnings
warnings.filterwarnings("ignore")
out = sys.stdout
for line in sys.stdin:
    results = []
    with contextlib.redirect_stdout(io.StringIO()):
        for path in json.loads(line):
            try:
                ok = compileall.compile_file(path, force=True, quiet=2)
                results.append(importlib.util.cache_from_source(path) if ok else None)
            except Exception:
                results.append(None)
    out.write(json.dumps(results) + "\\n")
    out.flush()
`

export interface Compiler {
  /** Compiles one source file; resolves to the `.pyc` path, or null when it does not compile. */
  compile(path: string): Promise<string | null>
  /** Stops the workers. */
  close(): Promise<void>
}

export interface CompilePoolOptions {
  /** The interpreter whose bytecode to write (the target's `sys.executable`). */
  readonly python: string
  /** How many workers; default: the CPUs available, at most 4. */
  readonly workers?: number | undefined
  /** Start this many workers at once (at most `workers`), before the first file; default 0. */
  readonly start?: number | undefined
  readonly env?: NodeJS.ProcessEnv | undefined
}

interface Job {
  readonly path: string
  readonly resolve: (pyc: string | null) => void
  readonly reject: (error: unknown) => void
}

interface Worker {
  readonly child: ChildProcessWithoutNullStreams
  /** The batches sent and not answered yet, oldest first (the first is being compiled). */
  readonly inFlight: Job[][]
  buffered: string
  exited: boolean
}

/** The largest batch sent to one worker. */
const MAX_BATCH = 32

/**
 * A pool of compile workers, started by `start` or on the first `compile()`
 * call, one process at a time as work queues up, so a small install starts one.
 */
export function createCompilePool(options: CompilePoolOptions): Compiler {
  const size = Math.max(1, options.workers ?? Math.min(4, availableParallelism()))
  const workers: Worker[] = []
  const queue: Job[] = []
  let closed = false
  let scheduled = false
  let failure: unknown

  const fail = (error: unknown) => {
    failure ??= error
    for (const job of queue.splice(0)) job.reject(error)
    for (const worker of workers) {
      for (const job of worker.inFlight.splice(0).flat()) job.reject(error)
    }
  }

  const dispatch = () => {
    // Each worker holds up to two batches: the one it compiles and the next, waiting in its pipe,
    // so it keeps going while this thread is busy (extracting the next wheel synchronously).
    for (let depth = 1; depth <= 2; depth++) {
      for (const worker of workers) {
        if (worker.inFlight.length >= depth || worker.exited) continue
        if (queue.length === 0) return
        const batch = queue.splice(0, Math.min(MAX_BATCH, Math.ceil(queue.length / (2 * size))))
        worker.inFlight.push(batch)
        worker.child.stdin.write(`${JSON.stringify(batch.map((job) => job.path))}\n`)
      }
    }
    if (queue.length > 0 && workers.length < size && !closed) {
      start()
      dispatch()
    }
  }

  const start = () => {
    const child = spawn(options.python, ['-c', WORKER], { cwd: '/', stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env })
    const worker: Worker = { child, inFlight: [], buffered: '', exited: false }
    workers.push(worker)
    let stderr = ''
    child.stdout.setEncoding('utf8')
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-2000)
    })
    child.stdout.on('data', (chunk: string) => {
      worker.buffered += chunk
      let newline
      while ((newline = worker.buffered.indexOf('\n')) !== -1) {
        const line = worker.buffered.slice(0, newline)
        worker.buffered = worker.buffered.slice(newline + 1)
        const jobs = worker.inFlight.shift() ?? []
        const results = JSON.parse(line) as Array<string | null>
        jobs.forEach((job, i) => job.resolve(results[i] ?? null))
      }
      dispatch()
    })
    const died = (why: string) => {
      worker.exited = true
      if (closed) return
      fail(
        new WheelError('ERR_WHEEL_INSTALL', `The bytecode compiler (${options.python}) stopped: ${why}${stderr ? `\n${stderr.trim()}` : ''}`, {
          hint: 'check that the interpreter runs (`python -c "import compileall"`), or install with --no-compile',
        }),
      )
    }
    child.on('error', (error) => died(error.message))
    child.on('exit', (code, signal) => died(`exit ${code ?? signal}`))
  }

  for (let i = Math.min(size, options.start ?? 0); i > 0; i--) start()

  return {
    compile(path: string) {
      if (failure !== undefined) return Promise.reject(failure)
      if (closed) return Promise.reject(new RangeError('compile pool is closed'))
      return new Promise<string | null>((resolve, reject) => {
        queue.push({ path, resolve, reject })
        // Dispatch once the caller has queued everything it asks for in this turn (whole batches).
        if (!scheduled) {
          scheduled = true
          queueMicrotask(() => {
            scheduled = false
            dispatch()
          })
        }
      })
    },
    async close() {
      dispatch() // what is queued still goes out; the workers finish it before they exit
      closed = true
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve) => {
              if (worker.exited) return resolve()
              worker.child.once('exit', () => resolve())
              worker.child.stdin.end()
            }),
        ),
      )
    },
  }
}
