/**
 * Sequential TaskEither code written as straight-line async code. `must` runs a TaskEither
 * and unwraps its Right, or aborts the surrounding `runSteps` with its Left. Only `runSteps`
 * catches; anything else thrown (a library exception) becomes the error `onDefect` makes.
 * Nothing escapes: the public functions of this folder return plain TaskEither values.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { StorageError } from '../errors.js'
import { carried, fail } from '../failure.js'

export { carried, fail }

export const must = async <A>(te: TaskEither<StorageError, A>): Promise<A> => {
  const r = await te()
  return E.isRight(r) ? r.right : fail(r.left)
}

/** `must` of a call already made (a `FileTree.now` call's Either): its Right, or the abort with its Left. */
export const mustNow = <A>(r: E.Either<StorageError, A>): A => (E.isRight(r) ? r.right : fail(r.left))

export const runSteps =
  <A>(body: () => Promise<A>, onDefect: (u: unknown) => StorageError): TaskEither<StorageError, A> =>
  async () => {
    try {
      return E.right(await body())
    } catch (u) {
      return E.left(carried(u) ?? onDefect(u))
    }
  }

/** Runs a TaskEither and gives its Either (for steps whose failure is handled in place). */
export const attempt = async <A>(te: TaskEither<StorageError, A>): Promise<E.Either<StorageError, A>> => te()
