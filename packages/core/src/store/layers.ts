/** Published layers: listing, packaging one against its parent, removing one nothing depends on. */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { catchTag } from '../catch-tag.js'
import { err, type StorageError } from '../errors.js'
import type { DatasetName } from '../names.js'
import { asDiffId, type ChainId, type DiffId } from '../oci/digest.js'
import { digestStream } from '../oci/stream.js'
import type { StoreContext } from './context.js'
import { packageLayerTar } from './layer-ops.js'
import { EXTRACTED, type LayerRef, PROP } from './layout.js'
import { describeDataset, listChildren } from './ops.js'
import type { LayerInfo, PackagedLayer } from './types.js'

const parentRef = (ctx: StoreContext, recorded: string | undefined, origin: string | null): LayerRef | undefined =>
  recorded === 'empty' || (recorded !== undefined && /^sha256:[0-9a-f]{64}$/.test(recorded))
    ? (recorded as LayerRef)
    : origin === null ? undefined : ctx.layout.layerOf(origin as DatasetName)

export const listLayers = (ctx: StoreContext): TE.TaskEither<StorageError, readonly LayerInfo[]> =>
  pipe(
    listChildren(ctx.driver, ctx.layout.storage),
    TE.map((children) => children.flatMap(({ info, snapshots }): LayerInfo[] => {
      const chainId = ctx.layout.layerOf(info.name)
      if (chainId === undefined || chainId === 'empty') return []
      if (!snapshots.some((s) => s.name === `${info.name}@${EXTRACTED}`)) return []
      const parent = parentRef(ctx, info.properties[PROP.parent], info.origin)
      const diffId = info.properties[PROP.diffId]
      return [{
        chainId,
        parent: parent ?? 'empty',
        diffId: diffId !== undefined && /^sha256:[0-9a-f]{64}$/.test(diffId) ? (diffId as DiffId) : undefined,
        state: info.properties[PROP.state],
        created: info.properties[PROP.created],
        size: undefined,
      }]
    })),
  )

/** The layer's parent, from its recorded property or else its origin. */
const layerParent = (ctx: StoreContext, chainId: ChainId): TE.TaskEither<StorageError, LayerRef> =>
  pipe(
    describeDataset(ctx.driver, ctx.layout.layer(chainId)),
    TE.flatMap(({ info }) => {
      const p = parentRef(ctx, info.properties[PROP.parent], info.origin)
      return p === undefined ? TE.left(err('NotAClone', { name: info.name })) : TE.right(p)
    }),
  )

/**
 * The layer's changes against its parent as a deterministic tar, and that tar's sha256. The tar
 * is produced twice (once to hash, once for the caller): packaging costs O(changes), and the
 * same tree always packages to the same bytes. For a layer extracted from someone else's tar,
 * this diffID is of Stratum's packaging and may differ from the recorded one.
 */
export const packageStoredLayer = (ctx: StoreContext, chainId: ChainId): TE.TaskEither<StorageError, PackagedLayer> =>
  pipe(
    layerParent(ctx, chainId),
    TE.flatMap((parent) => {
      const make = () => packageLayerTar(ctx.driver, ctx.layout.layerSnap(parent), ctx.layout.layerSnap(chainId))
      return pipe(
        make(),
        TE.flatMap((tar) => digestStream(tar, `package of ${chainId}`)),
        TE.flatMap((f) => pipe(make(), TE.map((tar): PackagedLayer => ({ tar, diffId: asDiffId(f.digest) })))),
      )
    }),
  )

/** Destroys a layer; HasDependentClones naming the containers and layers cloned from it. */
export const removeLayer = (ctx: StoreContext, chainId: ChainId): TE.TaskEither<StorageError, void> => {
  const ds = ctx.layout.layer(chainId)
  /** HasDependentClones naming the current dependents, or undefined when there are none */
  const refusal = (): TE.TaskEither<StorageError, StorageError | undefined> =>
    pipe(
      describeDataset(ctx.driver, ds),
      TE.map(({ snapshots }) => {
        const dependents = snapshots.flatMap((s) => s.clones)
        return dependents.length === 0 ? undefined : err('HasDependentClones', { name: ctx.layout.layerSnap(chainId), clones: [...dependents].sort() })
      }),
    )
  return pipe(
    refusal(),
    TE.flatMap((refused) => (refused !== undefined ? TE.left(refused) : ctx.driver.destroy(ds, { recursive: true }))),
    // a clone made between the check and the destroy: zfs says only "snapshot is cloned"; name the clones
    catchTag('HasDependentClones', (e) => e.clones.length > 0 ? TE.left(e) : pipe(
      refusal(),
      TE.flatMap((refused) => TE.left(refused ?? e)),
    )),
  )
}
