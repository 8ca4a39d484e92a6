/**
 * The store's algorithms are written as straight-line steps, as layer/ writes its own: `must`
 * runs one step and stops the algorithm at its failure, `undoing` runs a compensation when a
 * block of steps fails, and `steps` turns the whole into a TaskEither.
 */
import type * as T from 'fp-ts/lib/Task.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import { ioError, type StorageError } from '../errors.js'
import { runSteps } from '../layer/run.js'

export { attempt, fail, must, mustNow } from '../layer/run.js'

export const steps = <A>(body: () => Promise<A>): TaskEither<StorageError, A> =>
  runSteps(body, (u) => ioError('EIO', '', `store: ${u instanceof Error ? u.message : String(u)}`, u))

/** Runs `body`; when it fails, runs `undo` (best effort), then fails the same way. */
export const undoing = async <A>(undo: T.Task<unknown>, body: () => Promise<A>): Promise<A> => {
  try {
    return await body()
  } catch (u) {
    await undo()
    throw u
  }
}
