import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// Tests run on the packages' TypeScript sources, never on stale dist/ output.
const packagesDir = fileURLToPath(new URL('./packages/', import.meta.url))
const alias = readdirSync(packagesDir).map((p) => ({
  find: new RegExp(`^@stratum/${p}$`),
  replacement: `${packagesDir}${p}/src/index.ts`,
}))

export default defineConfig({
  resolve: { alias, conditions: ['@stratum/source'] },
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', './.ci/summary-reporter.ts'],
  },
})
