/**
 * Reading an OCI image layout directory from the host (node:fs): `oci-layout`, `index.json`
 * (index-ref.ts finds the manifest, through nested indexes), and blobs at `blobs/sha256/<hex>`. Small JSON blobs (manifest, config) are read whole and
 * checked against their digests; layer blobs are streamed (see `openBlob`). Every file is
 * opened as layout-file.ts says: no symlinks, regular files only, bounded reads.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { err, type StorageError } from '../errors.js'
import { type Descriptor, type ImageConfig, ImageManifest, ImageConfig as ImageConfigC } from './codecs.js'
import type { DiffId, Digest } from './digest.js'
import { resolveRef } from './index-ref.js'
import { readJsonBlob } from './json-doc.js'
import { blobPath } from './layout-file.js'
import { type LayerCompression, layerCompression } from './media.js'
import { hostPlatform, type PlatformSpec } from './platform.js'

/** One layer of an image: its descriptor, diffID and compression. */
export interface ImageLayer {
  readonly descriptor: Descriptor
  readonly diffId: DiffId
  readonly compression: LayerCompression
}

/** An image read from an OCI layout: manifest, config and layers. */
export interface Image {
  readonly manifestDigest: Digest
  /** the ref.name of index.json's entry it was found by */
  readonly refName?: string
  readonly manifest: ImageManifest
  readonly config: ImageConfig
  /** bottom first, each with its diffID from the config */
  readonly layers: readonly ImageLayer[]
}

/** How readImage chooses among an index's platforms. */
export interface ReadImageOptions {
  /** the platform wanted (default: this host's, see platform.ts) */
  readonly platform?: PlatformSpec
}

/**
 * The image `ref` in the layout at `dir` (undefined: `latest`, else the only one; see
 * index-ref.ts), for the platform asked where it is an index: manifest, config, and each layer
 * with its diffID.
 */
export const readImage = (
  dir: string,
  ref: string | undefined,
  options: ReadImageOptions = {},
): TE.TaskEither<StorageError, Image> =>
  pipe(
    resolveRef(dir, ref, options.platform ?? hostPlatform()),
    TE.bindTo('m'),
    TE.bind('manifest', ({ m }) => readJsonBlob(dir, m.digest, m.size, ImageManifest)),
    TE.bind('config', ({ manifest }) => readJsonBlob(dir, manifest.config.digest, manifest.config.size, ImageConfigC)),
    TE.map(({ m, manifest, config }) => ({ manifestDigest: m.digest, refName: m.refName, manifest, config })),
    TE.flatMapEither(({ manifestDigest, refName, manifest, config }) => {
      const ids = config.rootfs.diff_ids
      if (ids.length !== manifest.layers.length) {
        return E.left(
          err('CorruptLayer', {
            what: blobPath(dir, manifest.config.digest),
            reason: `${ids.length} diff_ids for ${manifest.layers.length} layers`,
          }),
        )
      }
      return pipe(
        E.traverseArray((i: number) =>
          pipe(
            layerCompression(manifest.layers[i]!.mediaType),
            E.map((compression): ImageLayer => ({ descriptor: manifest.layers[i]!, diffId: ids[i]!, compression })),
          ),
        )(manifest.layers.map((_, i) => i)),
        E.map(
          (layers): Image => ({
            manifestDigest,
            ...(refName === undefined ? {} : { refName }),
            manifest,
            config,
            layers,
          }),
        ),
      )
    }),
  )
