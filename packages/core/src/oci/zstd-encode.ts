/**
 * zstd compression for written layers: the tar is cut at every ZSTD_FRAME_BYTES of its bytes and
 * each piece compressed as one zstd frame (level 3, zstd's default) by @bokuweb/zstd-wasm, chosen
 * by measurement (core's README). Concatenated frames are one zstd stream to every reader, the
 * cut points depend on the tar alone, so the same tar always gives the same blob bytes, and no
 * more than one frame is held in memory. Each call is synchronous, so concurrent writers never
 * share an encoder state.
 */
import { compress, init } from '@bokuweb/zstd-wasm'

/** The tar bytes in one zstd frame. */
export const ZSTD_FRAME_BYTES = 4 * 1024 * 1024
/** The zstd level written (the zstd tool's default). */
export const ZSTD_LEVEL = 3

let loaded: Promise<void> | undefined
const ready = (): Promise<void> => {
  loaded ??= init()
  return loaded
}

const frame = (pieces: readonly Uint8Array[], size: number): Uint8Array =>
  compress(pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, size), ZSTD_LEVEL)

/** `source` as a zstd stream of one frame per ZSTD_FRAME_BYTES (one empty frame for an empty source). */
export const zstdStream = (source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> => ({
  async *[Symbol.asyncIterator]() {
    await ready()
    let pieces: Uint8Array[] = []
    let size = 0
    let frames = 0
    for await (const chunk of source) {
      let c = chunk
      while (size + c.byteLength >= ZSTD_FRAME_BYTES) {
        const take = ZSTD_FRAME_BYTES - size
        pieces.push(c.subarray(0, take))
        yield frame(pieces, ZSTD_FRAME_BYTES)
        frames += 1
        c = c.subarray(take)
        pieces = []
        size = 0
      }
      if (c.byteLength > 0) {
        pieces.push(c)
        size += c.byteLength
      }
    }
    if (size > 0 || frames === 0) yield frame(pieces, size)
  },
})
