/**
 * Space per layer and container, from the driver's settled `spaceTree` (the zfs driver syncs the
 * pool first): unique is what the dataset alone holds (zfs `used`: a layer's bytes over its
 * parent, a container's writes), referenced all bytes its files refer to. Containers also
 * carry their limits. Cost on ZFS: 2 zfs commands for all layers' space, 2 for all containers', 1
 * per container for its limits (plus the listings).
 */
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { StorageError } from '../errors.js'
import type { DatasetName } from '../names.js'
import type { SpaceInfo } from '../native.js'
import { listContainers } from './container.js'
import type { StoreContext } from './context.js'
import { listLayers } from './layers.js'
import type { ContainerUsage, LayerUsage, SpaceUsage, StoreUsage } from './reports.js'
import { must, steps } from './steps.js'
import type { ContainerInfo, LayerInfo } from './types.js'

const spaceUsage = (s: SpaceInfo): SpaceUsage => ({ unique: s.used, referenced: s.referenced, available: s.available })

interface Spaced<A> {
  readonly item: A
  readonly dataset: DatasetName
  /** undefined: the dataset was gone by the time its space was read */
  readonly space: SpaceInfo | undefined
}

/** Each listed item's dataset's space, from one spaceTree of `root` after the listing. */
const withSpace = <A>(
  ctx: StoreContext,
  root: DatasetName,
  items: TE.TaskEither<StorageError, readonly A[]>,
  dataset: (a: A) => DatasetName,
): TE.TaskEither<StorageError, readonly Spaced<A>[]> =>
  steps(async () => {
    const listed = await must(items)
    const space = await must(ctx.driver.spaceTree(root))
    return listed.map((item) => ({ item, dataset: dataset(item), space: space.get(dataset(item)) }))
  })

const layersSpace = (ctx: StoreContext) =>
  withSpace(ctx, ctx.layout.storage, listLayers(ctx), (l) => ctx.layout.layer(l.chainId))

// a listed container's id is one valid name component, so its dataset name is valid
const containersSpace = (ctx: StoreContext) =>
  withSpace(ctx, ctx.layout.runtime, listContainers(ctx), (c) => `${ctx.layout.runtime}/${c.id}` as DatasetName)

const sized = <A>({ item, space }: Spaced<A>): A => ({ ...item, size: space?.used, referenced: space?.referenced })

/** listLayers with each layer's size (unique bytes) and referenced bytes: 2 zfs commands more. */
export const sizedLayers = (ctx: StoreContext): TE.TaskEither<StorageError, readonly LayerInfo[]> =>
  TE.map((rows: readonly Spaced<LayerInfo>[]) => rows.map(sized))(layersSpace(ctx))

/** listContainers with each root's size (its own writes) and referenced bytes: 2 zfs commands more. */
export const sizedContainers = (ctx: StoreContext): TE.TaskEither<StorageError, readonly ContainerInfo[]> =>
  TE.map((rows: readonly Spaced<ContainerInfo>[]) => rows.map(sized))(containersSpace(ctx))

/** The usage of every layer (but `empty`) and every container, in listing order (one gone meanwhile is left out). */
export const storeUsage = (ctx: StoreContext): TE.TaskEither<StorageError, StoreUsage> =>
  steps(async () => {
    const layers = (await must(layersSpace(ctx))).flatMap(({ item, space }): LayerUsage[] =>
      space === undefined ? [] : [{ chainId: item.chainId, ...spaceUsage(space) }],
    )
    const containers: ContainerUsage[] = []
    for (const { item, dataset, space } of await must(containersSpace(ctx))) {
      if (space === undefined) continue
      const n = await must(ctx.driver.getNative(dataset))
      containers.push({ id: item.id, ...spaceUsage(space), refquota: n.refquota, quota: n.quota })
    }
    return { layers, containers }
  })
