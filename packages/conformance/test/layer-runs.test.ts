import { afterEach, describe, expect, it, vi } from 'vitest'
import { budgetFromEnv } from '../src/budget.js'
import { layerRuns as runsWith } from '../src/layers/apply-tar.js'

/** the layer runs for the property budget the environment gives */
const layerRuns = (override: number | undefined, div: number) =>
  runsWith(budgetFromEnv(process.env).property, override, div)

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('layer property runs follow STRATUM_CONFORMANCE_RUNS', () => {
  it("divided by the group's divisor, at least 5", () => {
    vi.stubEnv('STRATUM_CONFORMANCE_RUNS', '200')
    expect(layerRuns(undefined, 16).runs).toBe(13)
    vi.stubEnv('STRATUM_CONFORMANCE_RUNS', '10')
    expect(layerRuns(undefined, 16).runs).toBe(5)
  })
  it('fewer than 5 when the setting itself asks for fewer; an explicit count wins', () => {
    vi.stubEnv('STRATUM_CONFORMANCE_RUNS', '2')
    expect(layerRuns(undefined, 4).runs).toBe(2)
    expect(layerRuns(7, 4).runs).toBe(7)
  })
  it('carries the seed, so a fixed-seed run is reproducible', () => {
    vi.stubEnv('STRATUM_CONFORMANCE_SEED', '42')
    expect(layerRuns(undefined, 4).seed).toBe(42)
  })
})
