/**
 * A layer blob verified as it streams: `tar` is its uncompressed tar for one consumer (a tar
 * reader, which may stop at the end-of-archive blocks); `finish` then drains both streams and
 * checks the blob's digest and size and the tar's diffID. The failure reported is the one that
 * explains the others: one raised inside the stream (gzip, a limit, reading the blob) before
 * whatever the consumer made of it, and a blob that is not the one named before a tar or gzip it
 * also broke.
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { err, type StorageError } from '../errors.js'
import { asDiffId, type DiffId, type Digest } from './digest.js'
import type { DecompressLimits } from './decompress-limits.js'
import { gunzip } from './gzip.js'
import { type LayerCompression, layerCompression } from './media.js'
import { FailureSlot, type Finished, Tap } from './stream.js'
import { unzstd } from './zstd.js'
import { threadedGunzip } from './gzip-thread.js'

/** What a descriptor says of a layer blob; each given field is verified. */
export interface LayerExpectation {
  /** an OCI or Docker layer media type: it says whether the blob is gzip- or zstd-compressed */
  readonly mediaType: string
  /** the blob's sha256 (of the bytes as given, compressed or not) */
  readonly digest?: Digest
  /** the uncompressed tar's sha256 */
  readonly diffId?: DiffId
  /** the blob's size in bytes */
  readonly size?: number
}

/** A layer blob being read: its tar, checked against digest, size and diffID when finished. */
export interface VerifiedLayerStream {
  /** the uncompressed layer tar */
  readonly tar: AsyncIterable<Uint8Array>
  /** given what the consumer of `tar` made of it: the tar's diffID, or the failure; closes the streams on failure */
  finish(consumed: E.Either<StorageError, unknown>): TE.TaskEither<StorageError, DiffId>
}

/** How a layer blob is read: the decompression limits, and who hears of its bytes. */
export interface VerifyOptions {
  readonly limits: DecompressLimits
  /** hears of every blob chunk read (progress) */
  readonly onBytes?: (n: number) => void
  /** a gzip blob of at least this many bytes (by its descriptor) is inflated on the inflate thread (default INFLATE_THREAD_FROM) */
  readonly inflateThreadFrom?: number
}

/** Smaller gzip blobs are inflated in this thread: starting the inflate thread costs more than it saves. */
export const INFLATE_THREAD_FROM = 1024 * 1024

/** `layer <digest>`: how errors name the blob. */
export const describeLayer = (l: LayerExpectation): string => `layer ${l.digest ?? l.diffId ?? '(unnamed)'}`

const mismatch = (what: string, expected: Digest | undefined, f: Finished): StorageError | undefined =>
  expected === undefined || f.digest === expected
    ? undefined
    : err('DigestMismatch', { what, expected, actual: f.digest })

const decompress = (
  c: LayerCompression,
  blob: AsyncIterable<Uint8Array>,
  what: string,
  slot: FailureSlot,
  limits: DecompressLimits,
): AsyncIterable<Uint8Array> =>
  c === 'gzip' ? gunzip(blob, what, slot, limits) : c === 'zstd' ? unzstd(blob, what, slot, limits) : blob

/** Unsupported for a media type that is not a layer this library reads. */
export const verifiedLayerStream = (
  blob: AsyncIterable<Uint8Array>,
  expected: LayerExpectation,
  opts: VerifyOptions,
): E.Either<StorageError, VerifiedLayerStream> => {
  const what = describeLayer(expected)
  return E.map((compression: LayerCompression): VerifiedLayerStream => {
    const slot = new FailureSlot()
    // a large gzip blob, the common layer, is inflated and hashed on the inflate thread, beside the apply
    const threaded =
      compression === 'gzip' && (expected.size ?? 0) >= (opts.inflateThreadFrom ?? INFLATE_THREAD_FROM)
        ? threadedGunzip(opts.limits)
        : undefined
    const blobTap = new Tap(blob, `${what} blob`, expected.size, opts.onBytes, threaded?.blobDigester)
    const tarTap =
      threaded === undefined
        ? new Tap(decompress(compression, blobTap, what, slot, opts.limits), `${what} tar`)
        : new Tap(threaded.tar(blobTap, what, slot), `${what} tar`, Infinity, undefined, threaded.tarDigester)
    const cause = (e: StorageError): StorageError => slot.error ?? blobTap.failure ?? e
    // the named blob was not the one given: that explains a broken tar or gzip
    const mismatchFirst = async (e: StorageError): Promise<StorageError> => {
      if (expected.digest === undefined || e._tag === 'DigestMismatch') return e
      const b = await blobTap.finish()()
      return (E.isRight(b) && mismatch(`${what} blob`, expected.digest, b.right)) || e
    }
    const verify = async (consumed: E.Either<StorageError, unknown>): Promise<E.Either<StorageError, DiffId>> => {
      const tar = E.isLeft(consumed) ? consumed : await tarTap.finish()()
      if (E.isLeft(tar) && threaded !== undefined) {
        // the tar is not read any more: the rest of the blob is only hashed, read here alone
        await tarTap.close()
        threaded.stop()
      }
      if (E.isLeft(tar)) return E.left(await mismatchFirst(cause(tar.left)))
      const b = await blobTap.finish()()
      if (E.isLeft(b)) return E.left(cause(b.left))
      const bad =
        mismatch(`${what} blob`, expected.digest, b.right) ??
        (expected.size === undefined || b.right.bytes === expected.size
          ? undefined
          : err('CorruptLayer', {
              what,
              reason: `blob is ${b.right.bytes} bytes, descriptor says ${expected.size}`,
            })) ??
        mismatch(`${what} uncompressed (diffID)`, expected.diffId, tar.right)
      return bad === undefined ? E.right(asDiffId(tar.right.digest)) : E.left(bad)
    }
    return {
      tar: tarTap,
      finish: (consumed) => async () => {
        const r = await verify(consumed)
        if (E.isLeft(r)) {
          await tarTap.close()
          await blobTap.close()
        }
        return r
      },
    }
  })(layerCompression(expected.mediaType))
}
