/**
 * zstd compression for written layers: the tar is cut at every ZSTD_FRAME_BYTES of its bytes and
 * each piece compressed as one zstd frame (level 3, zstd's default) by @bokuweb/zstd-wasm, chosen
 * by measurement (core's README). Concatenated frames are one zstd stream to every reader, the
 * cut points depend on the tar alone, so the same tar always gives the same blob bytes, and no
 * more than one frame is held in memory. Each call is synchronous, so concurrent writers never
 * share an encoder state. The wasm encoder is loaded by the first zstd stream written.
 */
import { pieces } from './pieces.js'

/** The tar bytes in one zstd frame. */
export const ZSTD_FRAME_BYTES = 4 * 1024 * 1024
/** The zstd level written (the zstd tool's default). */
export const ZSTD_LEVEL = 3

type Encoder = typeof import('@bokuweb/zstd-wasm')
let loaded: Promise<Encoder> | undefined
const encoder = (): Promise<Encoder> => {
  loaded ??= import('@bokuweb/zstd-wasm').then(async (m) => {
    await m.init()
    return m
  })
  return loaded
}

/** `source` as a zstd stream of one frame per ZSTD_FRAME_BYTES (one empty frame for an empty source). */
export const zstdStream = (source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> => ({
  async *[Symbol.asyncIterator]() {
    const { compress } = await encoder()
    let frames = 0
    for await (const piece of pieces(source, ZSTD_FRAME_BYTES)) {
      yield compress(piece, ZSTD_LEVEL)
      frames += 1
    }
    if (frames === 0) yield compress(new Uint8Array(0), ZSTD_LEVEL)
  },
})
