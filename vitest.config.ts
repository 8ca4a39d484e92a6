import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: { conditions: ['@stratum/source'] },
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', './.ci/summary-reporter.ts'],
  },
})
