import { defineConfig } from 'vitest/config'

// The differential and property tests check hundreds of thousands of answers: on a busy
// shared machine one of them can take longer than vitest's default 5 s.
export default defineConfig({ test: { include: ['src/**/*.test.ts', 'test/**/*.test.ts'], passWithNoTests: true, testTimeout: 120_000 } })
