/**
 * Opening a LayerStore: ensure <base>/storage, storage/empty@extracted, runtime and tmp exist
 * (idempotent), run recover() (cheap: one listing per area), and hand out the operations.
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Driver } from '../driver.js'
import type { StorageError } from '../errors.js'
import type { DatasetName } from '../names.js'
import { commit } from './commit.js'
import { applyToContainer, listContainers, removeContainer, start } from './container.js'
import type { StoreContext, StoreOptions } from './context.js'
import { extractImage, extractOne } from './extract.js'
import { listLayers, packageStoredLayer, removeLayer } from './layers.js'
import { storeLayout } from './layout.js'
import { ensureDataset, ensureSnapshot } from './ops.js'
import { defaultOwnerPolicy } from './owner.js'
import { recover } from './recover.js'
import type { LayerStore } from './types.js'

const storeOf = (ctx: StoreContext): LayerStore => ({
  layout: ctx.layout,
  extractImage: (dir, ref) => extractImage(ctx, dir, ref),
  extractLayer: (parent, blob, meta) => pipe(extractOne(ctx, parent, blob, meta), TE.map((l) => l.chainId)),
  start: (id, layer) => start(ctx, id, layer),
  apply: (id, tar) => applyToContainer(ctx, id, tar),
  commit: (id, opts) => commit(ctx, id, opts),
  packageLayer: (chainId) => packageStoredLayer(ctx, chainId),
  listLayers: () => listLayers(ctx),
  listContainers: () => listContainers(ctx),
  removeContainer: (id) => removeContainer(ctx, id),
  removeLayer: (chainId) => removeLayer(ctx, chainId),
  recover: () => recover(ctx),
})

export const openLayerStore = (driver: Driver, base: DatasetName, options: StoreOptions = {}): TE.TaskEither<StorageError, LayerStore> => {
  const layout = storeLayout(base)
  const ctx: StoreContext = { driver, layout, options, owner: options.owner ?? defaultOwnerPolicy() }
  return pipe(
    ensureDataset(driver, base),
    TE.flatMap(() => ensureDataset(driver, layout.storage)),
    TE.flatMap(() => ensureDataset(driver, layout.layer('empty'))),
    TE.flatMap(() => ensureSnapshot(driver, layout.layerSnap('empty'))),
    TE.flatMap(() => ensureDataset(driver, layout.runtime)),
    TE.flatMap(() => ensureDataset(driver, layout.tmp)),
    TE.flatMap(() => recover(ctx)),
    TE.map(() => storeOf(ctx)),
  )
}
