/** The tar side of the store: applying a layer onto a file tree and packaging a snapshot pair. */
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { Driver } from '../driver.js'
import type { StorageError } from '../errors.js'
import { packageLayer } from '../layer/index.js'
import type { SnapshotName } from '../names.js'
import { filesOf, remounting } from './mounts.js'

export { applyLayer } from '../layer/index.js'
export type { ApplyLimits, ApplyResult } from '../layer/index.js'

/** packageLayer, mounting first the datasets of `from` and `to` that are unmounted (layers with canmount=noauto). */
export const packageLayerTar = (
  d: Driver,
  from: SnapshotName,
  to: SnapshotName,
  onEntry?: () => void,
): TE.TaskEither<StorageError, AsyncIterable<Uint8Array>> =>
  remounting(d, [filesOf(from), filesOf(to)], () => packageLayer(d, from, to, onEntry))
