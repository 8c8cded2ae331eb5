/**
 * `venv`: create a virtual environment with pipette and with CPython's own
 * `venv` module, for the same base interpreter (the real executable, not a
 * pyenv shim), each round into a fresh directory.
 *
 * Five sides, in one run (plus `node -e 0`, the floor of any Node command):
 *   - `pipette venv` and `python -m venv --without-pip` as whole commands
 *     (process start-up included: node + the CLI, Python + the venv module);
 *   - the same work in-process: `createVenv()` in this Node process, and
 *     `venv.EnvBuilder(with_pip=False).create()` timed inside one long-lived
 *     Python process (so neither pays its start-up).
 * pipette's interpreter query is cached on disk by the warm-up, as it is for
 * any command after the first against an interpreter.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import type { Benchmark, BenchmarkContext, Side } from '../runner.js'
import { timeCommand } from '../runner.js'
import { pipetteBin, python } from '../paths.js'

const PYTHON_WORKER = String.raw`
import sys, time, venv
builder = venv.EnvBuilder(with_pip=False)
for line in sys.stdin:
    start = time.perf_counter()
    builder.create(line.rstrip('\n'))
    sys.stdout.write('%.6f\n' % ((time.perf_counter() - start) * 1000))
    sys.stdout.flush()
`

let stopWorker: (() => void) | undefined

export const venvBenchmark: Benchmark = {
  name: 'venv',
  description: '`pipette venv` vs `python -m venv --without-pip` (whole commands), and createVenv() vs venv.EnvBuilder().create() in-process',
  subject: 'pipette venv',
  setup: async (context: BenchmarkContext): Promise<readonly Side[]> => {
    const { createVenv, findInterpreter, queryInterpreter } = await import('@pipette/venv')
    const found = await findInterpreter({ python })
    const info = await queryInterpreter(found.executable)
    const base = info.baseExecutable ?? info.executable
    context.log(`base interpreter: ${base} (Python ${info.version})`)
    let n = 0
    const fresh = (side: string) => join(context.workDir, `${side}-${n++}`)

    const worker = spawn(base, ['-c', PYTHON_WORKER], { stdio: ['pipe', 'pipe', 'inherit'] })
    stopWorker = () => worker.kill()
    const replies: Array<(ms: number) => void> = []
    let buffer = ''
    worker.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk
      let at
      while ((at = buffer.indexOf('\n')) !== -1) {
        const line = buffer.slice(0, at)
        buffer = buffer.slice(at + 1)
        replies.shift()?.(Number(line))
      }
    })
    const inPython = (dir: string) =>
      new Promise<number>((resolve) => {
        replies.push(resolve)
        worker.stdin.write(`${dir}\n`)
      })

    return [
      {
        name: 'pipette venv',
        warmup: () => timeCommand(process.execPath, [pipetteBin, '--isolated', 'venv', '-q', '--python', base, fresh('warm')]).then(() => undefined),
        round: () => timeCommand(process.execPath, [pipetteBin, '--isolated', 'venv', '-q', '--python', base, fresh('cli')]),
      },
      { name: 'python -m venv --without-pip', round: () => timeCommand(base, ['-m', 'venv', '--without-pip', fresh('py')]) },
      // The floor of any Node command: starting Node itself.
      { name: 'node -e 0', round: () => timeCommand(process.execPath, ['-e', '0']) },
      {
        name: 'createVenv() in-process',
        round: async () => {
          const dir = fresh('lib')
          const start = process.hrtime.bigint()
          await createVenv(dir, { interpreter: info })
          return { ms: Number(process.hrtime.bigint() - start) / 1e6 }
        },
      },
      {
        name: 'venv.EnvBuilder().create() in-process',
        warmup: () => inPython(fresh('pywarm')).then(() => undefined),
        round: async () => ({ ms: await inPython(fresh('pylib')) }),
      },
    ]
  },
  targets: { 'python -m venv --without-pip': 10 },
  teardown: async () => {
    stopWorker?.()
  },
}
