// Bundles the CLI with esbuild: its sources, the @pipette/* libraries, undici
// and yauzl become a few files in dist/ instead of hundreds of modules, and
// loading modules was most of pipette's start-up time (oclif ~120 files, the
// install path ~90 of ours, undici ~60 ms on its own). What the sources import
// lazily (`await import()`) stays lazy: it becomes its own chunk, loaded only
// by the commands that reach it. @pipette/wheel's extraction worker is bundled
// as its own entry next to the chunks, where the bundled extraction pool looks
// for it (`./extract-worker.js`).
//
// @oclif/core, which every command loads, is the largest part (350 kB) and
// compiling it cost 15-20 ms of each start. So it is bundled apart, as one
// CommonJS file (dist/oclif.cjs), and loaded by dist/oclif.js through
// `vm.Script` with a V8 code cache made here, at build time
// (dist/oclif.cjs.v8cache): with the cache V8 skips parsing and compiling
// what the cache holds (the module bodies and what they ran), and the load
// takes ~10 ms instead of ~26. A cache made by another Node version or with
// other V8 flags is rejected by V8 and the file is compiled as usual (only
// slower). The sources import '@oclif/core' as always; the build points
// those imports at dist/oclif.js, by a relative path from each output file.
import { build } from 'esbuild'
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Script } from 'node:vm'

function* walk(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) yield* walk(path)
    else if (path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.endsWith('.d.ts')) yield path
  }
}

const wheelDist = dirname(fileURLToPath(import.meta.resolve('@pipette/wheel')))

const OCLIF_PLACEHOLDER = '@pipette-bundle/oclif'
/** Imports of '@oclif/core' stay imports, of dist/oclif.js (the path is filled in per output file below). */
const oclifApart = {
  name: 'oclif-apart',
  setup(b) {
    b.onResolve({ filter: /^@oclif\/core$/ }, () => ({ path: OCLIF_PLACEHOLDER, external: true }))
  },
}

rmSync('dist', { recursive: true, force: true })
const result = await build({
  entryPoints: ['src/main.ts', ...walk('src/commands'), { in: join(wheelDist, 'extract-worker.js'), out: 'chunks/extract-worker' }],
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // typescript and ts-node are only loaded by oclif in development mode (`bin/dev`), never here.
  external: ['typescript', 'ts-node'],
  plugins: [oclifApart],
  write: false,
  // oclif and its dependencies are CommonJS: give them `require` inside ESM.
  banner: { js: "import { createRequire as __pipetteCreateRequire } from 'node:module'; const require = __pipetteCreateRequire(import.meta.url);" },
  logLevel: 'warning',
  sourcemap: false,
  minify: !process.env.PIPETTE_BUNDLE_NO_MINIFY,
  keepNames: true,
  legalComments: 'none',
  metafile: !!process.env.PIPETTE_BUNDLE_META,
})
const oclifModule = join(process.cwd(), 'dist', 'oclif.js')
for (const file of result.outputFiles) {
  let text = file.text
  if (text.includes(OCLIF_PLACEHOLDER)) {
    let path = relative(dirname(file.path), oclifModule).split(sep).join('/')
    if (!path.startsWith('.')) path = `./${path}`
    text = text.replaceAll(OCLIF_PLACEHOLDER, path)
  }
  mkdirSync(dirname(file.path), { recursive: true })
  writeFileSync(file.path, text)
}
if (result.metafile) writeFileSync(process.env.PIPETTE_BUNDLE_META, JSON.stringify(result.metafile))

// @oclif/core as one CommonJS file, its loader and its code cache.
await build({
  stdin: { contents: "module.exports = require('@oclif/core')", resolveDir: process.cwd(), loader: 'js', sourcefile: 'oclif-entry.cjs' },
  outfile: 'dist/oclif.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['typescript', 'ts-node'],
  logLevel: 'warning',
  minify: !process.env.PIPETTE_BUNDLE_NO_MINIFY,
  keepNames: true,
  legalComments: 'none',
})
const oclifFile = join(process.cwd(), 'dist', 'oclif.cjs')
// A function compiled from a code cache loses its `import()` callback on Node 20 (the call fails with
// ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), so oclif's few `import(x)` calls (loading command files)
// call a function the loader passes in, which imports from the ES module world.
const IMPORT_CALL = /(?<![\w$.'"`])import\(/g
const oclifSource = readFileSync(oclifFile, 'utf8').replace(IMPORT_CALL, '__pipetteImport(')
if (/(?<![\w$.'"`])import\(/.test(oclifSource)) throw new Error('build.mjs: an import() call was left in dist/oclif.cjs')
writeFileSync(oclifFile, oclifSource)
// The same wrapper as the loader below: V8 accepts a cache only for the same source.
const WRAP_START = '(function (exports, require, module, __filename, __dirname, __pipetteImport) {'
const WRAP_END = '\n})'
const script = new Script(WRAP_START + oclifSource + WRAP_END, { filename: oclifFile })
const oclifExports = { exports: {} }
script.runInThisContext().call(oclifExports.exports, oclifExports.exports, createRequire(oclifFile), oclifExports, oclifFile, dirname(oclifFile), (specifier) => import(specifier))
writeFileSync('dist/oclif.cjs.v8cache', script.createCachedData())
const names = Object.keys(oclifExports.exports).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default')
writeFileSync(
  'dist/oclif.js',
  `// @oclif/core, loaded with the V8 code cache made by build.mjs (see there).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Script } from 'node:vm'
const file = fileURLToPath(new URL('./oclif.cjs', import.meta.url))
let cachedData
try {
  cachedData = readFileSync(\`\${file}.v8cache\`)
} catch {
  // no cache: compiled as usual
}
const script = new Script(${JSON.stringify(WRAP_START)} + readFileSync(file, 'utf8') + ${JSON.stringify(WRAP_END)}, { filename: file, cachedData })
const loaded = { exports: {} }
script.runInThisContext().call(loaded.exports, loaded.exports, createRequire(file), loaded, file, dirname(file), (specifier) => import(specifier))
const oclif = loaded.exports
/** Whether V8 refused the code cache (another Node version or other flags): the start-up is slower then. */
export const codeCacheRejected = cachedData === undefined || script.cachedDataRejected === true
${names.map((name) => `export const ${name} = oclif.${name}`).join('\n')}
export default oclif
`,
)
