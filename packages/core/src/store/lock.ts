/**
 * The container lock: `runtime/<id>@extracted`, a snapshot created (atomically, with its
 * properties) by the commit or removal that owns the container for a while. Creating a
 * snapshot is the one atomic test-and-set every driver has: a second committer or remover
 * gets DatasetExists, reported as Busy. The snapshot records its operation in
 * `stratum:state` (`committing` | `removing`), its owner and its start time, so recover() can
 * roll back a dead owner's commit or finish its removal. A commit uses the lock snapshot as
 * its content: not kept, the container is renamed into storage with it (it is the layer's
 * `@extracted`); kept, a promote moves it onto the new layer. Either way no step renames a
 * snapshot, so a published layer always has its `@extracted`.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type * as T from 'fp-ts/lib/Task.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { catchTag } from '../catch-tag.js'
import { err, type StorageError } from '../errors.js'
import type { DatasetInfo } from '../driver.js'
import type { DatasetName, PropertyName, SnapshotName } from '../names.js'
import type { StoreContext } from './context.js'
import { EXTRACTED, nowStamp, PROP } from './layout.js'
import { destroyQuietly } from './ops.js'
import { fail, steps } from './steps.js'

export type LockOp = 'committing' | 'removing' | 'mounting'

export const lockOf = (c: DatasetName): SnapshotName => `${c}@${EXTRACTED}` as SnapshotName

/**
 * The snapshots of container or layer `c` Stratum did not make (zfs-auto-snapshot, sanoid, an
 * admin): every one but its `@extracted`. Never destroyed silently (docs/DESIGN.md "Data others make").
 */
export const foreignSnapshots = (c: DatasetName, snapshots: readonly DatasetInfo[]): SnapshotName[] =>
  snapshots.map((s) => s.name as SnapshotName).filter((n) => n !== lockOf(c))

/** Busy, naming the lock holder's operation when it can be read. */
const busy = (ctx: StoreContext, c: DatasetName): TE.TaskEither<StorageError, never> =>
  steps(async () => {
    const op = await ctx.driver.getProperty(lockOf(c), PROP.state)()
    const what = E.isRight(op) && op.right?.value !== undefined ? ` (${op.right.value})` : ''
    return fail(err('Busy', { name: c, reason: `the container is locked${what}` }))
  })

/** Takes the lock for `op`: Busy when it is held, DatasetNotFound (naming the container) when there is no container. */
export const takeLock = (ctx: StoreContext, c: DatasetName, op: LockOp): TE.TaskEither<StorageError, SnapshotName> =>
  pipe(
    ctx.driver.snapshot(lockOf(c), {
      properties: { [PROP.state]: op, [PROP.owner]: ctx.owner.self, [PROP.created]: nowStamp() } as Record<
        PropertyName,
        string
      >,
    }),
    TE.map(() => lockOf(c)),
    catchTag('DatasetExists', () => busy(ctx, c)),
    catchTag('DatasetNotFound', () => TE.left(err('DatasetNotFound', { name: c }))),
  )

/** Drops the lock (best effort: a failure leaves it to recover()). */
export const releaseLock = (ctx: StoreContext, c: DatasetName): T.Task<boolean> =>
  destroyQuietly(ctx.driver, lockOf(c), false)

/** Clears the lock's records from a snapshot that became a layer's `@extracted`. */
export const clearLockProps = (ctx: StoreContext, s: SnapshotName): TE.TaskEither<StorageError, void> =>
  pipe(
    [PROP.state, PROP.owner, PROP.created],
    TE.traverseSeqArray((p) => ctx.driver.inheritProperty(s, p)),
    TE.map(() => undefined),
  )
