/**
 * An image to extract, wherever it is stored (an OCI layout, a docker archive): its config,
 * each layer's blob description with its diffID, and a way to stream each blob.
 */
import type { ImageConfig } from './codecs.js'
import type { DiffId, Digest } from './digest.js'
import type { Image } from './layout.js'
import { openBlob } from './layout-file.js'
import type { LayerExpectation } from './verified-layer.js'

export interface SourceLayer {
  /** what is verified of the blob: media type (its compression), digest and size where known */
  readonly blob: LayerExpectation
  /** the config's diffID for it */
  readonly diffId: DiffId
  /** the blob's bytes, for progress */
  readonly size: number
}

export interface ImageSource {
  /** the manifest's digest (a docker archive without one: its manifest.json entry's) */
  readonly manifestDigest: Digest
  readonly configDigest: Digest
  readonly config: ImageConfig
  /** bottom first */
  readonly layers: readonly SourceLayer[]
  /** layer `i`'s blob, opened when first read */
  open(i: number): AsyncIterable<Uint8Array>
  /**
   * The layers an extract will read, in order (the others are stored already): a source that
   * downloads may fetch each ahead of its turn. `close` stops what was fetched and not read.
   */
  willRead?(indexes: readonly number[]): void
  close?(): Promise<void>
}

/** Image `image` read from the OCI layout at `dir`. */
export const layoutSource = (dir: string, image: Image): ImageSource => ({
  manifestDigest: image.manifestDigest,
  configDigest: image.manifest.config.digest,
  config: image.config,
  layers: image.layers.map(({ descriptor: d, diffId }) => ({
    blob: { mediaType: d.mediaType, digest: d.digest, size: d.size },
    diffId,
    size: d.size,
  })),
  open: (i) => {
    const d = image.layers[i]!.descriptor
    return openBlob(dir, d.digest, d.size)
  },
})
