/**
 * Streaming gzip decompression with limits. Truncated input, garbage, or trailing garbage
 * after the last member is CorruptLayer; output beyond `maxBytes`, or beyond `maxRatio` times
 * the input once past `ratioFloor` bytes, is LimitExceeded. Both are raised while streaming:
 * decompression stops at the first chunk over the limit, whatever the input still holds.
 */
import { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { err } from '../errors.js'
import { checkDecompressLimits, DEFAULT_DECOMPRESS_LIMITS, type Decompressor } from './decompress-limits.js'
import { StorageFailure } from '../failure.js'

export { DEFAULT_DECOMPRESS_LIMITS, type DecompressLimits } from './decompress-limits.js'

const isZlibError = (e: unknown): e is Error & { code: string } =>
  e instanceof Error &&
  typeof (e as { code?: unknown }).code === 'string' &&
  String((e as unknown as { code: string }).code).startsWith('Z_')

/** Decompresses a gzip stream under `limits`; a corrupt stream fails into `slot` as CorruptLayer naming `what`. */
export const gunzip: Decompressor = (source, what, slot, limits = DEFAULT_DECOMPRESS_LIMITS) => ({
  async *[Symbol.asyncIterator]() {
    let inBytes = 0
    async function* counted(): AsyncGenerator<Uint8Array> {
      for await (const c of source) {
        inBytes += c.byteLength
        yield c
      }
    }
    const input = Readable.from(counted(), { objectMode: false })
    const z = createGunzip({ chunkSize: 128 * 1024 })
    input.on('error', (e) => z.destroy(e))
    input.pipe(z)
    let outBytes = 0
    try {
      for await (const chunk of z as AsyncIterable<Buffer>) {
        outBytes += chunk.byteLength
        checkDecompressLimits(what, slot, limits, inBytes, outBytes)
        yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)
      }
    } catch (e) {
      if (e instanceof StorageFailure || !isZlibError(e)) throw e
      throw slot.raise(err('CorruptLayer', { what, reason: `gzip: ${e.message}` }))
    } finally {
      input.destroy()
      z.destroy()
    }
  },
})
