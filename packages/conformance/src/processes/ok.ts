/** The value of a call that must succeed; a failure throws, naming the call and the error. */
import { describe as describeError, type StorageError } from '@stratum/core'
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'

export const ok = async <A>(te: TaskEither<StorageError, A>, what = 'call'): Promise<A> => {
  const r = await te()
  if (E.isLeft(r)) throw new Error(`${what}: ${describeError(r.left)}`)
  return r.right
}
