import { defineConfig } from 'vitest/config'

// Tests run real interpreters and pip on a machine shared with other work: allow them time.
export default defineConfig({ test: { include: ['src/**/*.test.ts', 'test/**/*.test.ts'], passWithNoTests: true, testTimeout: 120_000, hookTimeout: 300_000 } })
