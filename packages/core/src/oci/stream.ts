/**
 * Streaming verification. A `Tap` passes bytes through while hashing them; the consumer may stop
 * early (a tar reader stops at the end-of-archive blocks), so `finish` drains what is left and
 * then compares the digest. Failures raised while streaming (corrupt gzip, a limit) are thrown
 * as `StorageFailure` so they cross any consumer, and also recorded in a `FailureSlot` so the
 * caller can report the first cause whatever the consumer turned the exception into.
 */
import { createHash, type Hash } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { err, isStorageError, type StorageError } from '../errors.js'
import { StorageFailure } from '../failure.js'
import type { Digest } from './digest.js'

/** Holds the first failure raised inside a stream pipeline. */
export class FailureSlot {
  private first: StorageError | undefined
  /** The first failure recorded, if any. */
  get error(): StorageError | undefined {
    return this.first
  }
  /** records `e` (if first) and returns the exception to throw */
  raise(e: StorageError): StorageFailure {
    this.first ??= e
    return new StorageFailure(e)
  }
}

/** Turn anything a stream threw into a StorageError. */
export const toStorageError = (e: unknown, what: string): StorageError =>
  e instanceof StorageFailure
    ? e.error
    : isStorageError(e)
      ? e
      : err('CorruptLayer', { what, reason: e instanceof Error ? e.message : String(e) })

/** A stream read to its end: the digest and size of its bytes. */
export interface Finished {
  readonly digest: Digest
  readonly bytes: number
}

/** Where a Tap's bytes are hashed: in this thread (`localDigester`), or on another (its `update` may wait). */
export interface Digester {
  /** hashes `chunk` after those before it; a promise says when the next may come */
  update(chunk: Uint8Array): void | Promise<void>
  /** the sha256 of every byte given, in hex */
  digest(): Promise<string>
  /** the bytes will not be finished */
  close?(): void
}

/** sha256 in this thread. */
export const localDigester = (): Digester => {
  const hash: Hash = createHash('sha256')
  return {
    update: (c) => {
      hash.update(c)
    },
    digest: () => Promise.resolve(hash.digest('hex')),
  }
}

/** Passes a stream through while hashing and counting its bytes. */
export class Tap implements AsyncIterable<Uint8Array> {
  private readonly it: AsyncIterator<Uint8Array>
  private count = 0
  private done = false
  private failed: StorageError | undefined

  /**
   * `maxBytes`: more bytes from the source fail it with LimitExceeded (a blob past its stated size);
   * `onBytes` hears of every chunk read (progress); `hash` hashes them.
   */
  constructor(
    source: AsyncIterable<Uint8Array>,
    private readonly what: string,
    private readonly maxBytes = Infinity,
    private readonly onBytes?: (n: number) => void,
    private readonly hash: Digester = localDigester(),
  ) {
    this.it = source[Symbol.asyncIterator]()
  }

  /** Bytes passed through so far. */
  get bytes(): number {
    return this.count
  }

  /** The source's failure, if it failed: every later read fails with it too (never a short digest). */
  get failure(): StorageError | undefined {
    return this.failed
  }

  private async pull(): Promise<IteratorResult<Uint8Array>> {
    if (this.failed !== undefined) throw new StorageFailure(this.failed)
    if (this.done) return { done: true, value: undefined }
    let r: IteratorResult<Uint8Array>
    try {
      r = await this.it.next()
      if (r.done !== true && !(r.value instanceof Uint8Array)) {
        throw new StorageFailure(
          err('CorruptLayer', {
            what: this.what,
            reason: `a chunk is not bytes (${typeof r.value}); a blob is an AsyncIterable<Uint8Array>`,
          }),
        )
      }
    } catch (e) {
      this.failed = toStorageError(e, this.what)
      throw new StorageFailure(this.failed)
    }
    if (r.done === true) {
      this.done = true
      return r
    }
    const waiting = this.hash.update(r.value)
    if (waiting !== undefined) await waiting
    this.count += r.value.byteLength
    this.onBytes?.(r.value.byteLength)
    if (this.count > this.maxBytes) {
      this.failed = err('LimitExceeded', { what: `${this.what}: size`, limit: this.maxBytes })
      throw new StorageFailure(this.failed)
    }
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
    return TE.tryCatch(
      async () => {
        while ((await this.pull()).done !== true) {
          /* drain */
        }
        return { digest: `sha256:${await this.hash.digest()}` as Digest, bytes: this.count }
      },
      (e) => toStorageError(e, this.what),
    )
  }

  /** Abandon the source (closes generators upstream). */
  async close(): Promise<void> {
    this.done = true
    this.hash.close?.()
    try {
      await this.it.return?.()
    } catch {
      /* closing is best effort */
    }
  }
}

/** DigestMismatch unless `actual` equals `expected` (when one is expected). */
export const verifyDigest =
  (what: string, expected: Digest | undefined) =>
  (f: Finished): TE.TaskEither<StorageError, Finished> =>
    expected === undefined || f.digest === expected
      ? TE.right(f)
      : TE.left(err('DigestMismatch', { what, expected, actual: f.digest }))

/**
 * A blob or tar handed in by a library caller, checked at the boundary: an AsyncIterable of
 * byte chunks, or one Uint8Array (one chunk). Anything else is CorruptLayer naming `what`.
 */
export const byteSource = (u: unknown, what: string): E.Either<StorageError, AsyncIterable<Uint8Array>> => {
  if (u instanceof Uint8Array)
    return E.right({
      async *[Symbol.asyncIterator]() {
        yield u
      },
    })
  if (
    typeof u === 'object' &&
    u !== null &&
    typeof (u as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  ) {
    return E.right(u as AsyncIterable<Uint8Array>)
  }
  const kind = Array.isArray(u) ? 'an array' : u === null ? 'null' : typeof u
  return E.left(
    err('CorruptLayer', { what, reason: `expected an AsyncIterable<Uint8Array> or a Uint8Array, got ${kind}` }),
  )
}

/** Hash a whole stream. */
export const digestStream = (source: AsyncIterable<Uint8Array>, what: string): TE.TaskEither<StorageError, Finished> =>
  new Tap(source, what).finish()
