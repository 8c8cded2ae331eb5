import { defineConfig } from 'vitest/config'

// Several tests spawn processes and unpack real wheels: give them room on a busy 2-core machine.
export default defineConfig({ test: { include: ['src/**/*.test.ts', 'test/**/*.test.ts'], passWithNoTests: true, testTimeout: 30_000 } })
