/**
 * Commit, as fixed from the seed. The seed snapshotted runtime@extracted, cloned it to
 * storage/<hash>, promoted, then snapshotted storage/<hash>@extracted again, which fails:
 * promote had already moved `@extracted` there (see test/store/seed-defects.test.ts).
 *
 * Here: take the container lock, the snapshot runtime/<id>@extracted (lock.ts); package it
 * against the parent's @extracted and hash the tar to learn the diffID; chainID =
 * chainID(parent, diffID). If that layer exists, dedupe. Not kept: record the layer's
 * properties on the container (`stratum:state` = committing), then rename runtime/<id> to
 * storage/<chain>, its lock snapshot becoming the layer's @extracted (O(1), no promote). Kept:
 * clone the lock snapshot into tmp/<uuid> (owned, `committing`), promote it (the snapshot
 * moves there, the runtime becomes its clone), publish by renaming tmp/<uuid> to
 * storage/<chain>. The publish is one rename in both cases; a crash before it is rolled back by
 * recover(), a crash after it is completed (the layer marked ready).
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as T from 'fp-ts/lib/Task.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { catchTag } from '../catch-tag.js'
import type { StorageError } from '../errors.js'
import type { DatasetName } from '../names.js'
import { asDiffId, type ChainId, chainIdOf, type DiffId } from '../oci/digest.js'
import { digestStream } from '../oci/stream.js'
import { containerParent } from './container.js'
import type { StoreContext } from './context.js'
import { packageLayerTar } from './layer-ops.js'
import { type LayerRef, nowStamp, PROP } from './layout.js'
import { clearLockProps, lockOf, releaseLock, takeLock } from './lock.js'
import { destroyQuietly, onFailure, setProps } from './ops.js'
import type { CommitResult } from './types.js'

interface Pending {
  readonly container: DatasetName
  readonly parent: LayerRef
  readonly chainId: ChainId
  readonly diffId: DiffId
}

const result = (p: Pending, deduped: boolean): CommitResult => ({ chainId: p.chainId, diffId: p.diffId, deduped })

/**
 * The last steps after the publishing rename (also what recover() does for a dead committer):
 * clear the lock's records from the new @extracted, then mark the layer ready. `committing`
 * on the layer stays until the very end, so a crash in between is seen and finished.
 */
export const finishLayer = (ctx: StoreContext, layer: DatasetName): TE.TaskEither<StorageError, void> =>
  pipe(
    clearLockProps(ctx, lockOf(layer)),
    TE.flatMap(() => setProps(ctx.driver, layer, { [PROP.created]: nowStamp(), [PROP.state]: 'ready' })),
  )

/** Not kept: the runtime itself becomes the layer. */
const publishByRename = (ctx: StoreContext, p: Pending): TE.TaskEither<StorageError, CommitResult> => {
  const { driver: d, layout } = ctx
  const target = layout.layer(p.chainId)
  // before the rename: the container is still a container
  const rollback: T.Task<unknown> = pipe(
    setProps(d, p.container, { [PROP.state]: 'ready' }),
    TE.flatMap(() => d.inheritProperty(p.container, PROP.diffId)),
    T.flatMap(() => releaseLock(ctx, p.container)),
  )
  return pipe(
    onFailure(
      pipe(
        setProps(d, p.container, { [PROP.state]: 'committing', [PROP.diffId]: p.diffId, [PROP.parent]: p.parent }),
        TE.flatMap(() => d.rename(p.container, target)),
        TE.map(() => false),
        // a concurrent commit or extract published this chainID first: ours is a duplicate
        catchTag('DatasetExists', () => pipe(TE.fromTask(destroyQuietly(d, p.container)), TE.map(() => true))),
      ),
      () => rollback,
    ),
    TE.flatMap((deduped) => deduped ? TE.right(deduped) : pipe(finishLayer(ctx, target), TE.map(() => deduped))),
    TE.map((deduped) => result(p, deduped)),
  )
}

/** Kept: a clone of the lock snapshot is promoted and published; the runtime becomes a clone of the new layer. */
const publishByPromote = (ctx: StoreContext, p: Pending): TE.TaskEither<StorageError, CommitResult> => {
  const { driver: d, layout } = ctx
  const tmp = layout.freshTmp()
  const target = layout.layer(p.chainId)
  // undo before the publish: move the snapshot back to the runtime, drop tmp, release the lock
  const undo: T.Task<unknown> = pipe(
    d.list(tmp),
    TE.map((all) => all.some((i) => i.type === 'snapshot' && i.clones.includes(p.container))),
    TE.flatMap((promoted) => (promoted ? d.promote(p.container) : TE.right(undefined))),
    T.flatMap(() => destroyQuietly(d, tmp)),
    T.flatMap(() => releaseLock(ctx, p.container)),
  )
  return pipe(
    d.clone(lockOf(p.container), tmp, {
      properties: {
        [PROP.diffId]: p.diffId, [PROP.parent]: p.parent, [PROP.state]: 'committing',
        [PROP.owner]: ctx.owner.self, [PROP.created]: nowStamp(),
      },
    }),
    TE.flatMap(() => onFailure(
      pipe(
        d.promote(tmp),
        TE.flatMap(() => pipe(
          d.rename(tmp, target),
          TE.map(() => false),
          catchTag('DatasetExists', () => pipe(TE.fromTask(undo), TE.map(() => true))),
        )),
      ),
      () => undo,
    )),
    TE.flatMap((deduped) => deduped
      ? TE.right(deduped)
      : pipe(
        d.inheritProperty(target, PROP.owner),
        TE.flatMap(() => finishLayer(ctx, target)),
        // the container may have been removed since the publish: that is a later removal, not a failure
        TE.flatMap(() => pipe(
          d.setProperty(p.container, PROP.parent, p.chainId),
          catchTag('DatasetNotFound', () => TE.right(undefined)),
        )),
        TE.map(() => deduped),
      )),
    TE.map((deduped) => result(p, deduped)),
  )
}

export const commit = (ctx: StoreContext, id: string, opts: { readonly keep: boolean }): TE.TaskEither<StorageError, CommitResult> => {
  const { driver: d, layout } = ctx
  return pipe(
    TE.fromEither(layout.container(id)),
    TE.flatMap((container) => pipe(
      takeLock(ctx, container, 'committing'),
      TE.flatMap((lock) => onFailure(
        pipe(
          containerParent(ctx, container),
          TE.flatMap((parent) => pipe(
            packageLayerTar(d, layout.layerSnap(parent), lock),
            TE.flatMap((tar) => digestStream(tar, `commit of ${container}`)),
            TE.map((f): Pending => {
              const diffId = asDiffId(f.digest)
              return { container, parent, diffId, chainId: chainIdOf(parent, diffId) }
            }),
          )),
          TE.bindTo('p'),
          TE.bind('exists', ({ p }) => d.exists(layout.layerSnap(p.chainId))),
        ),
        // nothing published: drop the lock
        () => releaseLock(ctx, container),
      )),
      TE.flatMap(({ p, exists }): TE.TaskEither<StorageError, CommitResult> => {
        if (!exists) return opts.keep ? publishByPromote(ctx, p) : publishByRename(ctx, p)
        // dedupe: the layer is there already
        return pipe(
          opts.keep ? TE.fromTask<boolean, StorageError>(releaseLock(ctx, container)) : pipe(d.destroy(container, { recursive: true }), TE.map(() => true)),
          TE.map(() => result(p, true)),
        )
      }),
    )),
  )
}
