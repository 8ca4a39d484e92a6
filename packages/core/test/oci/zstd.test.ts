// zstd layers: the fixture (a 174 KiB tar compressed by the zstd tool, -19 --check) decodes to the
// bytes `zstd -d` gives; corrupt, truncated, oversized and bomb input fail as gzip's does.
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { sha256 } from '../../src/oci/digest.js'
import { FailureSlot, toStorageError } from '../../src/oci/stream.js'
import { MAX_ZSTD_WINDOW, unzstd } from '../../src/oci/zstd.js'
import { TREE_TAR, treeZst } from './zstd-fixture.js'

async function* chunks(buf: Uint8Array, size = 1000): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < buf.byteLength; i += size) yield buf.subarray(i, i + size)
}

const readAll = async (s: AsyncIterable<Uint8Array>): Promise<E.Either<unknown, Buffer>> => {
  try {
    const out: Uint8Array[] = []
    for await (const c of s) out.push(c)
    return E.right(Buffer.concat(out))
  } catch (e) {
    return E.left(toStorageError(e, 'test'))
  }
}

const digestOf = (r: E.Either<unknown, Buffer>) => E.map((b: Buffer) => sha256(b))(r)

/** a skippable frame (RFC 8878 3.1.2) holding `n` bytes */
const skippable = (n: number): Buffer => {
  const b = Buffer.alloc(8 + n, 0xaa)
  b.writeUInt32LE(0x184d2a53, 0)
  b.writeUInt32LE(n, 4)
  return b
}

/** a frame header asking for a window of 2^(10 + exp) bytes, then one empty raw last block */
const frameWithWindow = (exp: number): Buffer => Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, exp << 3, 0x01, 0, 0])

describe('unzstd', () => {
  const zst = treeZst()

  it.each([2, 7, 1000, 65536, 1 << 20])('decodes a zstd-tool frame fed in chunks of %i bytes', async (size) => {
    expect(digestOf(await readAll(unzstd(chunks(zst, size), 'l', new FailureSlot())))).toEqual(E.right(TREE_TAR))
  })

  it('frames following one another, with a skippable frame between, are one stream', async () => {
    const r = await readAll(unzstd(chunks(Buffer.concat([zst, skippable(10), zst]), 333), 'l', new FailureSlot()))
    const tar = await readAll(unzstd(chunks(zst), 'l', new FailureSlot()))
    expect(E.isRight(r) && E.isRight(tar) && r.right.equals(Buffer.concat([tar.right, tar.right]))).toBe(true)
  })

  const flipped = Buffer.from(zst)
  flipped[20_000] = flipped[20_000]! ^ 0x5a
  it.each([
    ['truncated', zst.subarray(0, zst.length - 100), 'truncated'],
    ['cut inside its checksum', zst.subarray(0, zst.length - 2), 'truncated'],
    ['trailing garbage', Buffer.concat([zst, Buffer.from('garbage!')]), 'not a zstd frame'],
    ['gzip bytes', Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), 'not a zstd frame'],
    ['empty', Buffer.alloc(0), 'empty'],
    ['a reserved block type', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x50, 0x07, 0, 0]), 'reserved'],
  ])('%s is CorruptLayer naming the layer, recorded in the slot', async (_name, bytes, reason) => {
    const slot = new FailureSlot()
    const r = await readAll(unzstd(chunks(bytes), 'layer 1', slot))
    expect(r).toMatchObject(E.left({ _tag: 'CorruptLayer', what: 'layer 1' }))
    expect(E.isLeft(r) && (r.left as { reason: string }).reason).toContain(reason)
    expect(slot.error).toMatchObject({ _tag: 'CorruptLayer', what: 'layer 1' })
  })

  it('a flipped byte inside a compressed block fails or changes the output (the digest check catches the rest)', async () => {
    const r = digestOf(await readAll(unzstd(chunks(flipped), 'layer 1', new FailureSlot())))
    expect(r).not.toEqual(E.right(TREE_TAR))
  })

  it('a frame asking for a window over the limit is LimitExceeded before anything is decoded', async () => {
    expect(2 ** (10 + 16)).toBeGreaterThan(MAX_ZSTD_WINDOW)
    const r = await readAll(unzstd(chunks(frameWithWindow(16)), 'layer 1', new FailureSlot()))
    expect(r).toMatchObject(E.left({ _tag: 'LimitExceeded', what: 'layer 1: zstd window', limit: MAX_ZSTD_WINDOW }))
    expect(await readAll(unzstd(chunks(frameWithWindow(10)), 'l', new FailureSlot()))).toEqual(E.right(Buffer.alloc(0)))
  })

  it('a small zstd expanding past maxBytes or the ratio is stopped while streaming', async () => {
    // RLE blocks: 4 bytes each expand to 128 KiB; 2000 of them would be 250 MiB
    const rle = Buffer.from([0x02 | (131072 << 3), (131072 << 3) >> 8, (131072 << 3) >> 16, 0])
    const last = Buffer.from([0x03 | (131072 << 3), (131072 << 3) >> 8, (131072 << 3) >> 16, 0])
    const bomb = Buffer.concat([frameWithWindow(7).subarray(0, 6), ...Array(1999).fill(rle), last])
    const limits = { maxBytes: 1024 ** 2, maxRatio: 1e9, ratioFloor: 0 }
    const slot = new FailureSlot()
    const r = await readAll(unzstd(chunks(bomb), 'layer 1', slot, limits))
    expect(r).toMatchObject(E.left({ _tag: 'LimitExceeded', what: 'layer 1: uncompressed size', limit: 1024 ** 2 }))
    const ratio = await readAll(unzstd(chunks(bomb), 'l', slot, { maxBytes: 1e12, maxRatio: 100, ratioFloor: 1 }))
    expect(ratio).toMatchObject(E.left({ _tag: 'LimitExceeded', what: 'l: decompression ratio' }))
  })
})
