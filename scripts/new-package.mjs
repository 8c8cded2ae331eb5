#!/usr/bin/env node
// Creates packages/<name> with the repository's package layout
// (docs/DEVELOPING.md). Usage: node scripts/new-package.mjs <name> "<description>" [--private]
import { mkdirSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'

const [name, description, flag] = process.argv.slice(2)
if (!name || !description) {
  console.error('usage: node scripts/new-package.mjs <name> "<description>" [--private]')
  process.exit(2)
}
const dir = join('packages', name)
if (existsSync(dir)) {
  console.error(`${dir} exists already`)
  process.exit(1)
}
const isPrivate = flag === '--private'
mkdirSync(join(dir, 'src'), { recursive: true })
mkdirSync(join(dir, 'test', 'fixtures'), { recursive: true })
const pkg = {
  name: `@pipette/${name}`,
  version: '0.0.0',
  ...(isPrivate ? { private: true } : {}),
  description,
  license: 'MIT',
  type: 'module',
  sideEffects: false,
  exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
  main: './dist/index.js',
  types: './dist/index.d.ts',
  files: ['dist'],
  engines: { node: '>=20.18.1' },
  ...(isPrivate ? {} : { publishConfig: { access: 'public' } }),
  repository: { type: 'git', url: 'git+https://github.com/pipette-dev/pipette.git', directory: dir },
  scripts: {
    build: 'tsc -p tsconfig.build.json',
    typecheck: 'tsc -p tsconfig.json --noEmit',
    lint: 'node ../../scripts/lint-package.mjs',
    test: 'vitest run',
  },
  dependencies: { '@pipette/errors': 'workspace:^' },
  devDependencies: { '@types/node': '20.19.43', typescript: '5.9.3', vitest: '3.2.7' },
}
const write = (file, text) => writeFileSync(join(dir, file), text)
write('package.json', `${JSON.stringify(pkg, null, 2)}\n`)
write('tsconfig.json', `${JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { noEmit: true, rootDir: '.' }, include: ['src', 'test'] }, null, 2)}\n`)
write('tsconfig.build.json', `${JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { rootDir: 'src', outDir: 'dist' }, include: ['src'], exclude: ['src/**/*.test.ts'] }, null, 2)}\n`)
write('vitest.config.ts', `import { defineConfig } from 'vitest/config'\n\nexport default defineConfig({ test: { include: ['src/**/*.test.ts', 'test/**/*.test.ts'] } })\n`)
write('README.md', `# @pipette/${name}\n\n${description}\n\n${isPrivate ? '' : `\`\`\`sh\nnpm install @pipette/${name}\n\`\`\`\n`}`)
write('src/index.ts', 'export {}\n')
console.log(`created ${dir}`)
