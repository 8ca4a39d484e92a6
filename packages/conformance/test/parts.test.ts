import { describe, expect, it } from 'vitest'
import { selectedParts } from '../src/index.js'

describe('STRATUM_CONFORMANCE_GROUPS selects the parts of the suite', () => {
  it.each([
    [undefined, { algebra: true, layers: true }],
    ['all', { algebra: true, layers: true }],
    ['algebra', { algebra: true, layers: false }],
    ['layers', { algebra: false, layers: true }],
    ['nonsense', { algebra: false, layers: false }],
  ])('%s -> %o', (v, want) => {
    expect(selectedParts(v === undefined ? {} : { STRATUM_CONFORMANCE_GROUPS: v })).toEqual(want)
  })
})
