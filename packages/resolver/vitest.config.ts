import { defineConfig } from 'vitest/config'

// The corpus and random-universe tests take a second or two; on a machine
// shared by many test runs they can take much longer, so the timeout is generous.
export default defineConfig({ test: { include: ['src/**/*.test.ts', 'test/**/*.test.ts'], passWithNoTests: true, testTimeout: 60_000 } })
