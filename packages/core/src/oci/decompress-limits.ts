/** The limits every layer decompressor enforces while streaming (gzip and zstd alike). */
import { err } from '../errors.js'
import type { FailureSlot } from './stream.js'

/** Limits on decompressing a layer blob; over one it is `LimitExceeded`. */
export interface DecompressLimits {
  /** total uncompressed bytes */
  readonly maxBytes: number
  /** uncompressed / compressed bytes */
  readonly maxRatio: number
  /** uncompressed bytes below which the ratio is not checked */
  readonly ratioFloor: number
}

/** The limits applied when the store options name none. */
export const DEFAULT_DECOMPRESS_LIMITS: DecompressLimits = {
  maxBytes: 16 * 1024 ** 3,
  maxRatio: 200,
  ratioFloor: 64 * 1024 ** 2,
}

/** A streaming layer decompressor: `what` names the layer in its errors, raised through `slot`. */
export type Decompressor = (
  source: AsyncIterable<Uint8Array>,
  what: string,
  slot: FailureSlot,
  limits?: DecompressLimits,
) => AsyncIterable<Uint8Array>

/** Throws LimitExceeded (recorded in `slot`) once `outBytes` from `inBytes` of input passes a limit. */
export const checkDecompressLimits = (
  what: string,
  slot: FailureSlot,
  limits: DecompressLimits,
  inBytes: number,
  outBytes: number,
): void => {
  if (outBytes > limits.maxBytes) {
    throw slot.raise(err('LimitExceeded', { what: `${what}: uncompressed size`, limit: limits.maxBytes }))
  }
  if (outBytes > limits.ratioFloor && outBytes > limits.maxRatio * Math.max(inBytes, 1)) {
    throw slot.raise(err('LimitExceeded', { what: `${what}: decompression ratio`, limit: limits.maxRatio }))
  }
}
