/**
 * Commit, as fixed from the seed. The seed snapshotted runtime@extracted, cloned it to
 * storage/<hash>, promoted, then snapshotted storage/<hash>@extracted again, which fails:
 * promote had already moved `@extracted` there (see test/store/seed-defects.test.ts).
 *
 * Here: snapshot runtime/<id>@commit-<uuid>; package it against the parent's @extracted and
 * hash the tar to learn the diffID; chainID = chainID(parent, diffID). If that layer exists,
 * dedupe. Not kept: rename the snapshot to @extracted, then rename runtime/<id> to
 * storage/<chain> (O(1), no promote). Kept: clone the snapshot into tmp/<uuid>, promote it
 * (the snapshot moves there, the runtime becomes its clone), rename the moved snapshot to
 * @extracted, publish by renaming tmp/<uuid> to storage/<chain>. The publish is one rename
 * in both cases; a crash before it is rolled back by recover().
 */
import { randomUUID } from 'node:crypto'
import { pipe } from 'fp-ts/lib/function.js'
import * as T from 'fp-ts/lib/Task.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { StorageError } from '../errors.js'
import type { DatasetName, SnapshotName } from '../names.js'
import { asDiffId, type ChainId, chainIdOf, type DiffId } from '../oci/digest.js'
import { digestStream } from '../oci/stream.js'
import { containerParent } from './container.js'
import type { StoreContext } from './context.js'
import { packageLayerTar } from './layer-ops.js'
import { EXTRACTED, type LayerRef, nowStamp, PROP } from './layout.js'
import { destroyQuietly, onFailure, setProps } from './ops.js'
import type { CommitResult } from './types.js'

const snap = (d: DatasetName, short: string): SnapshotName => `${d}@${short}` as SnapshotName

interface Pending {
  readonly container: DatasetName
  readonly commitSnap: string
  readonly parent: LayerRef
  readonly chainId: ChainId
  readonly diffId: DiffId
}

const layerProps = (p: Pending, state: string): Record<string, string> =>
  ({ [PROP.diffId]: p.diffId, [PROP.parent]: p.parent, [PROP.state]: state, [PROP.created]: nowStamp() })

/** Not kept: the runtime itself becomes the layer. */
const publishByRename = (ctx: StoreContext, p: Pending): TE.TaskEither<StorageError, CommitResult> => {
  const { driver: d, layout } = ctx
  const target = layout.layer(p.chainId)
  return pipe(
    setProps(d, p.container, layerProps(p, 'committing')),
    TE.flatMap(() => d.renameSnapshot(snap(p.container, p.commitSnap), snap(p.container, EXTRACTED))),
    TE.flatMap(() => onFailure(
      pipe(
        d.rename(p.container, target),
        TE.map(() => false),
        // a concurrent commit or extract published this chainID first: ours is a duplicate
        TE.orElse((e) => e._tag === 'DatasetExists'
          ? pipe(TE.fromTask(destroyQuietly(d, p.container)), TE.map(() => true))
          : TE.left(e)),
      ),
      () => pipe(destroyQuietly(d, snap(p.container, EXTRACTED), false), T.flatMap(() => setProps(d, p.container, { [PROP.state]: 'ready' }))),
    )),
    TE.flatMap((deduped) => deduped
      ? TE.right(deduped)
      : pipe(d.setProperty(target, PROP.state, 'ready'), TE.map(() => deduped))),
    TE.map((deduped) => ({ chainId: p.chainId, diffId: p.diffId, deduped })),
  )
}

/** Kept: a clone of the snapshot is promoted and published; the runtime becomes a clone of the new layer. */
const publishByPromote = (ctx: StoreContext, p: Pending): TE.TaskEither<StorageError, CommitResult> => {
  const { driver: d, layout } = ctx
  const tmp = layout.freshTmp()
  const target = layout.layer(p.chainId)
  // undo after the promote: move the snapshot back to the runtime, then drop tmp and the snapshot
  const undo: T.Task<unknown> = pipe(
    d.list(tmp),
    TE.map((all) => all.some((i) => i.type === 'snapshot' && i.clones.includes(p.container))),
    TE.flatMap((promoted) => (promoted ? d.promote(p.container) : TE.right(undefined))),
    T.flatMap(() => destroyQuietly(d, tmp)),
    T.flatMap(() => destroyQuietly(d, snap(p.container, EXTRACTED), false)),
    T.flatMap(() => destroyQuietly(d, snap(p.container, p.commitSnap), false)),
  )
  return pipe(
    d.clone(snap(p.container, p.commitSnap), tmp, { properties: layerProps(p, 'committing') }),
    TE.flatMap(() => onFailure(
      pipe(
        d.promote(tmp),
        TE.flatMap(() => d.renameSnapshot(snap(tmp, p.commitSnap), snap(tmp, EXTRACTED))),
        TE.flatMap(() => pipe(
          d.rename(tmp, target),
          TE.map(() => false),
          TE.orElse((e) => e._tag === 'DatasetExists' ? pipe(TE.fromTask(undo), TE.map(() => true)) : TE.left(e)),
        )),
      ),
      () => undo,
    )),
    TE.flatMap((deduped) => deduped
      ? TE.right(deduped)
      : pipe(
        d.setProperty(target, PROP.state, 'ready'),
        TE.flatMap(() => d.setProperty(p.container, PROP.parent, p.chainId)),
        TE.map(() => deduped),
      )),
    TE.map((deduped) => ({ chainId: p.chainId, diffId: p.diffId, deduped })),
  )
}

export const commit = (ctx: StoreContext, id: string, opts: { readonly keep: boolean }): TE.TaskEither<StorageError, CommitResult> => {
  const { driver: d, layout } = ctx
  const commitSnap = `commit-${randomUUID()}`
  return pipe(
    TE.fromEither(layout.container(id)),
    TE.bindTo('container'),
    TE.bind('parent', ({ container }) => containerParent(ctx, container)),
    TE.flatMap(({ container, parent }) => pipe(
      d.snapshot(snap(container, commitSnap)),
      TE.flatMap(() => onFailure(
        pipe(
          packageLayerTar(d, layout.layerSnap(parent), snap(container, commitSnap)),
          TE.flatMap((tar) => digestStream(tar, `commit of ${container}`)),
          TE.map((f): Pending => {
            const diffId = asDiffId(f.digest)
            return { container, commitSnap, parent, diffId, chainId: chainIdOf(parent, diffId) }
          }),
          TE.flatMap((p) => pipe(
            d.exists(layout.layerSnap(p.chainId)),
            TE.flatMap((exists): TE.TaskEither<StorageError, CommitResult> => {
              if (!exists) return opts.keep ? publishByPromote(ctx, p) : publishByRename(ctx, p)
              // dedupe: the layer is there already
              return pipe(
                TE.fromTask(destroyQuietly(d, snap(container, commitSnap), false)),
                TE.flatMap(() => (opts.keep ? TE.right(undefined) : d.destroy(container, { recursive: true }))),
                TE.map(() => ({ chainId: p.chainId, diffId: p.diffId, deduped: true })),
              )
            }),
          )),
        ),
        // nothing published: drop the commit snapshot if it is still the runtime's
        () => destroyQuietly(d, snap(container, commitSnap), false),
      )),
    )),
  )
}
