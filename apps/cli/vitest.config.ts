import { defineConfig } from 'vitest/config'

// oclif writes through process.stdout; vitest's console interception would hide it.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], disableConsoleIntercept: true, testTimeout: 30_000 },
})
