/** The differential command base: fast-check's model is the name view, its "real" the two sides. */
import type { StorageError } from '@stratum/core'
import type fc from 'fast-check'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import { type Side, type Sides, both, forgetTrees } from './sides.js'
import { type View, refreshView } from './view.js'

export interface DWorld {
  readonly v: View
  /** both sides can chown */
  readonly chown: boolean
}

export abstract class DCmd implements fc.AsyncCommand<DWorld, Sides> {
  /** what the indexes resolved to in the last run, for the failure report */
  protected label = ''
  check(_w: Readonly<DWorld>): boolean { return true }
  abstract run(w: DWorld, s: Sides): Promise<void>
  protected abstract shape(): string
  toString(): string { return this.label === '' ? this.shape() : `${this.shape()} /*${this.label}*/` }
}

/** A namespace call on both sides; after it the name view is read again and file trees looked up afresh. */
export const nsCall = async (w: DWorld, s: Sides, what: string, call: (side: Side) => TaskEither<StorageError, unknown>): Promise<void> => {
  try {
    await both(s, what, call)
  } finally {
    forgetTrees(s)
    await refreshView(w.v, s.a)
  }
}
