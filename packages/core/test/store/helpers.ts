/** Shared helpers of the store tests: unwrap a TaskEither that must succeed or fail; the base dataset. */
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { StorageError } from '../../src/errors.js'
import { datasetName } from '../../src/names.js'

export const ok = async <A>(te: TaskEither<StorageError, A>): Promise<A> => {
  const r = await te()
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
}

export const fail = async (te: TaskEither<StorageError, unknown>): Promise<StorageError> => {
  const r = await te()
  if (E.isRight(r)) throw new Error('expected a failure')
  return r.left
}

export const BASE = datasetName('testpool/s')
