import { describe, expect, it } from 'vitest'
import { budgetFromEnv, type Part } from '../src/index.js'

const selectedParts = (env: Record<string, string>) => {
  const parts = budgetFromEnv(env).parts
  return Object.fromEntries(['algebra', 'layers', 'hostile', 'crash'].map((p) => [p, parts.includes(p as Part)]))
}

describe('STRATUM_CONFORMANCE_GROUPS selects the parts of the suite', () => {
  it.each([
    [undefined, { algebra: true, layers: true, hostile: true, crash: true }],
    ['all', { algebra: true, layers: true, hostile: true, crash: true }],
    ['algebra', { algebra: true, layers: false, hostile: false, crash: false }],
    ['layers', { algebra: false, layers: true, hostile: false, crash: false }],
    ['hostile', { algebra: false, layers: false, hostile: true, crash: false }],
    ['crash', { algebra: false, layers: false, hostile: false, crash: true }],
  ])('%s -> %o', (v, want) => {
    expect(selectedParts(v === undefined ? {} : { STRATUM_CONFORMANCE_GROUPS: v })).toEqual(want)
  })

  it('an unknown part is an error naming the variable and the parts there are', () => {
    expect(() => budgetFromEnv({ STRATUM_CONFORMANCE_GROUPS: 'nonsense' })).toThrow(
      "STRATUM_CONFORMANCE_GROUPS='nonsense': not a part of the suite (all, algebra, layers, hostile, crash)",
    )
  })
})
