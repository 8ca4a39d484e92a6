/**
 * Space per layer and container, from the driver's settled `space` (the zfs driver syncs the
 * pool first): unique is what the dataset alone holds (zfs `used`: a layer's bytes over its
 * parent, a container's writes), referenced all bytes its files refer to. Containers also
 * carry their limits. Cost on ZFS: 2 zfs commands per layer, 3 per container.
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { StorageError } from '../errors.js'
import type { DatasetName } from '../names.js'
import { listContainers } from './container.js'
import type { StoreContext } from './context.js'
import { listLayers } from './layers.js'
import type { ContainerUsage, LayerUsage, SpaceUsage, StoreUsage } from './reports.js'
import { must, steps } from './steps.js'

const spaceUsage = (ctx: StoreContext, d: DatasetName): TE.TaskEither<StorageError, SpaceUsage> =>
  pipe(
    ctx.driver.space(d),
    TE.map((s) => ({ unique: s.used, referenced: s.referenced, available: s.available })),
  )

/** The usage of every layer (but `empty`) and every container, in listing order. */
export const storeUsage = (ctx: StoreContext): TE.TaskEither<StorageError, StoreUsage> =>
  steps(async () => {
    const layers: LayerUsage[] = []
    for (const l of await must(listLayers(ctx)))
      layers.push({ chainId: l.chainId, ...(await must(spaceUsage(ctx, ctx.layout.layer(l.chainId)))) })
    const containers: ContainerUsage[] = []
    for (const c of await must(listContainers(ctx))) {
      const d = await must(TE.fromEither(ctx.layout.container(c.id)))
      const n = await must(ctx.driver.getNative(d))
      containers.push({ id: c.id, ...(await must(spaceUsage(ctx, d))), refquota: n.refquota, quota: n.quota })
    }
    return { layers, containers }
  })
