/**
 * Streaming verification. A `Tap` passes bytes through while hashing them; the consumer may stop
 * early (a tar reader stops at the end-of-archive blocks), so `finish` drains what is left and
 * then compares the digest. Failures raised while streaming (corrupt gzip, a limit) are thrown
 * as `StreamFailure` so they cross any consumer, and also recorded in a `FailureSlot` so the
 * caller can report the first cause whatever the consumer turned the exception into.
 */
import { createHash, type Hash } from 'node:crypto'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { err, isStorageError, type StorageError } from '../errors.js'
import type { Digest } from './digest.js'

/** An exception carrying a StorageError through code that only knows exceptions. */
export class StreamFailure extends Error {
  constructor(readonly error: StorageError) {
    super(error._tag)
  }
}

/** Holds the first failure raised inside a stream pipeline. */
export class FailureSlot {
  private first: StorageError | undefined
  get error(): StorageError | undefined {
    return this.first
  }
  /** records `e` (if first) and returns the exception to throw */
  raise(e: StorageError): StreamFailure {
    this.first ??= e
    return new StreamFailure(e)
  }
}

/** Turn anything a stream threw into a StorageError. */
export const toStorageError = (e: unknown, what: string): StorageError =>
  e instanceof StreamFailure ? e.error
    : isStorageError(e) ? e
    : err('CorruptLayer', { what, reason: e instanceof Error ? e.message : String(e) })

export interface Finished {
  readonly digest: Digest
  readonly bytes: number
}

export class Tap implements AsyncIterable<Uint8Array> {
  private readonly hash: Hash = createHash('sha256')
  private readonly it: AsyncIterator<Uint8Array>
  private count = 0
  private done = false

  constructor(source: AsyncIterable<Uint8Array>, private readonly what: string) {
    this.it = source[Symbol.asyncIterator]()
  }

  get bytes(): number {
    return this.count
  }

  private async pull(): Promise<IteratorResult<Uint8Array>> {
    if (this.done) return { done: true, value: undefined }
    const r = await this.it.next()
    if (r.done === true) {
      this.done = true
      return r
    }
    this.hash.update(r.value)
    this.count += r.value.byteLength
    return r
  }

  /** Iterating again continues where the last consumer stopped; `return` leaves the source open for `finish`. */
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return {
      next: () => this.pull(),
      return: async () => ({ done: true, value: undefined }),
    }
  }

  /** Reads the rest of the source and gives the digest of every byte. */
  finish(): TE.TaskEither<StorageError, Finished> {
    return TE.tryCatch(async () => {
      while ((await this.pull()).done !== true) { /* drain */ }
      return { digest: `sha256:${this.hash.digest('hex')}` as Digest, bytes: this.count }
    }, (e) => toStorageError(e, this.what))
  }

  /** Abandon the source (closes generators upstream). */
  async close(): Promise<void> {
    this.done = true
    try {
      await this.it.return?.()
    } catch { /* closing is best effort */ }
  }
}

/** DigestMismatch unless `actual` equals `expected` (when one is expected). */
export const verifyDigest = (what: string, expected: Digest | undefined) => (f: Finished): TE.TaskEither<StorageError, Finished> =>
  expected === undefined || f.digest === expected
    ? TE.right(f)
    : TE.left(err('DigestMismatch', { what, expected, actual: f.digest }))

/** Hash a whole stream. */
export const digestStream = (source: AsyncIterable<Uint8Array>, what: string): TE.TaskEither<StorageError, Finished> =>
  new Tap(source, what).finish()
