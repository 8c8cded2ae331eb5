// Bundles the CLI (its sources, @oclif/core and oclif's dependencies) into
// dist/ with esbuild: one module graph of a few files instead of hundreds,
// which is most of pipette's start-up time. @pipette/* libraries, undici and
// yauzl stay external: they load lazily, only in the commands that use them,
// and some of them start worker threads from their own files.
import { build } from 'esbuild'
import { readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'

function* walk(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) yield* walk(path)
    else if (path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.endsWith('.d.ts')) yield path
  }
}

rmSync('dist', { recursive: true, force: true })
const result = await build({
  entryPoints: ['src/main.ts', ...walk('src/commands')],
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // typescript and ts-node are only loaded by oclif in development mode (`bin/dev`), never here.
  external: ['@pipette/*', 'undici', 'yauzl', 'typescript', 'ts-node'],
  // oclif and its dependencies are CommonJS: give them `require` inside ESM.
  banner: { js: "import { createRequire as __pipetteCreateRequire } from 'node:module'; const require = __pipetteCreateRequire(import.meta.url);" },
  logLevel: 'warning',
  sourcemap: false,
  minify: true,
  keepNames: true,
  legalComments: 'none',
  metafile: !!process.env.PIPETTE_BUNDLE_META,
})
if (result.metafile) {
  const { writeFileSync } = await import('node:fs')
  writeFileSync(process.env.PIPETTE_BUNDLE_META, JSON.stringify(result.metafile))
}
