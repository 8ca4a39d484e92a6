// The zstd writer: what it writes decodes to the tar, and the bytes depend on the tar alone (never on its chunking).
import { randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compressStream, layerMediaType } from '../../src/oci/compress.js'
import { MEDIA_LAYER_ZSTD } from '../../src/oci/media.js'
import { FailureSlot } from '../../src/oci/stream.js'
import { ZSTD_FRAME_BYTES, zstdStream } from '../../src/oci/zstd-encode.js'
import { unzstd } from '../../src/oci/zstd.js'

const collect = async (s: AsyncIterable<Uint8Array>): Promise<Buffer> => {
  const out: Uint8Array[] = []
  for await (const c of s) out.push(c)
  return Buffer.concat(out)
}
async function* chunked(bytes: Uint8Array, cuts: readonly number[]): AsyncGenerator<Uint8Array> {
  let at = 0
  for (const c of [...cuts].sort((a, b) => a - b)) {
    yield bytes.subarray(at, Math.max(at, c))
    at = Math.max(at, c)
  }
  yield bytes.subarray(at)
}
const decoded = (zst: Uint8Array) => collect(unzstd(chunked(zst, []), 'test', new FailureSlot()))

/** zstd frame magic 28 b5 2f fd at each frame start */
const frameStarts = (zst: Buffer): number => zst.toString('hex').split('28b52ffd').length - 1

describe('zstd writer', () => {
  it('writes the OCI zstd media type', () => {
    expect(layerMediaType('zstd')).toBe(MEDIA_LAYER_ZSTD)
  })

  // property: for any bytes and any chunking, the output decodes to the bytes and equals the unchunked output
  it('round-trips and is independent of the chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 4096 }),
        fc.array(fc.nat({ max: 4096 }), { maxLength: 6 }),
        async (bytes, cuts) => {
          const whole = await collect(zstdStream(chunked(bytes, [])))
          expect(await collect(compressStream(chunked(bytes, cuts), 'zstd'))).toEqual(whole)
          expect(await decoded(whole)).toEqual(Buffer.from(bytes))
        },
      ),
      { numRuns: 40 },
    )
  })

  it(`cuts a frame at every ${ZSTD_FRAME_BYTES} tar bytes, wherever the chunks end`, async () => {
    const tar = Buffer.concat([randomBytes(ZSTD_FRAME_BYTES), Buffer.alloc(ZSTD_FRAME_BYTES + 12345, 7)])
    const a = await collect(zstdStream(chunked(tar, [])))
    const b = await collect(zstdStream(chunked(tar, [1, 65536, ZSTD_FRAME_BYTES - 1, ZSTD_FRAME_BYTES + 3])))
    expect(b.equals(a)).toBe(true)
    expect(frameStarts(a)).toBeGreaterThanOrEqual(3)
    expect((await decoded(a)).equals(tar)).toBe(true)
  })
})
