/**
 * Writing a stored layer chain as an image in an OCI layout: each layer packaged against its
 * parent (Stratum's deterministic tar), compressed as it streams into the layout's blobs, then
 * config, manifest and the `index.json` entry (written last: a failure leaves no entry). The
 * base image (the reference whose top is highest in the chain) gives its platform and labels;
 * history has one entry per layer. The same store state writes the same bytes.
 */
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { err, type StorageError } from '../errors.js'
import type { ChainId } from '../oci/digest.js'
import type { Compression } from '../oci/media.js'
import { type StoredLayer, writeLayerStream } from '../oci/write-blob.js'
import { type HistoryEntry, hostPlatform, type ImageSpec, writeImageLayout } from '../oci/write.js'
import type { StoreContext } from './context.js'
import { type ImageRecord, listImages } from './images.js'
import { packageLayerTar } from './layer-ops.js'
import { listLayers } from './layers.js'
import type { LayerRef } from './layout.js'
import { withLease } from './lease.js'
import { fail, must, steps } from './steps.js'
import type { LayerInfo, SavedImage, SaveImageOptions } from './types.js'

/** The chain below and including `top`, bottom first. */
const chainOf = (top: LayerRef, layers: readonly LayerInfo[]): LayerInfo[] | StorageError => {
  const byId = new Map(layers.map((l) => [l.chainId, l]))
  const chain: LayerInfo[] = []
  for (let at: LayerRef = top; at !== 'empty'; ) {
    const l = byId.get(at)
    if (l === undefined || chain.length > layers.length)
      return err('ReferenceNotFound', { name: at, reason: `no published layer (in the chain of ${top})` })
    chain.unshift(l)
    at = l.parent
  }
  return chain
}

/** The image the chain was built on: the reference whose top is highest in it (first by name on a tie). */
const baseOf = (chain: readonly LayerInfo[], images: readonly ImageRecord[]): ImageRecord | undefined => {
  for (let i = chain.length - 1; i >= 0; i--) {
    const hit = images.find((im) => im.top === chain[i]!.chainId)
    if (hit !== undefined) return hit
  }
  return undefined
}

const specOf = (chain: readonly LayerInfo[], base: ImageRecord | undefined): ImageSpec => {
  const [os, architecture] = base?.platform?.split('/') ?? []
  const platform = os !== undefined && architecture !== undefined ? { os, architecture } : hostPlatform()
  const inBase = new Set<ChainId | 'empty'>()
  if (base !== undefined)
    for (let at = chain.findIndex((l) => l.chainId === base.top); at >= 0; at--) inBase.add(chain[at]!.chainId)
  const history = chain.map(
    (l): HistoryEntry => ({
      ...(l.created === undefined ? {} : { created: l.created }),
      comment: inBase.has(l.chainId) ? `layer of ${base!.name}` : 'stratum layer',
    }),
  )
  const created = chain[chain.length - 1]?.created
  return {
    ...platform,
    ...(base?.labels === undefined ? {} : { config: { Labels: base.labels } }),
    history,
    ...(created === undefined ? {} : { created }),
  }
}

/** Writes the chain under `top` as image `ref` of the layout at `dir` (a lease keeps prune off it meanwhile). */
export const saveImage = (
  ctx: StoreContext,
  top: LayerRef,
  dir: string,
  ref: string,
  options: SaveImageOptions = {},
): TE.TaskEither<StorageError, SavedImage> =>
  steps(async () => {
    const chain = chainOf(top, await must(listLayers(ctx)))
    if (!Array.isArray(chain)) return fail(chain)
    const base = baseOf(chain, await must(listImages(ctx)))
    const compression: Compression = options.compression ?? 'gzip'
    const written = await withLease(
      ctx,
      chain.map((l) => l.chainId),
      async () => {
        const stored: StoredLayer[] = []
        for (const l of chain) {
          const tar = await must(
            packageLayerTar(ctx.driver, ctx.layout.layerSnap(l.parent), ctx.layout.layerSnap(l.chainId)),
          )
          stored.push(await must(writeLayerStream(dir, tar, compression)))
        }
        const image = await must(writeImageLayout(dir, ref, stored, specOf(chain, base)))
        return { ...image, diffIds: stored.map((s) => s.diffId) }
      },
    )
    return { ...written, source: top, ...(base === undefined ? {} : { base: base.name }) }
  })
