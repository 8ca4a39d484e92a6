/**
 * Containers: `runtime/<id>` is a clone of its top layer's @extracted (start), written to by
 * applying tars (apply), listed with the layer it was cloned from, and removed with its snapshots.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { err, type StorageError } from '../errors.js'
import { type ContainerId, type DatasetName, datasetOf, isWithin, type SnapshotName } from '../names.js'
import { applyOptions, type StoreContext } from './context.js'
import { applyLayer, type ApplyResult } from './layer-ops.js'
import { parseLabels, readLabels } from './labels.js'
import { type LayerRef, leafOf, nowStamp, PROP } from './layout.js'
import { foreignSnapshots, releaseLock, takeLock } from './lock.js'
import { onMounted } from './mounts.js'
import { describeDataset, listChildren } from './ops.js'
import { fail, must, steps, undoing } from './steps.js'
import type { ContainerInfo, RemoveContainerOptions, StartOptions } from './types.js'

/**
 * Clones the layer's @extracted into runtime/<id>, with `options`' quotas and read-only flag set
 * by the same clone (and the user properties `marks`); DatasetExists for a taken id,
 * DatasetNotFound for a missing layer.
 */
export const start = (
  ctx: StoreContext,
  id: ContainerId,
  layer: LayerRef,
  options: StartOptions = {},
  marks: Readonly<Record<string, string>> = {},
): TE.TaskEither<StorageError, void> =>
  steps(async () => {
    const c = await must(TE.fromEither(ctx.layout.container(id)))
    const { labels, ...native } = options
    const parsed = await must(TE.fromEither(parseLabels(labels ?? {}, `labels of ${c}`)))
    const labelled = Object.keys(parsed).length === 0 ? {} : { [PROP.labels]: JSON.stringify(parsed) }
    // one clone: a missing layer is the clone's DatasetNotFound (naming the snapshot), checked before a taken id
    const from = ctx.layout.layerSnap(layer)
    await must(
      ctx.driver.clone(from, c, {
        properties: { [PROP.parent]: layer, [PROP.created]: nowStamp(), [PROP.state]: 'ready', ...labelled, ...marks },
        ...(Object.keys(native).length === 0 ? {} : { native }),
      }),
    )
  })

/** Applies an uncompressed layer tar onto the container's root. */
export const applyToContainer = (
  ctx: StoreContext,
  id: ContainerId,
  tar: AsyncIterable<Uint8Array>,
): TE.TaskEither<StorageError, ApplyResult> =>
  steps(async () => {
    const c = await must(TE.fromEither(ctx.layout.container(id)))
    const tree = await must(onMounted(ctx, c, () => ctx.driver.fs(c)))
    return must(applyLayer(tree, tar, applyOptions(ctx)))
  })

/** What a commit reads of a container, from one listing: its parent layer and the snapshots others made on it. */
export interface ContainerState {
  readonly parent: LayerRef
  readonly foreign: readonly SnapshotName[]
}

/**
 * The layer a container is a clone of, read from its origin (true after any commit), and its
 * foreign snapshots; Unsupported for a view (view.ts). Busy while a kept commit is between its promote and its publish (the
 * origin is then in tmp/).
 */
export const containerState = (ctx: StoreContext, c: DatasetName): TE.TaskEither<StorageError, ContainerState> =>
  pipe(
    describeDataset(ctx.driver, c),
    TE.flatMapEither(({ info, snapshots }) =>
      info.properties[PROP.view] === 'on'
        ? E.left(
            err('Unsupported', { what: `commit of '${c}': it is a read-only view of a layer (remove it with rm)` }),
          )
        : E.map((parent: LayerRef) => ({ parent, foreign: foreignSnapshots(c, snapshots) }))(
            parentOf(ctx, c, info.origin),
          ),
    ),
  )

const parentOf = (ctx: StoreContext, c: DatasetName, origin: SnapshotName | null): E.Either<StorageError, LayerRef> => {
  if (origin !== null && isWithin(datasetOf(origin), ctx.layout.tmp)) {
    return E.left(err('Busy', { name: c, reason: 'a commit of this container is being published' }))
  }
  const parent = origin === null ? undefined : ctx.layout.layerOf(origin)
  return parent === undefined ? E.left(err('NotAClone', { name: c })) : E.right(parent)
}

export const listContainers = (ctx: StoreContext): TE.TaskEither<StorageError, readonly ContainerInfo[]> =>
  pipe(
    listChildren(ctx.driver, ctx.layout.runtime),
    TE.map((children) =>
      children.flatMap(({ info }): ContainerInfo[] => {
        const parent = info.origin === null ? undefined : ctx.layout.layerOf(info.origin)
        const id = leafOf(info.name as DatasetName) as ContainerId
        const labels = readLabels(info.properties[PROP.labels])
        return parent === undefined
          ? []
          : [
              {
                id,
                parent,
                created: info.properties[PROP.created],
                size: undefined,
                referenced: undefined,
                ...(labels === undefined ? {} : { labels }),
                ...(info.properties[PROP.view] === 'on' ? { view: true as const } : {}),
              },
            ]
      }),
    ),
  )

/**
 * Destroys runtime/<id> and its snapshots, under the container lock: Busy while a commit or
 * another removal holds it, DatasetNotFound when there is no such container. Snapshots others
 * made (zfs-auto-snapshot, an admin) are never destroyed silently: HasChildren naming them,
 * unless `force`. A crash after taking the lock is finished by recover().
 */
export const removeContainer = (
  ctx: StoreContext,
  id: ContainerId,
  opts: RemoveContainerOptions = {},
): TE.TaskEither<StorageError, void> =>
  steps(async () => {
    const c = await must(TE.fromEither(ctx.layout.container(id)))
    await must(takeLock(ctx, c, 'removing'))
    await undoing(releaseLock(ctx, c), async () => {
      const { info, snapshots } = await must(describeDataset(ctx.driver, c))
      await must(TE.fromEither(parentOf(ctx, c, info.origin)))
      const foreign = foreignSnapshots(c, snapshots)
      if (foreign.length > 0 && opts.force !== true) return fail(err('HasChildren', { name: c, dependents: foreign }))
      await must(ctx.driver.destroy(c, { recursive: true }))
    })
  })
