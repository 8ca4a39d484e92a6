import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// Tests run on the packages' TypeScript sources, never on dist/ output: every entry point a
// package exports (`@stratum/core`, `@stratum/core/internal`, ...) maps to its `@stratum/source`
// file, so a module is loaded once whichever entry point names it.
const packagesDir = fileURLToPath(new URL('./packages/', import.meta.url))
type Exports = Record<string, { readonly '@stratum/source'?: string }>
const alias = readdirSync(packagesDir).flatMap((p) => {
  const { exports } = JSON.parse(readFileSync(`${packagesDir}${p}/package.json`, 'utf8')) as { exports: Exports }
  return Object.entries(exports).flatMap(([sub, targets]) => {
    const source = targets['@stratum/source']
    if (source === undefined) return []
    const escaped = `@stratum/${p}${sub.slice(1)}`.replace(/[/.]/g, '\\$&')
    return [{ find: new RegExp(`^${escaped}$`), replacement: `${packagesDir}${p}/${source.slice(2)}` }]
  })
})

export default defineConfig({
  resolve: { alias, conditions: ['@stratum/source'] },
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', './.ci/summary-reporter.ts'],
  },
})
