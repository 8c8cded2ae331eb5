/**
 * Source distributions, only where building is trivial.
 *
 * pip builds an sdist in an isolated environment into which it first
 * installs the build requirements (`[build-system] requires`), then calls the
 * PEP 517 hooks. pipette does not do build isolation. It handles the case
 * that needs nothing installed: a `pyproject.toml` whose `requires` is empty
 * (an in-tree backend via `backend-path`, or a backend the target interpreter
 * already has, which then must need no requirements). The target interpreter
 * runs a small script that extracts the archive (tarfile's `data` filter where
 * the interpreter has it, else the same checks by hand: no absolute paths, no
 * `..`, no links out), imports the backend and calls
 * `prepare_metadata_for_build_wheel` (or `build_wheel`, for metadata when the
 * backend lacks that hook, and for installing). Anything else (a `setup.py`
 * without pyproject, build requirements) is refused with
 * `ERR_SDIST_UNSUPPORTED`, which names the file and says what to do.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { InstallerError } from './errors.js'

const SCRIPT = String.raw`
import importlib, json, os, sys, tarfile, zipfile
mode, archive, out, result = sys.argv[1:5]
work = os.path.join(out, 'src')
os.makedirs(work)
def inside(path):
    real = os.path.realpath(os.path.join(work, path))
    return real == os.path.realpath(work) or real.startswith(os.path.realpath(work) + os.sep)
def answer(**kw):
    with open(result, 'w') as f:
        json.dump(kw, f)
    sys.exit(0)
if archive.lower().endswith('.zip'):
    with zipfile.ZipFile(archive) as z:
        for name in z.namelist():
            if not inside(name):
                answer(error='unsafe', detail=name)
        z.extractall(work)
else:
    with tarfile.open(archive) as t:
        if hasattr(tarfile, 'data_filter'):
            t.extractall(work, filter='data')
        else:
            for m in t.getmembers():
                if not inside(m.name) or ((m.issym() or m.islnk()) and not inside(os.path.join(os.path.dirname(m.name), m.linkname))):
                    answer(error='unsafe', detail=m.name)
            t.extractall(work)
entries = os.listdir(work)
src = os.path.join(work, entries[0]) if len(entries) == 1 and os.path.isdir(os.path.join(work, entries[0])) else work
pyproject = os.path.join(src, 'pyproject.toml')
if not os.path.isfile(pyproject):
    answer(error='unsupported', detail='it has no pyproject.toml (a setup.py build needs setuptools installed in an isolated environment)')
try:
    import tomllib
except ImportError:
    try:
        import tomli as tomllib
    except ImportError:
        answer(error='unsupported', detail='the target Python cannot read pyproject.toml (no tomllib)')
with open(pyproject, 'rb') as f:
    data = tomllib.load(f)
system = data.get('build-system', {})
requires = system.get('requires', ['setuptools>=40.8.0'])
backend = system.get('build-backend')
if requires:
    answer(error='unsupported', detail='it needs build requirements (' + ', '.join(requires) + ')')
if not backend:
    answer(error='unsupported', detail='its pyproject.toml names no build-backend')
sys.path[:0] = [os.path.join(src, p) for p in system.get('backend-path', [])]
os.chdir(src)
module, _, attr = backend.partition(':')
hooks = importlib.import_module(module)
for part in filter(None, attr.split('.')):
    hooks = getattr(hooks, part)
if mode == 'metadata' and hasattr(hooks, 'prepare_metadata_for_build_wheel'):
    target = os.path.join(out, 'metadata')
    os.makedirs(target)
    name = hooks.prepare_metadata_for_build_wheel(target, {})
    answer(metadata=os.path.join(target, name, 'METADATA'))
target = os.path.join(out, 'wheel')
os.makedirs(target)
name = hooks.build_wheel(target, {})
answer(wheel=os.path.join(target, name))
`

export interface SdistBuilderOptions {
  /** The target interpreter, which runs the backend. */
  readonly python: string
  /** Where build directories are made (removed after each build). */
  readonly workDir: string
  readonly env?: NodeJS.ProcessEnv | undefined
}

export interface SdistBuilder {
  /** The METADATA of the distribution the sdist builds. */
  metadata(path: string, filename: string): Promise<Uint8Array>
  /** Builds a wheel; `keep(wheelPath)` stores it before the build directory goes. */
  wheel<T>(path: string, filename: string, keep: (wheelPath: string) => Promise<T>): Promise<T>
}

interface Answer {
  readonly error?: string
  readonly detail?: string
  readonly metadata?: string
  readonly wheel?: string
}

export function createSdistBuilder(options: SdistBuilderOptions): SdistBuilder {
  async function run<T>(mode: 'metadata' | 'wheel', path: string, filename: string, use: (answer: Answer) => Promise<T>): Promise<T> {
    const out = await mkdtemp(join(options.workDir, 'build-'))
    try {
      const result = join(out, 'result.json')
      const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
        const child = spawn(options.python, ['-c', SCRIPT, mode, path, out, result], {
          cwd: out,
          env: { ...(options.env ?? process.env), PYTHONDONTWRITEBYTECODE: '1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        })
        let output = ''
        const collect = (chunk: Buffer) => {
          output = (output + chunk.toString('utf8')).slice(-8000)
        }
        child.stdout.on('data', collect)
        child.stderr.on('data', collect)
        child.on('error', reject)
        child.on('close', (code) => resolve({ code, output }))
      })
      const answer = await readFile(result, 'utf8').then(
        (text) => JSON.parse(text) as Answer,
        () => undefined,
      )
      if (answer?.error === 'unsupported') {
        throw new InstallerError('ERR_SDIST_UNSUPPORTED', `Cannot build ${filename}: ${answer.detail ?? 'unsupported'}. pipette builds only source distributions that need no build requirements.`, {
          hint: 'install a wheel instead (--only-binary :all: shows which versions have one), or build the wheel with pip wheel and install that file',
        })
      }
      if (code !== 0 || answer === undefined || answer.error !== undefined) {
        throw new InstallerError('ERR_SDIST_BUILD_FAILED', `Building ${filename} failed${answer?.detail === undefined ? '' : `: ${answer.detail}`}\n${output.trim()}`, {
          hint: 'the project could not be built; install a wheel instead (--only-binary :all:)',
        })
      }
      return await use(answer)
    } finally {
      await rm(out, { recursive: true, force: true })
    }
  }
  return {
    metadata: (path, filename) =>
      run('metadata', path, filename, async (answer) => {
        if (answer.metadata !== undefined) return readFile(answer.metadata)
        // No metadata hook: the wheel was built; read METADATA from it.
        const { openWheel } = await import('@pipette/wheel')
        const archive = await openWheel(answer.wheel!)
        try {
          const member = archive.members.find((m) => m.name === `${archive.distInfo}/METADATA`)!
          return await archive.read(member)
        } finally {
          await archive.close()
        }
      }),
    wheel: (path, filename, keep) => run('wheel', path, filename, (answer) => keep(answer.wheel!)),
  }
}
