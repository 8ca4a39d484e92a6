import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as H from '../src/hamt.js'

// keys k and k + 2**32 hash alike, so collision nodes get exercised too
const key = fc.oneof(
  fc.integer({ min: 0, max: 3000 }),
  fc.integer({ min: 0, max: 50 }).map((k) => k + 2 ** 32),
)
const op = fc.oneof(fc.record({ set: key, v: fc.integer() }), fc.record({ del: key }))
type Op = { set?: number; v?: number; del?: number }
const apply = (m: H.Hamt<number, number>, ref: Map<number, number>, o: Op) => {
  if (o.set !== undefined) {
    ref.set(o.set, o.v!)
    return H.set(m, o.set, o.v!)
  }
  ref.delete(o.del!)
  return H.remove(m, o.del!)
}

/** A map built by `base`, and one derived from it by `more`, with the Maps they should equal. */
const derived = (base: readonly Op[], more: readonly Op[]) => {
  const refA = new Map<number, number>()
  let a = H.empty<number, number>()
  for (const o of base) a = apply(a, refA, o)
  const refB = new Map(refA)
  let b = a
  for (const o of more) b = apply(b, refB, o)
  return { a, refA, b, refB }
}

describe('hamt', () => {
  // A HAMT after any sequence of sets and removes holds exactly what a Map holds.
  it('behaves like a Map', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const ref = new Map<number, number>()
        let m = H.empty<number, number>()
        for (const o of ops) m = apply(m, ref, o)
        expect(m.size).toBe(ref.size)
        expect(new Map(H.entries(m))).toEqual(ref)
        for (const [k, v] of ref) expect(H.get(m, k)).toBe(v)
      }),
      { numRuns: 60 },
    )
  })

  // diffMaps between a map and its descendant reports exactly the keys whose values differ.
  it('diffMaps reports exactly the differing keys', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), fc.array(op, { maxLength: 40 }), (base, more) => {
        const { a, refA, b, refB } = derived(base, more)
        const seen = new Map<number, [number | undefined, number | undefined]>()
        H.diffMaps(a, b, (k, x, y) => {
          expect(seen.has(k)).toBe(false)
          seen.set(k, [x, y])
        })
        const want = new Map<number, [number | undefined, number | undefined]>()
        for (const k of new Set([...refA.keys(), ...refB.keys()])) {
          if (refA.get(k) !== refB.get(k)) want.set(k, [refA.get(k), refB.get(k)])
        }
        expect(seen).toEqual(want)
      }),
      { numRuns: 60 },
    )
  })

  it('is persistent: old versions are untouched and unchanged updates return the same map', () => {
    const a = H.fromEntries<string, number>([
      ['x', 1],
      ['y', 2],
    ])
    const b = H.set(a, 'x', 3)
    expect(H.get(a, 'x')).toBe(1)
    expect(H.get(b, 'x')).toBe(3)
    expect(H.set(b, 'x', 3)).toBe(b)
    expect(H.remove(b, 'nope')).toBe(b)
  })

  it('diffMaps visits only the changed part of a large map', () => {
    let m = H.empty<number, number>()
    for (let i = 0; i < 100_000; i++) m = H.set(m, i, i)
    const m2 = H.set(H.remove(m, 5), 77_777, -1)
    let calls = 0
    H.diffMaps(m, m2, () => {
      calls++
    })
    expect(calls).toBe(2)
  })

  // weighDiff of a map and its descendant is the weight of the entries of the second whose value differs from the first's.
  it('weighDiff sums what the second map holds differently, and weight sums a whole map', () => {
    const measure = (v: number) => Math.abs(v) % 1000
    const kept = (x: number | undefined, y: number) => x === y
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), fc.array(op, { maxLength: 300 }), (base, more) => {
        const { a, refA, b, refB } = derived(base, more)
        const sum = (xs: Iterable<number>) => [...xs].reduce((n, v) => n + measure(v), 0)
        expect(H.weight(b.root, measure)).toBe(sum(refB.values()))
        expect(H.weighDiff(a, b, measure, kept)).toBe(
          sum([...refB].filter(([k, v]) => refA.get(k) !== v).map(([, v]) => v)),
        )
        expect(H.weighDiff(b, a, measure, kept)).toBe(
          sum([...refA].filter(([k, v]) => refB.get(k) !== v).map(([, v]) => v)),
        )
      }),
      { numRuns: 100 },
    )
  })

  it('weighDiff visits only the changed part, and a subtree the other map lacks weighs what its branches keep', () => {
    let visits = 0
    const measure = (v: number) => {
      visits++
      return v
    }
    let m = H.empty<number, number>()
    for (let i = 0; i < 100_000; i++) m = H.set(m, i, 1)
    expect(H.weight(m.root, measure)).toBe(100_000)
    const m2 = H.set(m, 100_001, 5)
    visits = 0
    expect(H.weighDiff(m, m2, measure, (x, y) => x === y)).toBe(5)
    expect(H.weighDiff(H.empty<number, number>(), m2, measure, (x, y) => x === y)).toBe(100_005)
    expect(visits).toBeLessThan(100)
  })
})
