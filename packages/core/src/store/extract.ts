/**
 * Extract, as fixed from the seed: layers are keyed by chainID; an existing layer is reused,
 * never re-applied; otherwise the lower layer is cloned into tmp/<uuid>, the tar applied, the
 * digests verified, @extracted snapshotted, and the dataset published by one rename to
 * storage/<chain> (a concurrent winner's layer is used instead of ours). Any failure destroys
 * the tmp dataset and publishes nothing. The image loop is in extract-image.ts.
 */
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { StorageError } from '../errors.js'
import type { DatasetName, SnapshotName } from '../names.js'
import { chainIdOf, type DiffId } from '../oci/digest.js'
import { DEFAULT_DECOMPRESS_LIMITS } from '../oci/gzip.js'
import { verifiedLayerStream } from '../oci/verified-layer.js'
import { applyOptions, type StoreContext } from './context.js'
import { applyLayer } from './layer-ops.js'
import { EXTRACTED, type LayerRef, nowStamp, PROP } from './layout.js'
import { destroyQuietly, publish } from './ops.js'
import { reusable } from './prune-mark.js'
import { attempt, must, steps, undoing } from './steps.js'
import { abortable, checkpoint, type LayerMeter, layerMeter, type TaskControl } from './control.js'
import type { ExtractedLayer, LayerMeta } from './types.js'

/** Applies `blob` onto `tmp`'s tree, verifying the blob and its tar as they stream. Gives the tar's diffID. */
const applyVerified = (
  ctx: StoreContext,
  tmp: DatasetName,
  blob: AsyncIterable<Uint8Array>,
  meta: LayerMeta,
  meter: LayerMeter,
): TE.TaskEither<StorageError, DiffId> =>
  steps(async () => {
    const limits = { ...DEFAULT_DECOMPRESS_LIMITS, ...ctx.options.decompressLimits }
    const tree = await must(ctx.driver.fs(tmp))
    // nothing fails between opening the stream and finishing it
    const layer = await must(TE.fromEither(verifiedLayerStream(blob, meta, { limits, onBytes: meter.bytes })))
    const applied = await attempt(applyLayer(tree, layer.tar, { ...applyOptions(ctx), onEntry: meter.entry }))
    return must(layer.finish(applied))
  })

/** How much extractOne may assume. */
export interface ExtractHints {
  /**
   * The lower layer was just published by this extract: nothing over it can have been published
   * before that, so the "already there?" check is skipped (a concurrent winner since then is
   * caught by the publishing rename).
   */
  readonly lowerIsOurs?: boolean
  /** the layer's place in its image and its blob's size, for progress (default: 0 of 1, the meta's size) */
  readonly index?: number
  readonly count?: number
  readonly bytesTotal?: number
}

const labelOf = (meta: LayerMeta, parent: LayerRef): string => meta.digest ?? meta.diffId ?? `layer over ${parent}`

/** The layer's progress meter, labelled with its digest (or diffID) and its place in the image. */
const meterOf = (control: TaskControl, meta: LayerMeta, parent: LayerRef, hints: ExtractHints): LayerMeter =>
  layerMeter(control, {
    index: hints.index ?? 0,
    count: hints.count ?? 1,
    label: labelOf(meta, parent),
    bytesTotal: hints.bytesTotal ?? meta.size,
  })

/** The published layer a blob of known diffID makes over `parent`, if there is one (Busy when prune marked it). */
const existing = async (
  ctx: StoreContext,
  parent: LayerRef,
  meta: LayerMeta,
  hints: ExtractHints,
): Promise<ExtractedLayer | undefined> => {
  if (meta.diffId === undefined || hints.lowerIsOurs === true) return undefined
  const chainId = chainIdOf(parent, meta.diffId)
  return (await must(reusable(ctx, chainId))) ? { chainId, diffId: meta.diffId, reused: true } : undefined
}

/**
 * One layer over `parent`: the body of the seed's loop. Fresh: clone, snapshot, rename (3 driver
 * calls). An abort is heard before each step and while the blob streams; the tmp clone is destroyed.
 */
export const extractOne = (
  ctx: StoreContext,
  parent: LayerRef,
  blob: AsyncIterable<Uint8Array>,
  meta: LayerMeta,
  control: TaskControl = {},
  hints: ExtractHints = {},
): TE.TaskEither<StorageError, ExtractedLayer> =>
  steps(async () => {
    const { driver: d, layout } = ctx
    const what = `extract of ${labelOf(meta, parent)}`
    const meter = meterOf(control, meta, parent, hints)
    const step = () => must(checkpoint(control, what))
    await step()
    // a layer named by its chainID is reused, never re-applied (its blob is never read)
    const found = await existing(ctx, parent, meta, hints)
    if (found !== undefined) {
      meter.end('reused')
      return found
    }
    // clone the lower layer into tmp/<uuid>, owned by us while we extract (its state: tmp's, inherited)
    const tmp = layout.freshTmp()
    const owned = { [PROP.parent]: parent, [PROP.owner]: ctx.owner.self, [PROP.created]: nowStamp() }
    await step()
    await must(d.clone(layout.layerSnap(parent), tmp, { properties: owned }))
    return undoing(destroyQuietly(d, tmp), async () => {
      // apply the tar; the stream's digests are the layer's identity
      const diffId = await must(applyVerified(ctx, tmp, abortable(blob, control, what), meta, meter))
      const chainId = chainIdOf(parent, diffId)
      // snapshot @extracted with its diffID, then publish by one rename: storage/'s `ready` is
      // inherited from then on (a concurrent extract may have won: use theirs)
      await step()
      await must(d.snapshot(`${tmp}@${EXTRACTED}` as SnapshotName, { properties: { [PROP.diffId]: diffId } }))
      await step()
      const ours = await must(publish(d, tmp, layout.layer(chainId)))
      if (!ours) await destroyQuietly(d, tmp)()
      meter.end('done')
      return { chainId, diffId, reused: !ours }
    })
  })
