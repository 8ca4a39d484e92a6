/**
 * Writing an OCI image layout directory on the host: layer blobs, an image config with their
 * diffIDs, a manifest, and an `index.json` entry naming it. Writing a second image into the
 * same directory adds to `index.json` (replacing an entry with the same ref name). The directory
 * is made like `mkdir -p` (core's mkdirs: an existing symlink to a directory is followed); the
 * files inside are replaced atomically, never written through a symlink.
 */
import { hostPlatform } from './platform.js'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { StorageError } from '../errors.js'
import { hostIoError } from '../host/errno.js'
import { mkdirs } from '../host/mkdirs.js'
import { replaceAtomically } from '../host/write-path.js'
import { decodeJson, type Descriptor, ImageIndex } from './codecs.js'
import { checkBlobDirectories, readLayoutFile } from './layout-file.js'
import type { StoredLayer } from './write-blob.js'
import { asDiffId, type ChainId, chainIds, type DiffId, type Digest, digestHex, sha256 } from './digest.js'
import {
  ANNOTATION_REF_NAME,
  type Compression,
  MEDIA_CONFIG,
  MEDIA_INDEX,
  MEDIA_LAYER_GZIP,
  MEDIA_LAYER_TAR,
  MEDIA_MANIFEST,
} from './media.js'

/** A layer blob to write into an OCI layout. */
export interface LayerBlob {
  readonly blob: Uint8Array
  readonly mediaType: string
  /** the digest of the uncompressed tar, as the config will state it */
  readonly diffId: DiffId
}

/** A layer blob from an uncompressed tar: gzip-compressed or not, with its true diffID. */
export const layerBlob = (tar: Uint8Array, compression: Exclude<Compression, 'zstd'> = 'gzip'): LayerBlob => ({
  blob: compression === 'gzip' ? gzipSync(tar) : tar,
  mediaType: compression === 'gzip' ? MEDIA_LAYER_GZIP : MEDIA_LAYER_TAR,
  diffId: asDiffId(sha256(tar)),
})

/** What the image config says beyond its layers: platform, the runtime config, history. */
export interface ImageSpec extends Platform {
  /** the config's `config` (Env, Cmd, Labels, ...), carried over from a base image */
  readonly config?: Readonly<Record<string, unknown>>
  /** one entry per layer or step, as OCI's config `history` */
  readonly history?: readonly HistoryEntry[]
  /** the config's `created` (ISO 8601) */
  readonly created?: string
}

/** One `history` entry of an image config. */
export interface HistoryEntry {
  readonly created?: string
  readonly created_by?: string
  readonly comment?: string
  readonly empty_layer?: boolean
}

/** What writing an image into an OCI layout wrote: the manifest, the layer digests and the chainIDs. */
export interface WrittenImage {
  readonly manifestDigest: Digest
  readonly layerDigests: readonly Digest[]
  readonly chainIds: readonly ChainId[]
}

const io = hostIoError

/** A file inside the layout: temp + rename, so a symlink or FIFO planted there is replaced, never followed. */
const put = (path: string, bytes: Uint8Array | string): TE.TaskEither<StorageError, void> =>
  TE.tryCatch(async () => {
    await replaceAtomically(path, typeof bytes === 'string' ? Buffer.from(bytes) : bytes)
  }, io(path))

const isStored = (l: LayerBlob | StoredLayer): l is StoredLayer => 'descriptor' in l

const writeBlob = (dir: string, bytes: Uint8Array, mediaType: string): TE.TaskEither<StorageError, Descriptor> => {
  const digest = sha256(bytes)
  const path = join(dir, 'blobs', 'sha256', digestHex(digest))
  return pipe(
    put(path, bytes),
    TE.map((): Descriptor => ({ mediaType, digest, size: bytes.byteLength })),
  )
}

const json = (v: unknown): Uint8Array => Buffer.from(JSON.stringify(v))

const readIndex = (path: string): TE.TaskEither<StorageError, ImageIndex> =>
  pipe(
    readLayoutFile(path),
    TE.map((b): string | undefined => b.toString('utf8')),
    TE.orElse((e) => (e._tag === 'Io' && e.code === 'ENOENT' ? TE.right(undefined) : TE.left(e))),
    TE.flatMapEither((text) =>
      text === undefined ? E.right({ schemaVersion: 2 as const, manifests: [] }) : decodeJson(ImageIndex, path)(text),
    ),
  )

/** The image config's platform (OCI image-spec `os` and `architecture` values). */
export interface Platform {
  readonly os: string
  readonly architecture: string
}

export { hostPlatform }

/**
 * Writes image `ref` made of `layers` (bottom first: blobs to write, or ones already written by
 * writeLayerStream) into the layout at `dir`, creating it if needed. The config names `spec`'s
 * platform (default: this host's), which tools such as `umoci unpack` check, and its runtime
 * config and history when given.
 */
export const writeImageLayout = (
  dir: string,
  ref: string,
  layers: readonly (LayerBlob | StoredLayer)[],
  spec: ImageSpec = hostPlatform(),
): TE.TaskEither<StorageError, WrittenImage> => {
  const indexPath = join(dir, 'index.json')
  const diffIds = layers.map((l) => l.diffId)
  const config = {
    architecture: spec.architecture,
    os: spec.os,
    ...(spec.created === undefined ? {} : { created: spec.created }),
    ...(spec.config === undefined ? {} : { config: spec.config }),
    rootfs: { type: 'layers', diff_ids: diffIds },
    ...(spec.history === undefined ? {} : { history: spec.history }),
  }
  return pipe(
    checkBlobDirectories(dir),
    TE.flatMap(() => mkdirs(join(dir, 'blobs', 'sha256'))),
    TE.flatMap(() => put(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }))),
    TE.flatMap(() =>
      TE.sequenceSeqArray(
        layers.map((l) => (isStored(l) ? TE.right(l.descriptor) : writeBlob(dir, l.blob, l.mediaType))),
      ),
    ),
    TE.bindTo('layerDescs'),
    TE.bind('configDesc', () => writeBlob(dir, json(config), MEDIA_CONFIG)),
    TE.bind('manifestDesc', ({ layerDescs, configDesc }) =>
      writeBlob(
        dir,
        json({ schemaVersion: 2, mediaType: MEDIA_MANIFEST, config: configDesc, layers: layerDescs }),
        MEDIA_MANIFEST,
      ),
    ),
    TE.bind('index', () => readIndex(indexPath)),
    TE.flatMap(({ layerDescs, manifestDesc, index }) => {
      const entry = { ...manifestDesc, annotations: { [ANNOTATION_REF_NAME]: ref } }
      const manifests = [...index.manifests.filter((m) => m.annotations?.[ANNOTATION_REF_NAME] !== ref), entry]
      return pipe(
        put(indexPath, JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_INDEX, manifests })),
        TE.map(
          (): WrittenImage => ({
            manifestDigest: manifestDesc.digest,
            layerDigests: layerDescs.map((d) => d.digest),
            chainIds: chainIds(diffIds),
          }),
        ),
      )
    }),
  )
}
