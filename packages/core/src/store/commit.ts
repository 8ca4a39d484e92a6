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
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type * as T from 'fp-ts/lib/Task.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { catchTag } from '../catch-tag.js'
import type { StorageError } from '../errors.js'
import type { ContainerId, DatasetName, SnapshotName } from '../names.js'
import { asDiffId, type ChainId, chainIdOf, type DiffId } from '../oci/digest.js'
import { digestStream } from '../oci/stream.js'
import { containerState } from './container.js'
import type { StoreContext } from './context.js'
import { packageLayerTar } from './layer-ops.js'
import { onMounted } from './mounts.js'
import { type LayerRef, nowStamp, PROP } from './layout.js'
import { clearLockProps, lockOf, releaseLock, takeLock } from './lock.js'
import { destroyQuietly, publish, setProps } from './ops.js'
import { must, steps, undoing } from './steps.js'
import type { CommitResult } from './types.js'

interface Pending {
  readonly container: DatasetName
  readonly parent: LayerRef
  readonly chainId: ChainId
  readonly diffId: DiffId
  /** snapshots others made on the container: moved onto the layer by the publish, else left on the container */
  readonly foreign: readonly SnapshotName[]
}

/** The result; `movedTo`: the layer the foreign snapshots moved onto; `kept`: the container kept for them. */
const result = (p: Pending, deduped: boolean, movedTo?: DatasetName, kept = false): CommitResult => ({
  chainId: p.chainId,
  diffId: p.diffId,
  deduped,
  ...(p.foreign.length === 0
    ? {}
    : {
        foreign: p.foreign.map((s) =>
          movedTo === undefined ? s : (`${movedTo}${s.slice(s.indexOf('@'))}` as SnapshotName),
        ),
        ...(kept ? { containerKept: true } : {}),
      }),
})

/**
 * The last steps after the publishing rename (also what recover() does for a dead committer):
 * clear the lock's records from the new @extracted, then mark the layer ready. `committing`
 * on the layer stays until the very end, so a crash in between is seen and finished.
 */
export const finishLayer = (ctx: StoreContext, layer: DatasetName): TE.TaskEither<StorageError, void> =>
  steps(async () => {
    await must(clearLockProps(ctx, lockOf(layer)))
    await must(setProps(ctx.driver, layer, { [PROP.created]: nowStamp(), [PROP.state]: 'ready' }))
  })

/** Not kept: the runtime itself becomes the layer. */
const publishByRename = (ctx: StoreContext, p: Pending): TE.TaskEither<StorageError, CommitResult> =>
  steps(async () => {
    const { driver: d, layout } = ctx
    const target = layout.layer(p.chainId)
    // before the rename: the container is still a container
    const rollback: T.Task<void> = async () => {
      if (E.isRight(await setProps(d, p.container, { [PROP.state]: 'ready' })()))
        await d.inheritProperty(p.container, PROP.diffId)()
      await releaseLock(ctx, p.container)()
    }
    const ours = await undoing(rollback, async () => {
      await must(
        setProps(d, p.container, { [PROP.state]: 'committing', [PROP.diffId]: p.diffId, [PROP.parent]: p.parent }),
      )
      return must(publish(d, p.container, target))
    })
    // a concurrent commit or extract published this chainID first: ours is a duplicate, kept if others' snapshots are on it
    if (ours) {
      await must(finishLayer(ctx, target))
      return result(p, false, target)
    }
    if (p.foreign.length > 0) await rollback()
    else await destroyQuietly(d, p.container)()
    return result(p, true, undefined, p.foreign.length > 0)
  })

/** Kept: a clone of the lock snapshot is promoted and published; the runtime becomes a clone of the new layer. */
const publishByPromote = (ctx: StoreContext, p: Pending): TE.TaskEither<StorageError, CommitResult> =>
  steps(async () => {
    const { driver: d, layout } = ctx
    const tmp = layout.freshTmp()
    const target = layout.layer(p.chainId)
    // undo before the publish: move the snapshot back to the runtime, drop tmp, release the lock
    const undo: T.Task<void> = async () => {
      const listing = await d.list(tmp)()
      if (E.isRight(listing) && listing.right.some((i) => i.type === 'snapshot' && i.clones.includes(p.container))) {
        await d.promote(p.container)()
      }
      await destroyQuietly(d, tmp)()
      await releaseLock(ctx, p.container)()
    }
    const committing = {
      [PROP.diffId]: p.diffId,
      [PROP.parent]: p.parent,
      [PROP.state]: 'committing',
      [PROP.owner]: ctx.owner.self,
      [PROP.created]: nowStamp(),
    }
    await must(d.clone(lockOf(p.container), tmp, { properties: committing }))
    const ours = await undoing(undo, async () => {
      await must(d.promote(tmp))
      return must(publish(d, tmp, target))
    })
    if (!ours) {
      await undo()
      return result(p, true)
    }
    await must(d.inheritProperty(target, PROP.owner))
    await must(finishLayer(ctx, target))
    // the container may have been removed since the publish: that is a later removal, not a failure
    await must(
      pipe(
        d.setProperty(p.container, PROP.parent, p.chainId),
        catchTag('DatasetNotFound', () => TE.right(undefined)),
      ),
    )
    return result(p, false, target)
  })

/**
 * Commit the container `id` as a layer over the one it was cloned from. Snapshots others made on
 * the container are never destroyed: a publish moves them onto the layer (older than its
 * `@extracted`), a dedupe leaves them on the container, which then stays even when not kept.
 */
export const commit = (
  ctx: StoreContext,
  id: ContainerId,
  opts: { readonly keep: boolean },
): TE.TaskEither<StorageError, CommitResult> =>
  steps(async () => {
    const { driver: d, layout } = ctx
    const container = await must(TE.fromEither(layout.container(id)))
    // snapshot the runtime: the container lock, runtime/<id>@extracted
    const lock = await must(takeLock(ctx, container, 'committing'))
    const { p, exists } = await undoing(releaseLock(ctx, container), async () => {
      // the layer hash: the diffID of the runtime's changes against its parent, packaged
      const { parent, foreign } = await must(containerState(ctx, container))
      // packaging reads the root's files: an unmounted root (its last hold released) is mounted first
      const digest = () =>
        pipe(
          packageLayerTar(d, layout.layerSnap(parent), lock),
          TE.flatMap((tar) => digestStream(tar, `commit of ${container}`)),
        )
      const diffId = asDiffId((await must(onMounted(ctx, container, digest))).digest)
      const p: Pending = { container, parent, diffId, chainId: chainIdOf(parent, diffId), foreign }
      return { p, exists: await must(d.exists(layout.layerSnap(p.chainId))) }
    })
    if (!exists) return must(opts.keep ? publishByPromote(ctx, p) : publishByRename(ctx, p))
    // dedupe: the layer is there already; a container holding others' snapshots stays
    const stays = opts.keep || p.foreign.length > 0
    if (stays) await releaseLock(ctx, container)()
    else await must(d.destroy(container, { recursive: true }))
    return result(p, true, undefined, stays && !opts.keep)
  })
