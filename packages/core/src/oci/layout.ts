/**
 * Reading an OCI image layout directory from the host (node:fs): `oci-layout`, `index.json`,
 * and blobs at `blobs/sha256/<hex>`. Small JSON blobs (manifest, config) are read whole and
 * checked against their digests; layer blobs are streamed (see `openBlob`). Every file is
 * opened as layout-file.ts says: no symlinks, regular files only, bounded reads.
 */
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { err, ioError, type StorageError } from '../errors.js'
import { blobPath, readJsonBlobBytes, readLayoutFile } from './layout-file.js'
import {
  decodeJson,
  type Descriptor,
  type ImageConfig,
  ImageIndex,
  ImageManifest,
  ImageConfig as ImageConfigC,
  OciLayout,
} from './codecs.js'
import { type DiffId, type Digest, sha256 } from './digest.js'
import { ANNOTATION_REF_NAME, isManifestMediaType, type LayerCompression, layerCompression } from './media.js'

export interface ImageLayer {
  readonly descriptor: Descriptor
  readonly diffId: DiffId
  readonly compression: LayerCompression
}

export interface Image {
  readonly manifestDigest: Digest
  readonly manifest: ImageManifest
  readonly config: ImageConfig
  /** bottom first, each with its diffID from the config */
  readonly layers: readonly ImageLayer[]
}

const readJson = <A>(path: string, codec: Parameters<typeof decodeJson<A>>[0]): TE.TaskEither<StorageError, A> =>
  pipe(
    readLayoutFile(path),
    TE.flatMapEither((b) => decodeJson(codec, path)(b.toString('utf8'))),
  )

/** A JSON blob (at most `size` bytes when a descriptor states it), its sha256 checked against `d` before it is parsed. */
const readJsonBlob = <A>(
  dir: string,
  d: Digest,
  size: number | undefined,
  codec: Parameters<typeof decodeJson<A>>[0],
): TE.TaskEither<StorageError, A> => {
  const path = blobPath(dir, d)
  return pipe(
    readJsonBlobBytes(dir, d, size),
    TE.flatMapEither((b) => {
      const actual = sha256(b)
      return actual === d ? E.right(b) : E.left(err('DigestMismatch', { what: path, expected: d, actual }))
    }),
    TE.flatMapEither((b) => decodeJson(codec, path)(b.toString('utf8'))),
  )
}

const isDigestRef = (ref: string): ref is Digest => /^sha256:[0-9a-f]{64}$/.test(ref)

export interface ManifestRef {
  readonly digest: Digest
  /** the size `index.json` states for it (none for a digest ref the index does not list) */
  readonly size?: number
}

/** The manifest for `ref`: a tag (the ref.name annotation) or a manifest digest. */
export const resolveRef = (dir: string, ref: string): TE.TaskEither<StorageError, ManifestRef> =>
  pipe(
    readJson(join(dir, 'oci-layout'), OciLayout),
    TE.flatMap(() => readJson(join(dir, 'index.json'), ImageIndex)),
    TE.flatMapEither((index) => {
      const indexPath = join(dir, 'index.json')
      if (isDigestRef(ref)) {
        const listed = index.manifests.find((m) => m.digest === ref)
        return E.right(listed === undefined ? { digest: ref } : { digest: ref, size: listed.size })
      }
      const hits = index.manifests.filter((m) => m.annotations?.[ANNOTATION_REF_NAME] === ref)
      const [hit, ...more] = hits
      if (hit === undefined) return E.left(ioError('ENOENT', indexPath, `no manifest named '${ref}'`))
      if (more.length > 0)
        return E.left(err('CorruptLayer', { what: indexPath, reason: `${hits.length} manifests named '${ref}'` }))
      if (!isManifestMediaType(hit.mediaType)) {
        return E.left(
          err('Unsupported', {
            what: `${indexPath}: '${ref}' has media type '${hit.mediaType}' (nested indexes are not read)`,
          }),
        )
      }
      return E.right({ digest: hit.digest, size: hit.size })
    }),
  )

/** The image `ref` in the layout at `dir`: manifest, config, and each layer with its diffID. */
export const readImage = (dir: string, ref: string): TE.TaskEither<StorageError, Image> =>
  pipe(
    resolveRef(dir, ref),
    TE.bindTo('m'),
    TE.bind('manifest', ({ m }) => readJsonBlob(dir, m.digest, m.size, ImageManifest)),
    TE.bind('config', ({ manifest }) => readJsonBlob(dir, manifest.config.digest, manifest.config.size, ImageConfigC)),
    TE.map(({ m, manifest, config }) => ({ manifestDigest: m.digest, manifest, config })),
    TE.flatMapEither(({ manifestDigest, manifest, config }) => {
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
        E.map((layers): Image => ({ manifestDigest, manifest, config, layers })),
      )
    }),
  )
