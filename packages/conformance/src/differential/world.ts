/** The differential's world: the name view of side a, and the one namespace call on both sides. */
import type { StorageError } from '@stratum/core'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import { type Side, type Sides, both, forgetTrees } from './sides.js'
import { type View, refreshView } from './view.js'

export interface DWorld {
  readonly v: View
  /** both sides can chown */
  readonly chown: boolean
}

/** A namespace call on both sides; after it the name view is read again and file trees looked up afresh. */
export const nsCall = async (
  w: DWorld,
  s: Sides,
  what: string,
  call: (side: Side) => TaskEither<StorageError, unknown>,
): Promise<void> => {
  try {
    await both(s, what, call)
  } finally {
    forgetTrees(s)
    await refreshView(w.v, s.a)
  }
}
