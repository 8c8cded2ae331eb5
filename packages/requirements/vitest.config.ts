import { defineConfig } from 'vitest/config'

// Generous timeouts: the differential test runs Python, and the machine is shared.
export default defineConfig({
  test: { include: ['src/**/*.test.ts', 'test/**/*.test.ts'], passWithNoTests: true, testTimeout: 60_000 },
})
