// Bundles the CLI with esbuild, for start-up time: loading and compiling
// modules was most of what a command cost before it did any work.
//
// - dist/chunks/app.cjs: every command with everything it imports (the
//   @pipette/* libraries, undici, yauzl) in one CommonJS file. What the
//   sources import lazily (`await import()`) stays lazy: it is in the file but
//   runs only when reached. It is loaded by dist/chunks/app.js through
//   `vm.Script` with a V8 code cache made here, at build time
//   (app.cjs.v8cache): V8 then skips parsing and compiling the module bodies
//   and what they ran while the cache was made, and one script replaces ~30
//   ES modules to resolve, compile and link (a warm install loaded 400 kB of
//   them in ~35 ms; now ~10 ms).
// - dist/oclif.cjs: @oclif/core (350 kB), the same way (dist/oclif.js loads
//   it, ~10 ms instead of ~26). The app and dist/main.js share that one oclif.
// - dist/commands/**.js: one line each, for oclif to find the commands
//   (`export default commands['install']` from app.js).
// - dist/main.js and its lazy run-oclif chunk: ES modules (the entry point;
//   `--version` loads nothing else).
// - dist/chunks/extract-worker.js: @pipette/wheel's extraction worker, where
//   the bundled extraction pool looks for it (next to app.cjs).
//
// A cache made by another Node version or with other V8 flags is rejected by
// V8 and the script is compiled as usual (only slower). A function compiled
// from a code cache loses its `import()` callback on Node 20 (the call fails
// with ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), so the few `import(x)` calls
// left in the CommonJS files (modules outside the bundle, such as command
// files oclif loads) call a function the loader passes in, which imports from
// the ES module world; `import.meta.url` in the bundled sources is the URL of
// app.cjs.
import { build } from 'esbuild'
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Script } from 'node:vm'

function* walk(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) yield* walk(path)
    else if (path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.endsWith('.d.ts')) yield path
  }
}

const minify = !process.env.PIPETTE_BUNDLE_NO_MINIFY
const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning', minify, keepNames: true, legalComments: 'none' }
// typescript and ts-node are only loaded by oclif in development mode (`bin/dev`), never here.
const external = ['typescript', 'ts-node']
const wheelDist = dirname(fileURLToPath(import.meta.resolve('@pipette/wheel')))
const dist = join(process.cwd(), 'dist')

/** `(function (exports, require, module, __filename, __dirname, __pipetteImport, __pipetteImportMetaUrl) {` */
const WRAP_START = '(function (exports, require, module, __filename, __dirname, __pipetteImport, __pipetteImportMetaUrl) {'
const WRAP_END = '\n})'
const IMPORT_CALL = /(?<![\w$.'"`])import\(/g

/** Reads a CommonJS bundle and sends its `import()` calls through `__pipetteImport` (see the essay). */
function rewriteImports(file) {
  const source = readFileSync(file, 'utf8').replace(IMPORT_CALL, '__pipetteImport(')
  if (IMPORT_CALL.test(source)) throw new Error(`build.mjs: an import() call was left in ${file}`)
  writeFileSync(file, source)
  return source
}

/** The ES module that loads a CommonJS bundle with its code cache; `prelude` and `epilogue` are its own code. */
function loaderModule({ bundle, prelude = '', requireOverride = '', epilogue }) {
  return `// Loads ${bundle} with the V8 code cache made by build.mjs (see there).
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Script } from 'node:vm'
${prelude}
const file = fileURLToPath(new URL('./${bundle}', import.meta.url))
let cachedData
try {
  cachedData = readFileSync(\`\${file}.v8cache\`)
} catch {
  // no cache: compiled as usual
}
const script = new Script(${JSON.stringify(WRAP_START)} + readFileSync(file, 'utf8') + ${JSON.stringify(WRAP_END)}, { filename: file, cachedData })
const nodeRequire = createRequire(file)
const load = ${requireOverride || 'nodeRequire'}
const loaded = { exports: {} }
script.runInThisContext().call(loaded.exports, loaded.exports, load, loaded, file, dirname(file), (specifier) => import(specifier), new URL('./${bundle}', import.meta.url).href)
/** Whether V8 refused the code cache (another Node version or other flags): the start-up is slower then. */
export const codeCacheRejected = cachedData === undefined || script.cachedDataRejected === true
// The build's training runs (PIPETTE_TRAIN_CODE_CACHE=1) keep what they compiled.
if (process.env.PIPETTE_TRAIN_CODE_CACHE === '1') process.on('exit', () => writeFileSync(\`\${file}.v8cache\`, script.createCachedData()))
${epilogue}
`
}

/** Runs a bundle as its loader would and writes the code cache of what ran. */
function makeCodeCache(file, source, requireFn) {
  const script = new Script(WRAP_START + source + WRAP_END, { filename: file })
  const loaded = { exports: {} }
  script.runInThisContext().call(loaded.exports, loaded.exports, requireFn, loaded, file, dirname(file), (specifier) => import(specifier), pathToFileURL(file).href)
  writeFileSync(`${file}.v8cache`, script.createCachedData())
  return loaded.exports
}

rmSync('dist', { recursive: true, force: true })

// @oclif/core as one CommonJS file, its loader and its code cache.
await build({
  ...common,
  stdin: { contents: "module.exports = require('@oclif/core')", resolveDir: process.cwd(), loader: 'js', sourcefile: 'oclif-entry.cjs' },
  outfile: 'dist/oclif.cjs',
  format: 'cjs',
  external,
})
const oclifFile = join(dist, 'oclif.cjs')
const oclifExports = makeCodeCache(oclifFile, rewriteImports(oclifFile), createRequire(oclifFile))
const names = Object.keys(oclifExports).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default')
writeFileSync(
  join(dist, 'oclif.js'),
  loaderModule({ bundle: 'oclif.cjs', epilogue: `const oclif = loaded.exports\n${names.map((name) => `export const ${name} = oclif.${name}`).join('\n')}\nexport default oclif` }),
)

// The commands: one CommonJS bundle, its loader, its code cache and one stub per command.
const commandFiles = [...walk('src/commands')].map((path) => relative('src/commands', path).split(sep).join('/').replace(/\.ts$/, ''))
const appResult = await build({
  ...common,
  stdin: {
    contents: `${commandFiles.map((id, i) => `import c${i} from './src/commands/${id}.ts'`).join('\n')}\nexport const commands = { ${commandFiles.map((id, i) => `${JSON.stringify(id)}: c${i}`).join(', ')} }\n`,
    resolveDir: process.cwd(),
    loader: 'ts',
    sourcefile: 'commands-entry.ts',
  },
  outfile: 'dist/chunks/app.cjs',
  format: 'cjs',
  external: [...external, '@oclif/core'],
  define: { 'import.meta.url': '__pipetteImportMetaUrl' },
  metafile: !!process.env.PIPETTE_BUNDLE_META,
})
if (appResult.metafile) writeFileSync(process.env.PIPETTE_BUNDLE_META, JSON.stringify(appResult.metafile))
const appFile = join(dist, 'chunks', 'app.cjs')
const appSource = rewriteImports(appFile)
const appRequire = createRequire(appFile)
const oclifLoaded = (await import(pathToFileURL(join(dist, 'oclif.js')).href)).default
makeCodeCache(appFile, appSource, Object.assign((id) => (id === '@oclif/core' ? oclifLoaded : appRequire(id)), { resolve: appRequire.resolve }))
writeFileSync(
  join(dist, 'chunks', 'app.js'),
  loaderModule({
    bundle: 'app.cjs',
    prelude: "import oclif from '../oclif.js'",
    requireOverride: "Object.assign((id) => (id === '@oclif/core' ? oclif : nodeRequire(id)), { resolve: nodeRequire.resolve })",
    epilogue: 'export const commands = loaded.exports.commands',
  }),
)
for (const id of commandFiles) {
  const stub = join(dist, 'commands', `${id}.js`)
  mkdirSync(dirname(stub), { recursive: true })
  const app = relative(dirname(stub), join(dist, 'chunks', 'app.js')).split(sep).join('/')
  writeFileSync(stub, `import { commands } from '${app.startsWith('.') ? app : `./${app}`}'\nexport default commands[${JSON.stringify(id)}]\n`)
}

// The entry point (ES modules; its lazy chunk loads oclif through dist/oclif.js).
const OCLIF_PLACEHOLDER = '@pipette-bundle/oclif'
const mainResult = await build({
  ...common,
  entryPoints: ['src/main.ts'],
  outdir: 'dist',
  outbase: 'src',
  splitting: true,
  format: 'esm',
  chunkNames: 'chunks/[name]-[hash]',
  external,
  plugins: [{ name: 'oclif-apart', setup: (b) => b.onResolve({ filter: /^@oclif\/core$/ }, () => ({ path: OCLIF_PLACEHOLDER, external: true })) }],
  write: false,
})
for (const file of mainResult.outputFiles) {
  let path = relative(dirname(file.path), join(dist, 'oclif.js')).split(sep).join('/')
  if (!path.startsWith('.')) path = `./${path}`
  mkdirSync(dirname(file.path), { recursive: true })
  writeFileSync(file.path, file.text.replaceAll(OCLIF_PLACEHOLDER, path))
}

// The extraction worker (an ES module of its own, loaded by worker threads).
await build({
  ...common,
  entryPoints: [{ in: join(wheelDist, 'extract-worker.js'), out: 'extract-worker' }],
  outdir: 'dist/chunks',
  format: 'esm',
  external,
  banner: { js: "import { createRequire as __pipetteCreateRequire } from 'node:module'; const require = __pipetteCreateRequire(import.meta.url);" },
})

// Training: a code cache made right after loading holds the module bodies only; the functions a
// command runs are compiled lazily at every start. Three installs of a small wheel with
// PIPETTE_TRAIN_CODE_CACHE=1 make the loaders write caches that hold those too (each run starts
// from the previous run's cache, so they add up): from an index served here (empty cache, then
// warm: resolver, HTTP cache, archive store, linker, bytecode), then the wheel file alone (the
// direct path). A warm install then uses ~20 ms less CPU. Needs python3; without it (or on any
// failure) the caches stay as made above. PIPETTE_BUNDLE_NO_TRAIN=1 skips it.
if (!process.env.PIPETTE_BUNDLE_NO_TRAIN) {
  const { mkdtempSync } = await import('node:fs')
  const { tmpdir } = await import('node:os')
  const { spawn, spawnSync } = await import('node:child_process')
  const { createServer } = await import('node:http')
  const { createHash } = await import('node:crypto')
  const { buildWheel } = await import('@pipette/fixtures')
  const work = mkdtempSync(join(tmpdir(), 'pipette-build-train-'))
  const server = createServer()
  try {
    const wheel = await buildWheel(
      {
        name: 'pipette-train',
        version: '1.0',
        files: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`pipette_train/m${i}.py`, `def main():\n    return ${i}\n`])),
        entryPoints: { console_scripts: { 'pipette-train': 'pipette_train.m0:main' } },
      },
      { outDir: join(work, 'wheels') },
    )
    const bytes = readFileSync(wheel)
    const name = wheel.split(sep).pop()
    const page = `<!DOCTYPE html><html><body><a href="/files/${name}#sha256=${createHash('sha256').update(bytes).digest('hex')}">${name}</a></body></html>`
    server.on('request', (request, response) => {
      if (request.url === '/simple/pipette-train/') response.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'max-age=600, public' }).end(page)
      else if (request.url === `/files/${name}`) response.writeHead(200, { 'content-type': 'application/octet-stream', 'cache-control': 'max-age=365000000, immutable, public' }).end(bytes)
      else response.writeHead(404).end()
    })
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
    const indexUrl = `http://127.0.0.1:${server.address().port}/simple/`
    const env = { ...process.env, PIPETTE_CACHE_DIR: join(work, 'cache'), PIPETTE_TRAIN_CODE_CACHE: '1', PIP_CONFIG_FILE: '/dev/null' }
    for (const key of Object.keys(env)) if (key.startsWith('PIP_') && key !== 'PIP_CONFIG_FILE') delete env[key]
    const runs = [
      ['install', '-q', '--index-url', indexUrl, 'pipette-train'],
      ['install', '-q', '--index-url', indexUrl, 'pipette-train'],
      ['install', '-q', '--no-deps', '--no-compile', wheel],
    ]
    for (const [i, args] of runs.entries()) {
      const venv = join(work, `venv-${i}`)
      const made = spawnSync('python3', ['-m', 'venv', '--without-pip', venv], { encoding: 'utf8' })
      if (made.status !== 0) throw new Error(`python3 -m venv: ${made.stderr || made.error}`)
      // Asynchronously: the index is served by this process.
      const child = spawn(process.execPath, ['bin/run.js', ...args.slice(0, 1), '--python', venv, ...args.slice(1)], { env, stdio: ['ignore', 'ignore', 'pipe'] })
      let stderr = ''
      child.stderr.on('data', (chunk) => (stderr += chunk))
      const code = await new Promise((resolve) => child.on('close', resolve))
      if (code !== 0) throw new Error(`training run ${i + 1}: ${stderr}`)
    }
  } catch (error) {
    console.warn(`build.mjs: code caches not trained (${error instanceof Error ? error.message.split('\n')[0] : error}); start-up is a little slower`)
  } finally {
    server.close()
    rmSync(work, { recursive: true, force: true })
  }
}
