/**
 * Reading an OCI image layout directory from the host (node:fs): `oci-layout`, `index.json`,
 * and blobs at `blobs/sha256/<hex>`. Small JSON blobs (manifest, config) are read whole and
 * checked against their digests; layer blobs are streamed (see `openBlob`).
 */
import { createReadStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { err, ioError, type StorageError } from '../errors.js'
import {
  decodeJson, type Descriptor, type ImageConfig, ImageIndex, ImageManifest, ImageConfig as ImageConfigC, OciLayout,
} from './codecs.js'
import { type DiffId, type Digest, digestHex, sha256 } from './digest.js'
import { StreamFailure } from './stream.js'
import { ANNOTATION_REF_NAME, type Compression, isManifestMediaType, layerCompression } from './media.js'

export interface ImageLayer {
  readonly descriptor: Descriptor
  readonly diffId: DiffId
  readonly compression: Compression
}

export interface Image {
  readonly manifestDigest: Digest
  readonly manifest: ImageManifest
  readonly config: ImageConfig
  /** bottom first, each with its diffID from the config */
  readonly layers: readonly ImageLayer[]
}

export const blobPath = (dir: string, d: Digest): string => join(dir, 'blobs', 'sha256', digestHex(d))

const fsCode = (e: unknown): 'ENOENT' | 'ENOTDIR' | 'EISDIR' | 'EIO' => {
  const c = (e as { code?: unknown }).code
  return c === 'ENOENT' || c === 'ENOTDIR' || c === 'EISDIR' ? c : 'EIO'
}

const readHostFile = (path: string): TE.TaskEither<StorageError, Buffer> =>
  TE.tryCatch(() => readFile(path), (e) => ioError(fsCode(e), path, (e as Error).message, e))

const readJson = <A>(path: string, codec: Parameters<typeof decodeJson<A>>[0]): TE.TaskEither<StorageError, A> =>
  pipe(readHostFile(path), TE.flatMapEither((b) => decodeJson(codec, path)(b.toString('utf8'))))

/** A JSON blob, its sha256 checked against `d` before it is parsed. */
const readJsonBlob = <A>(dir: string, d: Digest, codec: Parameters<typeof decodeJson<A>>[0]): TE.TaskEither<StorageError, A> => {
  const path = blobPath(dir, d)
  return pipe(
    readHostFile(path),
    TE.flatMapEither((b) => {
      const actual = sha256(b)
      return actual === d ? E.right(b) : E.left(err('DigestMismatch', { what: path, expected: d, actual }))
    }),
    TE.flatMapEither((b) => decodeJson(codec, path)(b.toString('utf8'))),
  )
}

const isDigestRef = (ref: string): ref is Digest => /^sha256:[0-9a-f]{64}$/.test(ref)

/** The manifest descriptor for `ref`: a tag (the ref.name annotation) or a manifest digest. */
export const resolveRef = (dir: string, ref: string): TE.TaskEither<StorageError, Digest> =>
  pipe(
    readJson(join(dir, 'oci-layout'), OciLayout),
    TE.flatMap(() => readJson(join(dir, 'index.json'), ImageIndex)),
    TE.flatMapEither((index) => {
      const indexPath = join(dir, 'index.json')
      if (isDigestRef(ref)) return E.right(ref)
      const hits = index.manifests.filter((m) => m.annotations?.[ANNOTATION_REF_NAME] === ref)
      const [hit, ...more] = hits
      if (hit === undefined) return E.left(ioError('ENOENT', indexPath, `no manifest named '${ref}'`))
      if (more.length > 0) return E.left(err('CorruptLayer', { what: indexPath, reason: `${hits.length} manifests named '${ref}'` }))
      if (!isManifestMediaType(hit.mediaType)) {
        return E.left(err('Unsupported', { what: `${indexPath}: '${ref}' has media type '${hit.mediaType}' (nested indexes are not read)` }))
      }
      return E.right(hit.digest)
    }),
  )

/** The image `ref` in the layout at `dir`: manifest, config, and each layer with its diffID. */
export const readImage = (dir: string, ref: string): TE.TaskEither<StorageError, Image> =>
  pipe(
    resolveRef(dir, ref),
    TE.bindTo('manifestDigest'),
    TE.bind('manifest', ({ manifestDigest }) => readJsonBlob(dir, manifestDigest, ImageManifest)),
    TE.bind('config', ({ manifest }) => readJsonBlob(dir, manifest.config.digest, ImageConfigC)),
    TE.flatMapEither(({ manifestDigest, manifest, config }) => {
      const ids = config.rootfs.diff_ids
      if (ids.length !== manifest.layers.length) {
        return E.left(err('CorruptLayer', {
          what: blobPath(dir, manifest.config.digest),
          reason: `${ids.length} diff_ids for ${manifest.layers.length} layers`,
        }))
      }
      return pipe(
        E.traverseArray((i: number) => pipe(
          layerCompression(manifest.layers[i]!.mediaType),
          E.map((compression): ImageLayer => ({ descriptor: manifest.layers[i]!, diffId: ids[i]!, compression })),
        ))(manifest.layers.map((_, i) => i)),
        E.map((layers): Image => ({ manifestDigest, manifest, config, layers })),
      )
    }),
  )

/** A layer blob as a stream of chunks; a missing blob fails when first read (Io ENOENT naming the path). */
export const openBlob = (dir: string, d: Digest): AsyncIterable<Uint8Array> => {
  const path = blobPath(dir, d)
  return {
    async *[Symbol.asyncIterator]() {
      const s = createReadStream(path, { highWaterMark: 256 * 1024 })
      try {
        for await (const c of s as AsyncIterable<Buffer>) yield new Uint8Array(c.buffer, c.byteOffset, c.byteLength)
      } catch (e) {
        throw new StreamFailure(ioError(fsCode(e), path, (e as Error).message, e))
      } finally {
        s.destroy()
      }
    },
  }
}
