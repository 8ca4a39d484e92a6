/**
 * @stratum/sim-driver: a pure in-memory model of OpenZFS (datasets, snapshots, clones,
 * promote, rename, destroy, user properties, zfs diff and the file trees inside datasets),
 * optionally persisted to a state file.
 */
import { access } from 'node:fs/promises'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { pipe } from 'fp-ts/lib/function.js'
import type { StorageError } from '@stratum/core'
import { makeDriver, type SimDriver } from './driver.js'
import { loadState, saveState } from './persist.js'
import { newState } from './state.js'

export type { SimDriver } from './driver.js'
export { SIM_CAPABILITIES } from './driver.js'

export const DEFAULT_POOLS: readonly string[] = ['testpool']

/** A fresh simulator; each pool's root dataset exists, empty, without snapshots. */
export const createSimDriver = (opts: { readonly pools?: readonly string[] } = {}): SimDriver =>
  makeDriver(newState(opts.pools ?? DEFAULT_POOLS))

/** A simulator with the state saved in `file` (not persistent: save it with `saveState`). */
export const loadSimDriver = (file: string): TE.TaskEither<StorageError, SimDriver> =>
  pipe(loadState(file), TE.map((st) => makeDriver(st)))

const fileExists = (file: string): Promise<boolean> => access(file).then(() => true, () => false)

/**
 * A persistent simulator: loads `stateFile` when it exists (else starts fresh with `pools`)
 * and saves it atomically after every successful change.
 */
export const openSimDriver = (opts: { readonly stateFile: string; readonly pools?: readonly string[] }): TE.TaskEither<StorageError, SimDriver> => {
  const persist = (st: Parameters<typeof saveState>[1]) => saveState(opts.stateFile, st)
  return pipe(
    TE.fromTask(() => fileExists(opts.stateFile)),
    TE.flatMap((there) => (there
      ? pipe(loadState(opts.stateFile), TE.map((st) => makeDriver(st, persist)))
      : pipe(TE.of(newState(opts.pools ?? DEFAULT_POOLS)), TE.flatMap((st) => pipe(persist(st), TE.map(() => makeDriver(st, persist))))))),
  )
}
export { openSharedSimDriver, type SharedSimOptions } from './shared-driver.js'
