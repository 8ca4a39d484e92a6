/**
 * For tests and the conformance suite (`@stratum/core/testing`): the one way to take a
 * TaskEither's value where a failure means the test failed.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import { describeError, isStorageError, type StorageError } from './errors.js'

const shown = (e: unknown): string => (isStorageError(e) ? describeError(e) : JSON.stringify(e))

/** The task's value; its failure throws an Error naming `what` and the error. */
export const unwrap = async <A>(te: TaskEither<unknown, A>, what = 'call'): Promise<A> => {
  const r = await te()
  if (E.isLeft(r)) throw new Error(`${what}: ${shown(r.left)}`)
  return r.right
}

/** The task's StorageError; a success (or a failure that is not a StorageError) throws. */
export const failure = async (te: TaskEither<unknown, unknown>, what = 'call'): Promise<StorageError> => {
  const r = await te()
  if (E.isRight(r)) throw new Error(`${what}: expected a failure, got ${JSON.stringify(r.right)}`)
  if (!isStorageError(r.left)) throw new Error(`${what}: not a StorageError: ${JSON.stringify(r.left)}`)
  return r.left
}

export { type FixtureEntry, MTIME, tarOf } from './testing-tar.js'
