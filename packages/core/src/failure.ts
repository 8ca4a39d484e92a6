/**
 * The one exception that carries a StorageError through code that only knows exceptions: a
 * `runSteps` body stopped by `fail`/`must`, and a stream pipeline failing mid-flight.
 */
import { isStorageError, type StorageError } from './errors.js'

/** Thrown to carry `error` out of a step or a stream; `carried` takes it back. */
export class StorageFailure extends Error {
  constructor(readonly error: StorageError) {
    super(error._tag)
  }
}

/** Stops the current `runSteps` (or stream) with `e`. */
export const fail = (e: StorageError): never => {
  throw new StorageFailure(e)
}

/** The StorageError carried by a thrown value, if it carries one. */
export const carried = (u: unknown): StorageError | undefined =>
  u instanceof StorageFailure ? u.error : isStorageError(u) ? u : undefined
