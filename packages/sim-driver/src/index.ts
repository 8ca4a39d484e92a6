/**
 * @stratum/sim-driver: a pure in-memory model of OpenZFS (datasets, snapshots, clones,
 * promote, rename, destroy, user properties, zfs diff and the file trees inside datasets),
 * optionally kept in a state file that many processes share (store/).
 */
import * as TE from 'fp-ts/lib/TaskEither.js'
import { makeDriver, memoryBacking, type SimDriver } from './driver.js'
import { newState } from './state.js'
import { writeFreshStore } from './store/fresh.js'
import { ioFail } from './store/legacy.js'
import { resolveStateFile } from './store/paths.js'

export type { SimDriver } from './driver.js'
export { SIM_CAPABILITIES } from './driver.js'
export { loadSimDriver, openSimDriver, type SimFileOptions } from './store/open.js'

/** The pools a new simulator has. */
export const DEFAULT_POOLS: readonly string[] = ['testpool']

/** A fresh simulator; each pool's root dataset exists, empty, without snapshots. */
export const createSimDriver = (opts: { readonly pools?: readonly string[] } = {}): SimDriver => {
  const st = newState(opts.pools ?? DEFAULT_POOLS)
  return makeDriver(
    memoryBacking(st, (file) =>
      TE.tryCatch(async () => writeFreshStore(resolveStateFile(file), st), ioFail(file, 'saving simulator state')),
    ),
  )
}
