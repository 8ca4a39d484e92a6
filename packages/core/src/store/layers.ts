/** Published layers: listing, packaging one against its parent, removing one nothing depends on. */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { err, type StorageError } from '../errors.js'
import type { DatasetName } from '../names.js'
import { asDiffId, type ChainId, type DiffId } from '../oci/digest.js'
import { digestStream } from '../oci/stream.js'
import type { StoreContext } from './context.js'
import { abortable, checkpoint, layerMeter, metered, type TaskControl } from './control.js'
import { packageLayerTar } from './layer-ops.js'
import { EXTRACTED, type LayerRef, PROP } from './layout.js'
import { foreignSnapshots } from './lock.js'
import { describeDataset, listChildren } from './ops.js'
import { attempt, fail, must, steps } from './steps.js'
import type { LayerInfo, PackagedLayer } from './types.js'

/** A layer's parent: its recorded `stratum:parent`, else the layer its origin is. */
export const parentRef = (
  ctx: StoreContext,
  recorded: string | undefined,
  origin: string | null,
): LayerRef | undefined =>
  recorded === 'empty' || (recorded !== undefined && /^sha256:[0-9a-f]{64}$/.test(recorded))
    ? (recorded as LayerRef)
    : origin === null
      ? undefined
      : ctx.layout.layerOf(origin as DatasetName)

export const listLayers = (ctx: StoreContext): TE.TaskEither<StorageError, readonly LayerInfo[]> =>
  pipe(
    listChildren(ctx.driver, ctx.layout.storage),
    TE.map((children) =>
      children.flatMap(({ info, snapshots }): LayerInfo[] => {
        const chainId = ctx.layout.layerOf(info.name)
        if (chainId === undefined || chainId === 'empty') return []
        if (!snapshots.some((s) => s.name === `${info.name}@${EXTRACTED}`)) return []
        const parent = parentRef(ctx, info.properties[PROP.parent], info.origin)
        // extract records the diffID on @extracted, commit on the dataset (which the snapshot inherits)
        const diffId = snapshots.find((s) => s.name === `${info.name}@${EXTRACTED}`)?.properties[PROP.diffId]
        return [
          {
            chainId,
            parent: parent ?? 'empty',
            diffId: diffId !== undefined && /^sha256:[0-9a-f]{64}$/.test(diffId) ? (diffId as DiffId) : undefined,
            state: info.properties[PROP.state],
            created: info.properties[PROP.created],
            size: undefined,
            referenced: undefined,
          },
        ]
      }),
    ),
  )

/** The layer's parent, from its recorded property or else its origin. */
const layerParent = (ctx: StoreContext, chainId: ChainId): TE.TaskEither<StorageError, LayerRef> =>
  steps(async () => {
    const { info } = await must(describeDataset(ctx.driver, ctx.layout.layer(chainId)))
    return parentRef(ctx, info.properties[PROP.parent], info.origin) ?? fail(err('NotAClone', { name: info.name }))
  })

/**
 * The layer's changes against its parent as a deterministic tar, and that tar's sha256. The tar
 * is produced twice (once to hash, once for the caller): packaging costs O(changes), and the
 * same tree always packages to the same bytes. For a layer extracted from someone else's tar,
 * this diffID is of Stratum's packaging and may differ from the recorded one.
 */
export const packageStoredLayer = (
  ctx: StoreContext,
  chainId: ChainId,
  control: TaskControl = {},
): TE.TaskEither<StorageError, PackagedLayer> =>
  steps(async () => {
    const what = `package of ${chainId}`
    await must(checkpoint(control, what))
    const parent = await must(layerParent(ctx, chainId))
    const [from, to] = [ctx.layout.layerSnap(parent), ctx.layout.layerSnap(chainId)]
    // one plan, two passes over its tar: the hashing pass, then the caller's, which alone is metered
    let onEntry = (): void => undefined
    const tar = await must(packageLayerTar(ctx.driver, from, to, () => onEntry()))
    const hashed = await must(digestStream(abortable(tar, control, what), what))
    // progress is of the caller's pass, whose size the hashing pass measured
    const meter = layerMeter(control, { index: 0, count: 1, label: chainId, bytesTotal: hashed.bytes })
    onEntry = meter.entry
    return { tar: abortable(metered(tar, meter), control, what), diffId: asDiffId(hashed.digest) }
  })

/**
 * Why the layer may not be destroyed, or undefined when nothing stops it: HasDependentClones
 * naming the containers and layers cloned from it, HasChildren naming snapshots others made on it.
 */
const dependents = (ctx: StoreContext, chainId: ChainId): TE.TaskEither<StorageError, StorageError | undefined> =>
  pipe(
    describeDataset(ctx.driver, ctx.layout.layer(chainId)),
    TE.map(({ snapshots }) => {
      const clones = snapshots.flatMap((s) => s.clones)
      const name = ctx.layout.layerSnap(chainId)
      if (clones.length > 0) return err('HasDependentClones', { name, clones: [...clones].sort() })
      const foreign = foreignSnapshots(ctx.layout.layer(chainId), snapshots)
      return foreign.length === 0
        ? undefined
        : err('HasChildren', { name: ctx.layout.layer(chainId), dependents: foreign })
    }),
  )

/** Destroys a layer; HasDependentClones naming the containers and layers cloned from it, HasChildren naming others' snapshots. */
export const removeLayer = (ctx: StoreContext, chainId: ChainId): TE.TaskEither<StorageError, void> =>
  steps(async () => {
    const refused = await must(dependents(ctx, chainId))
    if (refused !== undefined) return fail(refused)
    const destroyed = await attempt(ctx.driver.destroy(ctx.layout.layer(chainId), { recursive: true }))
    if (E.isRight(destroyed)) return
    // a clone made between the check and the destroy: zfs says only "snapshot is cloned"; name the clones
    const e = destroyed.left
    if (e._tag !== 'HasDependentClones' || e.clones.length > 0) return fail(e)
    return fail((await must(dependents(ctx, chainId))) ?? e)
  })
