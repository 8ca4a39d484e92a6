/**
 * Streaming zstd decompression with the same guarantees as gzip.ts: corrupt or truncated input
 * is CorruptLayer, output past the limits is LimitExceeded, both raised while streaming. The
 * decoder is fzstd (pure JS: no native build on any platform); frames asking for a window over
 * `MAX_ZSTD_WINDOW` are refused before it allocates them. fzstd is loaded by the first zstd
 * stream read, so a process that reads none (most CLI commands) does not load it.
 */
import { err } from '../errors.js'
import { checkDecompressLimits, DEFAULT_DECOMPRESS_LIMITS, type Decompressor } from './decompress-limits.js'
import { StorageFailure } from '../failure.js'
import { ZstdFrameWalker } from './zstd-frames.js'

/** The largest zstd window decoded (zstd's levels 1-19 use at most 8 MiB; `--long` asks for 128 MiB). */
export const MAX_ZSTD_WINDOW = 32 * 1024 ** 2

/** Input is fed to the decoder in pieces this size, so one piece's output stays small. */
const PIECE = 64 * 1024

/** fzstd's code 5 is its unexpected end of input */
const decoderReason = (e: unknown): string =>
  (e as { code?: unknown }).code === 5
    ? 'truncated (unexpected end of input)'
    : e instanceof Error
      ? e.message
      : String(e)

/** Decompresses a zstd stream under `limits`; a corrupt stream fails into `slot` as CorruptLayer naming `what`. */
export const unzstd: Decompressor = (source, what, slot, limits = DEFAULT_DECOMPRESS_LIMITS) => ({
  async *[Symbol.asyncIterator]() {
    let inBytes = 0
    let outBytes = 0
    let out: Uint8Array[] = []
    const { Decompress } = await import('fzstd')
    const walker = new ZstdFrameWalker(MAX_ZSTD_WINDOW)
    const decoder = new Decompress((block) => {
      outBytes += block.byteLength
      checkDecompressLimits(what, slot, limits, inBytes, outBytes)
      out.push(block)
    })
    const push = (piece: Uint8Array, final: boolean): void => {
      const problem = walker.scan(piece)
      if (problem?.kind === 'window') {
        throw slot.raise(err('LimitExceeded', { what: `${what}: zstd window`, limit: MAX_ZSTD_WINDOW }))
      }
      if (problem?.kind === 'corrupt')
        throw slot.raise(err('CorruptLayer', { what, reason: `zstd: ${problem.reason}` }))
      try {
        decoder.push(piece, final)
      } catch (e) {
        if (e instanceof StorageFailure) throw e
        throw slot.raise(err('CorruptLayer', { what, reason: `zstd: ${decoderReason(e)}` }))
      }
    }
    const take = (): Uint8Array[] => {
      const blocks = out
      out = []
      return blocks
    }
    for await (const chunk of source) {
      inBytes += chunk.byteLength
      for (let at = 0; at < chunk.byteLength; at += PIECE) {
        push(chunk.subarray(at, at + PIECE), false)
        yield* take()
      }
    }
    if (inBytes === 0) throw slot.raise(err('CorruptLayer', { what, reason: 'zstd: empty input' }))
    push(new Uint8Array(0), true)
    yield* take()
  },
})
