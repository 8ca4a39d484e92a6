import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { pieces } from '../../src/oci/pieces.js'

async function* of(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const c of chunks) yield c
}

describe('pieces', () => {
  // for any chunking and piece size: the pieces concatenate to the input, and all but the last are exactly `size` bytes
  it('cuts any stream into pieces of the size asked, losing and adding nothing', () =>
    fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 12 }),
        fc.integer({ min: 1, max: 17 }),
        async (chunks, size) => {
          const out: Uint8Array[] = []
          for await (const p of pieces(of(chunks), size)) out.push(new Uint8Array(p))
          expect(Buffer.concat(out)).toEqual(Buffer.concat(chunks))
          expect(out.slice(0, -1).every((p) => p.byteLength === size)).toBe(true)
          expect(out.every((p) => p.byteLength > 0 && p.byteLength <= size)).toBe(true)
        },
      ),
    ))
})
