/**
 * A host file tree's calls as TaskEither values: the work runs when the task runs, and what it
 * throws (Node's errors, our own FsFail) becomes an Io error naming the caller's path. Most
 * calls are synchronous system calls: they run straight through, with no promise of their own.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { StorageError } from '@stratum/core'
import { toStorageError } from './errno.js'

/** `f()` as an Either: what it throws becomes an Io error naming `path`. */
export const trySync = <A>(path: string, f: () => A): E.Either<StorageError, A> => {
  try {
    return E.right(f())
  } catch (e) {
    return E.left(toStorageError(path)(e))
  }
}

/** A synchronous host operation as a task. */
export const syncCall =
  <A>(path: string, f: () => A): TaskEither<StorageError, A> =>
  () =>
    Promise.resolve(trySync(path, f))

/** An asynchronous host operation as a task. */
export const asyncCall =
  <A>(path: string, f: () => Promise<A>): TaskEither<StorageError, A> =>
  async () => {
    try {
      return E.right(await f())
    } catch (e) {
      return E.left(toStorageError(path)(e))
    }
  }
