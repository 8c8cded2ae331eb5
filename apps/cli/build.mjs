// Bundles the CLI with esbuild: its sources, @oclif/core, the @pipette/*
// libraries, undici and yauzl become a few files in dist/ instead of hundreds
// of modules, and loading modules was most of pipette's start-up time (oclif
// ~120 files, the install path ~90 of ours, undici ~60 ms on its own). What
// the sources import lazily (`await import()`) stays lazy: it becomes its own
// chunk, loaded only by the commands that reach it. @pipette/wheel's
// extraction worker is bundled as its own entry next to the chunks, where the
// bundled extraction pool looks for it (`./extract-worker.js`).
import { build } from 'esbuild'
import { readdirSync, rmSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

function* walk(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) yield* walk(path)
    else if (path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.endsWith('.d.ts')) yield path
  }
}

const wheelDist = dirname(fileURLToPath(import.meta.resolve('@pipette/wheel')))

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
  // oclif and its dependencies are CommonJS: give them `require` inside ESM.
  banner: { js: "import { createRequire as __pipetteCreateRequire } from 'node:module'; const require = __pipetteCreateRequire(import.meta.url);" },
  logLevel: 'warning',
  sourcemap: false,
  minify: !process.env.PIPETTE_BUNDLE_NO_MINIFY,
  keepNames: true,
  legalComments: 'none',
  metafile: !!process.env.PIPETTE_BUNDLE_META,
})
if (result.metafile) {
  const { writeFileSync } = await import('node:fs')
  writeFileSync(process.env.PIPETTE_BUNDLE_META, JSON.stringify(result.metafile))
}
