// readAhead: the consumer gets the source's chunks in order, then its failure; the source runs at most maxBytes ahead; a consumer that stops early stops the source.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readAhead } from '../../src/registry/read-ahead.js'

const chunk = (n: number) => new Uint8Array(n)

describe('readAhead', () => {
  it('keeps order and bounds what is read ahead (property)', async () => {
    // For any chunk sizes and bound, the consumer sees every chunk in order and the source is never more than bound plus two chunks (the one handed over, the one being read) ahead.
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 120 }),
        async (sizes, bound) => {
          let produced = 0
          let consumed = 0
          let worst = 0
          async function* source() {
            for (const s of sizes) {
              produced += s
              yield chunk(s)
            }
          }
          const seen: number[] = []
          for await (const c of readAhead(source(), bound)) {
            worst = Math.max(worst, produced - consumed)
            consumed += c.byteLength
            seen.push(c.byteLength)
            await new Promise((r) => setImmediate(r))
          }
          expect(seen).toEqual(sizes)
          expect(worst).toBeLessThanOrEqual(bound + 2 * 50)
        },
      ),
      { numRuns: 50 },
    )
  })

  it("delivers the chunks before the source's failure, then the failure", async () => {
    async function* source() {
      yield chunk(1)
      yield chunk(2)
      throw new Error('cut')
    }
    const seen: number[] = []
    await expect(
      (async () => {
        for await (const c of readAhead(source(), 1 << 20)) seen.push(c.byteLength)
      })(),
    ).rejects.toThrow('cut')
    expect(seen).toEqual([1, 2])
  })

  it('a consumer that stops early stops the source', async () => {
    let pulled = 0
    async function* source() {
      for (;;) {
        pulled++
        yield chunk(10)
      }
    }
    for await (const _ of readAhead(source(), 30)) break
    const at = pulled
    await new Promise((r) => setTimeout(r, 20))
    expect(pulled).toBe(at)
    expect(at).toBeLessThanOrEqual(5)
  })
})
