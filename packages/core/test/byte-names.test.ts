import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { nameByteLength, nameFromBytes, nameToBytes } from '../src/byte-names.js'

describe('byte names', () => {
  // Property: every byte string survives bytes -> name -> bytes unchanged.
  it('round-trips every byte string', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
        expect(nameToBytes(nameFromBytes(b)).equals(Buffer.from(b))).toBe(true)
      }),
      { numRuns: 2000 },
    )
  })
  // Property: names of different byte strings differ (no two files merge).
  it('is injective', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 8 }), fc.uint8Array({ maxLength: 8 }), (a, b) => {
        fc.pre(!Buffer.from(a).equals(Buffer.from(b)))
        expect(nameFromBytes(a)).not.toBe(nameFromBytes(b))
      }),
      { numRuns: 2000 },
    )
  })
  it('keeps valid UTF-8 as text and Latin-1 bytes apart', () => {
    expect(nameFromBytes(Buffer.from('café ☕ 😀', 'utf8'))).toBe('café ☕ 😀')
    const e9 = nameFromBytes(Buffer.from([0x63, 0x61, 0x66, 0xe9]))
    const e8 = nameFromBytes(Buffer.from([0x63, 0x61, 0x66, 0xe8]))
    expect(e9).not.toBe(e8)
    expect(e9).toBe('caf\udce9')
    expect(nameByteLength(e9)).toBe(4)
    // an encoded surrogate (invalid UTF-8) is escaped byte by byte
    expect(nameToBytes(nameFromBytes(Buffer.from([0xed, 0xb2, 0x80])))).toEqual(Buffer.from([0xed, 0xb2, 0x80]))
  })
  it('keeps a leading byte order mark as part of the name', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf, 0x61])
    expect(nameFromBytes(bom)).toBe('\ufeffa')
    expect(nameToBytes(nameFromBytes(bom))).toEqual(bom)
  })
})
