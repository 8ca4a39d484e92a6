/** Handling one kind of failure: the StorageError with `tag` goes to `f`, every other failure passes through. */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { StorageError, StorageErrorTag } from './errors.js'

/** The member of `StorageError` with tag `T`. */
export type ErrorOf<T extends StorageErrorTag> = Extract<StorageError, { readonly _tag: T }>

/** `pipe(d.create(name), catchTag('DatasetExists', () => TE.right(undefined)))` */
export const catchTag =
  <T extends StorageErrorTag, B>(tag: T, f: (e: ErrorOf<T>) => TE.TaskEither<StorageError, B>) =>
  <A>(ma: TE.TaskEither<StorageError, A>): TE.TaskEither<StorageError, A | B> =>
    pipe(
      ma,
      TE.orElseW((e) => (e._tag === tag ? f(e as ErrorOf<T>) : TE.left(e))),
    )
