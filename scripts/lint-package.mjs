#!/usr/bin/env node
// Checks that the package in the current directory follows the repository's
// conventions (docs/DEVELOPING.md): ESM only, an exports map, files: ["dist"],
// a README, no default exports in libraries, no stray console output in
// libraries, strict tsconfig inherited from the base.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs'
import { join, relative } from 'node:path'

const dir = process.cwd()
const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
const problems = []
const isLibrary = pkg.name.startsWith('@pipette/') && !pkg.private

if (pkg.type !== 'module') problems.push('package.json: "type" must be "module"')
if (!existsSync(join(dir, 'README.md'))) problems.push('README.md is missing')
if (isLibrary) {
  if (typeof pkg.exports !== 'object' || pkg.exports === null) problems.push('package.json: an "exports" map is required')
  if (JSON.stringify(pkg.files) !== '["dist"]') problems.push('package.json: "files" must be ["dist"]')
  if (pkg.sideEffects !== false) problems.push('package.json: "sideEffects" must be false')
}
const tsconfig = JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8'))
if (tsconfig.extends !== '../../tsconfig.base.json') problems.push('tsconfig.json must extend ../../tsconfig.base.json')

function* walk(path) {
  for (const entry of readdirSync(path)) {
    const full = join(path, entry)
    if (statSync(full).isDirectory()) yield* walk(full)
    else if (full.endsWith('.ts') && !full.endsWith('.test.ts')) yield full
  }
}
if (existsSync(join(dir, 'src')) && isLibrary) {
  for (const file of walk(join(dir, 'src'))) {
    const text = readFileSync(file, 'utf8')
    const where = relative(dir, file)
    if (/^export default /m.test(text)) problems.push(`${where}: libraries use named exports only`)
    if (/^\s*console\.(log|error|warn|info)\(/m.test(text)) problems.push(`${where}: a library returns data; the CLI prints it (no console.*)`)
    if (/^import (?!type )[^\n]* from '(undici|yauzl)'/m.test(text) && !/lazy-import-ok/.test(text)) {
      problems.push(`${where}: import undici/yauzl lazily (await import()) so CLI start-up stays small`)
    }
  }
}

if (problems.length > 0) {
  console.error(`${pkg.name}: ${problems.length} convention problem(s):\n  ${problems.join('\n  ')}`)
  process.exit(1)
}
