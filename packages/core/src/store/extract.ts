/**
 * Extract, as fixed from the seed: layers are keyed by chainID; an existing layer is reused,
 * never re-applied; otherwise the lower layer is cloned into tmp/<uuid>, the tar applied, the
 * digests verified, @extracted snapshotted, and the dataset published by one rename to
 * storage/<chain> (a concurrent winner's layer is used instead of ours). Any failure destroys
 * the tmp dataset and publishes nothing. The next layer's lower is this one's @extracted
 * (the seed never advanced it; see test/store/seed-defects.test.ts).
 */
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { StorageError } from '../errors.js'
import type { DatasetName, SnapshotName } from '../names.js'
import { type ChainId, chainIdOf, chainIds, type DiffId } from '../oci/digest.js'
import { DEFAULT_DECOMPRESS_LIMITS } from '../oci/gzip.js'
import { readImage } from '../oci/layout.js'
import { parsePlatform } from '../oci/platform.js'
import { type ImageSource, layoutSource } from '../oci/source.js'
import { verifiedLayerStream } from '../oci/verified-layer.js'
import { applyOptions, type StoreContext } from './context.js'
import { applyLayer } from './layer-ops.js'
import { EXTRACTED, type LayerRef, nowStamp, PROP } from './layout.js'
import { destroyQuietly, publish } from './ops.js'
import { imageNameFor } from './image-name.js'
import { withLease } from './lease.js'
import { reusable } from './prune-mark.js'
import { labelsOf, recordImage } from './images.js'
import { fitting, type Labels, parseLabels } from './labels.js'
import { attempt, must, steps, undoing } from './steps.js'
import { abortable, checkpoint, type LayerMeter, layerMeter, type TaskControl } from './control.js'
import type { ExtractedImage, ExtractedLayer, ExtractImageOptions, LayerMeta } from './types.js'

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
    const layer = await must(TE.fromEither(verifiedLayerStream(blob, meta, { limits, onBytes: meter.bytes })))
    const tree = await must(ctx.driver.fs(tmp))
    const applied = await attempt(applyLayer(tree, layer.tar, { ...applyOptions(ctx), onEntry: meter.entry }))
    return must(layer.finish(applied))
  })

/** Published and reusable: Busy when prune has marked it (prune-mark.ts). */
const published = (ctx: StoreContext, chain: ChainId): TE.TaskEither<StorageError, boolean> => reusable(ctx, chain)

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
    const label = labelOf(meta, parent)
    const what = `extract of ${label}`
    const at = { index: hints.index ?? 0, count: hints.count ?? 1, label, bytesTotal: hints.bytesTotal ?? meta.size }
    const meter = layerMeter(control, at)
    await must(checkpoint(control, what))
    // a layer named by its chainID is reused, never re-applied (its blob is never read)
    const known = meta.diffId !== undefined && hints.lowerIsOurs !== true
    if (known && (await must(published(ctx, chainIdOf(parent, meta.diffId!))))) {
      meter.end('reused')
      return { chainId: chainIdOf(parent, meta.diffId!), diffId: meta.diffId!, reused: true }
    }
    // clone the lower layer into tmp/<uuid>, owned by us while we extract (its state: tmp's, inherited)
    const tmp = layout.freshTmp()
    const owned = { [PROP.parent]: parent, [PROP.owner]: ctx.owner.self, [PROP.created]: nowStamp() }
    await must(checkpoint(control, what))
    await must(d.clone(layout.layerSnap(parent), tmp, { properties: owned }))
    return undoing(destroyQuietly(d, tmp), async () => {
      // apply the tar; the stream's digests are the layer's identity
      const diffId = await must(applyVerified(ctx, tmp, abortable(blob, control, what), meta, meter))
      const chainId = chainIdOf(parent, diffId)
      // snapshot @extracted with its diffID, then publish by one rename: storage/'s `ready` is
      // inherited from then on (a concurrent extract may have won: use theirs)
      await must(checkpoint(control, what))
      await must(d.snapshot(`${tmp}@${EXTRACTED}` as SnapshotName, { properties: { [PROP.diffId]: diffId } }))
      await must(checkpoint(control, what))
      const ours = await must(publish(d, tmp, layout.layer(chainId)))
      if (!ours) await destroyQuietly(d, tmp)()
      meter.end('done')
      return { chainId, diffId, reused: !ours }
    })
  })

/**
 * Every layer of image `ref` in the OCI layout at `dir` (undefined: readImage's default; an
 * index: the platform asked, else this host's), bottom first (the seed's loop), then the image's
 * reference recorded (image-name.ts says which name; an existing one moves).
 */
export const extractImage = (
  ctx: StoreContext,
  dir: string,
  ref: string | undefined,
  control: TaskControl = {},
  options: ExtractImageOptions = {},
): TE.TaskEither<StorageError, ExtractedImage> =>
  steps(async () => {
    const platform =
      options.platform === undefined ? undefined : await must(TE.fromEither(parsePlatform(options.platform)))
    const image = await must(readImage(dir, ref, platform === undefined ? {} : { platform }))
    const named = ref ?? image.refName ?? image.manifestDigest
    const name = await must(TE.fromEither(imageNameFor(dir, named, options.name)))
    return must(extractSource(ctx, name, layoutSource(dir, image), control, options.labels))
  })

/** Every layer of `source`, bottom first, then its reference recorded as `name`. */
export const extractSource = (
  ctx: StoreContext,
  name: string,
  source: ImageSource,
  control: TaskControl = {},
  labels: Labels = {},
): TE.TaskEither<StorageError, ExtractedImage> =>
  steps(async () => {
    await must(checkpoint(control, `extract of image '${name}'`))
    const parsed = await must(TE.fromEither(parseLabels(labels, `labels of image '${name}'`)))
    const all = await must(
      TE.fromEither(fitting({ ...labelsOf(source.config.config), ...parsed }, `labels of image '${name}'`)),
    )
    // the lease keeps prune off these layers until the reference is recorded
    return withLease(ctx, chainIds(source.layers.map((l) => l.diffId)), () =>
      must(extractLayers(ctx, name, source, control, all)),
    )
  })

const extractLayers = (
  ctx: StoreContext,
  name: string,
  source: ImageSource,
  control: TaskControl,
  labels: Labels,
): TE.TaskEither<StorageError, ExtractedImage> =>
  steps(async () => {
    const layers: ExtractedLayer[] = []
    let lower: LayerRef = 'empty'
    let lowerIsOurs = false
    const count = source.layers.length
    for (const [index, { blob, diffId, size }] of source.layers.entries()) {
      const meta: LayerMeta = { ...blob, diffId }
      const hints = { lowerIsOurs, index, count, bytesTotal: size }
      const layer: ExtractedLayer = await must(extractOne(ctx, lower, source.open(index), meta, control, hints))
      layers.push(layer)
      lower = layer.chainId
      lowerIsOurs = !layer.reused
    }
    const { os, architecture } = source.config
    const platform = os !== undefined && architecture !== undefined ? `${os}/${architecture}` : undefined
    await must(checkpoint(control, `extract of image '${name}'`))
    await must(
      recordImage(ctx, {
        name,
        manifest: source.manifestDigest,
        config: source.configDigest,
        ...(platform === undefined ? {} : { platform }),
        ...(Object.keys(labels).length === 0 ? {} : { labels }),
        top: lower,
        created: nowStamp(),
      }),
    )
    return { name, layers, top: lower }
  })
