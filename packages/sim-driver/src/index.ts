/**
 * @stratum/sim-driver: a pure in-memory model of OpenZFS (datasets, snapshots, clones,
 * promote, rename, destroy, user properties, zfs diff and the file trees inside datasets),
 * optionally persisted to a state file.
 */
import * as TE from 'fp-ts/lib/TaskEither.js'
import { pipe } from 'fp-ts/lib/function.js'
import type { StorageError } from '@stratum/core'
import { makeDriver, type SimDriver } from './driver.js'
import { loadState } from './persist.js'
import { openSharedSimDriver } from './shared-driver.js'
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

/**
 * A persistent simulator, safe for several processes on one state file: loads `stateFile`
 * when it exists (else starts fresh with `pools`), and runs each call under the file's lock
 * on the state as the last call of any process left it (see shared-driver.ts).
 */
export const openSimDriver = (opts: { readonly stateFile: string; readonly pools?: readonly string[] }): TE.TaskEither<StorageError, SimDriver> =>
  openSharedSimDriver(opts)
export { openSharedSimDriver, type SharedSimOptions } from './shared-driver.js'
