/**
 * Bytecode, compiled once per wheel and interpreter, then linked.
 *
 * pip compiles every installed `.py` file with `compileall.compile_file`,
 * which calls `py_compile.compile(path)`: the `.pyc` goes to
 * `__pycache__/<stem>.<cache tag>.pyc`, its header holds the source's mtime
 * and size (or, with SOURCE_DATE_EPOCH, its hash), and its code objects name
 * the source path. pipette's workers (a few long-lived processes of the
 * target interpreter, fed batches of files) call the same
 * `py_compile.compile`, with the installed path as the name compiled into
 * the code (`dfile`), so the result is the same.
 *
 * What pipette adds is keeping it. A file hard-linked from the unpacked
 * wheel in the cache *is* the cache's file: same bytes, same mtime. A `.pyc`
 * compiled for it is therefore valid in every environment that links the
 * same file. So after compiling in place (exactly as pip), pipette links the
 * new `.pyc` into the cache (`bytecode-v1/<wheel sha256>/<cache tag,
 * Python, mode>/<hash of the member path>.pyc`, with a `done.json` listing
 * what compiled and what does not), and the next install into another
 * environment links it into `__pycache__` instead of compiling. There the
 * path compiled into the code is the first environment's; Python's import
 * system replaces it with the real path when it loads the module
 * (`_imp._fix_co_filename`), so tracebacks are right. Files that were copied
 * or cloned (a new mtime) and rewritten scripts are compiled in place every
 * time, as pip does.
 */
import { spawn } from 'node:child_process'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { InstallerError } from './errors.js'

const WORKER = `
import json, py_compile, sys, warnings
warnings.filterwarnings("ignore")
mode = py_compile._get_default_invalidation_mode()
out = sys.stdout
for line in sys.stdin:
    results = []
    for source, cfile, dfile in json.loads(line):
        try:
            py_compile.compile(source, cfile=cfile, dfile=dfile, doraise=True, invalidation_mode=mode)
            results.append(True)
        except Exception:
            results.append(False)
    out.write(json.dumps(results) + "\\n")
    out.flush()
`

export interface CompileJob {
  /** The file read. */
  readonly source: string
  /** Where the `.pyc` goes. */
  readonly cfile: string
  /** The path compiled into the code objects (the installed path). */
  readonly dfile: string
}

export interface BytecodeCompiler {
  /** Compiles the jobs; true for each that compiled (a syntax error is false, as pip ignores it). */
  compile(jobs: readonly CompileJob[]): Promise<boolean[]>
  close(): Promise<void>
}

export interface BytecodeCompilerOptions {
  /** The target interpreter. */
  readonly python: string
  /** Workers (default: CPUs, at most 4). */
  readonly workers?: number | undefined
  readonly env?: NodeJS.ProcessEnv | undefined
}

interface Batch {
  readonly jobs: readonly CompileJob[]
  readonly resolve: (results: boolean[]) => void
  readonly reject: (error: unknown) => void
}

interface Worker {
  readonly child: ChildProcessWithoutNullStreams
  current: Batch | undefined
  buffered: string
  exited: boolean
}

const BATCH = 32

/** A pool of compiling workers that start on first use. */
export function createBytecodeCompiler(options: BytecodeCompilerOptions): BytecodeCompiler {
  const size = Math.max(1, options.workers ?? Math.min(4, availableParallelism()))
  const workers: Worker[] = []
  const queue: Batch[] = []
  let closed = false
  let failure: unknown

  const fail = (error: unknown) => {
    failure ??= error
    for (const batch of queue.splice(0)) batch.reject(error)
    for (const worker of workers) {
      const batch = worker.current
      worker.current = undefined
      batch?.reject(error)
    }
  }
  const dispatch = () => {
    for (const worker of workers) {
      if (worker.current !== undefined || worker.exited) continue
      const batch = queue.shift()
      if (batch === undefined) return
      worker.current = batch
      worker.child.stdin.write(`${JSON.stringify(batch.jobs.map((j) => [j.source, j.cfile, j.dfile]))}\n`)
    }
    if (queue.length > 0 && workers.length < size && !closed) {
      start()
      dispatch()
    }
  }
  const start = () => {
    const child = spawn(options.python, ['-c', WORKER], { cwd: '/', stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env })
    const worker: Worker = { child, current: undefined, buffered: '', exited: false }
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
        const batch = worker.current
        worker.current = undefined
        batch?.resolve(JSON.parse(line) as boolean[])
      }
      dispatch()
    })
    const died = (why: string) => {
      worker.exited = true
      if (closed) return
      fail(
        new InstallerError('ERR_COMPILE_FAILED', `The bytecode compiler (${options.python}) stopped: ${why}${stderr ? `\n${stderr.trim()}` : ''}`, {
          hint: 'check that the interpreter runs (python -c "import py_compile"), or install with --no-compile',
        }),
      )
    }
    child.on('error', (error) => died(error.message))
    child.on('exit', (code, signal) => died(`exit ${code ?? signal}`))
  }

  return {
    async compile(jobs) {
      if (failure !== undefined) throw failure
      if (closed) throw new RangeError('compile pool is closed')
      const parts: Array<Promise<boolean[]>> = []
      for (let i = 0; i < jobs.length; i += BATCH) {
        const slice = jobs.slice(i, i + BATCH)
        parts.push(
          new Promise<boolean[]>((resolve, reject) => {
            queue.push({ jobs: slice, resolve, reject })
          }),
        )
      }
      dispatch()
      return (await Promise.all(parts)).flat()
    },
    async close() {
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
