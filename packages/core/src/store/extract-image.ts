/**
 * The seed's extract loop: every layer of an image, bottom first, each by extractOne (reused
 * when its chainID is stored); the next layer's lower is this one's @extracted (the seed never
 * advanced it; see test/store/seed-defects.test.ts). A lease keeps prune off the layers until
 * the image's reference is recorded, last.
 */
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { StorageError } from '../errors.js'
import { type ChainId, chainIds } from '../oci/digest.js'
import { readImage } from '../oci/layout.js'
import { parsePlatform } from '../oci/platform.js'
import { type ImageSource, layoutSource } from '../oci/source.js'
import type { StoreContext } from './context.js'
import { checkpoint, type TaskControl } from './control.js'
import { extractOne } from './extract.js'
import { imageNameFor } from './image-name.js'
import { labelsOf, recordImage } from './images.js'
import { fitting, type Labels, parseLabels } from './labels.js'
import { type LayerRef, nowStamp } from './layout.js'
import { withLease } from './lease.js'
import { listLayers } from './layers.js'
import { must, steps } from './steps.js'
import type { ExtractedImage, ExtractedLayer, ExtractImageOptions, LayerInfo, LayerMeta } from './types.js'

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
    const chains = chainIds(source.layers.map((l) => l.diffId))
    try {
      return await withLease(ctx, chains, async () => {
        if (source.willRead !== undefined) source.willRead(await must(toRead(ctx, chains)))
        return must(extractLayers(ctx, name, source, control, all))
      })
    } finally {
      await source.close?.()
    }
  })

/** The indexes of `chains` not stored yet: the blobs an extract will read (one listing). */
const toRead = (ctx: StoreContext, chains: readonly ChainId[]): TE.TaskEither<StorageError, number[]> =>
  TE.map((stored: readonly LayerInfo[]) => {
    const have = new Set<string>(stored.map((l) => l.chainId))
    return chains.flatMap((c, i) => (have.has(c) ? [] : [i]))
  })(listLayers(ctx))

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
