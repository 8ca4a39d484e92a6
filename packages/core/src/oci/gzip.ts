/**
 * Streaming gzip decompression with limits. Truncated input, garbage, or trailing garbage
 * after the last member is CorruptLayer; output beyond `maxBytes`, or beyond `maxRatio` times
 * the input once past `ratioFloor` bytes, is LimitExceeded. Both are raised while streaming:
 * decompression stops at the first chunk over the limit, whatever the input still holds.
 */
import { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { err } from '../errors.js'
import { type FailureSlot, StreamFailure } from './stream.js'

export interface DecompressLimits {
  /** total uncompressed bytes */
  readonly maxBytes: number
  /** uncompressed / compressed bytes */
  readonly maxRatio: number
  /** uncompressed bytes below which the ratio is not checked */
  readonly ratioFloor: number
}

export const DEFAULT_DECOMPRESS_LIMITS: DecompressLimits = {
  maxBytes: 16 * 1024 ** 3,
  maxRatio: 200,
  ratioFloor: 64 * 1024 ** 2,
}

const isZlibError = (e: unknown): e is Error & { code: string } =>
  e instanceof Error &&
  typeof (e as { code?: unknown }).code === 'string' &&
  String((e as unknown as { code: string }).code).startsWith('Z_')

export const gunzip = (
  source: AsyncIterable<Uint8Array>,
  what: string,
  slot: FailureSlot,
  limits: DecompressLimits = DEFAULT_DECOMPRESS_LIMITS,
): AsyncIterable<Uint8Array> => ({
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
        if (outBytes > limits.maxBytes) {
          throw slot.raise(err('LimitExceeded', { what: `${what}: uncompressed size`, limit: limits.maxBytes }))
        }
        if (outBytes > limits.ratioFloor && outBytes > limits.maxRatio * Math.max(inBytes, 1)) {
          throw slot.raise(err('LimitExceeded', { what: `${what}: decompression ratio`, limit: limits.maxRatio }))
        }
        yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)
      }
    } catch (e) {
      if (e instanceof StreamFailure || !isZlibError(e)) throw e
      throw slot.raise(err('CorruptLayer', { what, reason: `gzip: ${e.message}` }))
    } finally {
      input.destroy()
      z.destroy()
    }
  },
})
