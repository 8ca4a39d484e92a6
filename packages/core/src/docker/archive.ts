/**
 * `docker save` archives read as an image source, from the file itself (nothing unpacked to
 * disk): `manifest.json` lists each image's config and layer members, both in the classic form
 * (`<id>/layer.tar`, `<hex>.json`) and in the one that carries an OCI layout inside
 * (`blobs/sha256/<hex>`, whose names are then verified as digests). A layer's compression is
 * read from its first bytes (gzip or a plain tar); the config's diff_ids are verified as usual.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import * as t from 'io-ts'
import { err, type StorageError } from '../errors.js'
import { decodeJson, ImageConfig } from '../oci/codecs.js'
import { type Digest, sha256 } from '../oci/digest.js'
import { MAX_JSON_BYTES } from '../oci/layout-file.js'
import { MEDIA_LAYER_GZIP, MEDIA_LAYER_TAR } from '../oci/media.js'

/** OCI's zstd layer type: read where the layer reader knows zstd (Unsupported where it does not). */
const MEDIA_LAYER_ZSTD = 'application/vnd.oci.image.layer.v1.tar+zstd'
import type { ImageSource, SourceLayer } from '../oci/source.js'
import { must, steps } from '../store/steps.js'
import { type ArchiveIndex, indexArchive } from './archive-index.js'
import { memberStream, readMember, resolveMember } from './archive-member.js'

const Entry = t.intersection([
  t.type({ Config: t.string, Layers: t.array(t.string) }),
  t.partial({ RepoTags: t.union([t.array(t.string), t.null]) }),
])
type Entry = t.TypeOf<typeof Entry>
const DockerManifest = t.array(Entry)

/** One image of a `docker save` archive, as a source of layers. */
export interface ArchiveImage {
  readonly source: ImageSource
  /** the archive's name for the image (its first repo tag, or the one `ref` matched) */
  readonly tag: string | undefined
}

/** The digest a member's name states (`blobs/sha256/<hex>`, `<hex>.json`), if it states one. */
const namedDigest = (name: string): Digest | undefined => {
  const m = /^(?:blobs\/sha256\/([0-9a-f]{64})|([0-9a-f]{64})\.json)$/.exec(name)
  const hex = m?.[1] ?? m?.[2]
  return hex === undefined ? undefined : (`sha256:${hex}` as Digest)
}

/** A layer's media type by its first bytes: gzip's and zstd's magic numbers, else a plain tar. */
const sniffMediaType = (head: Uint8Array): string =>
  head[0] === 0x1f && head[1] === 0x8b
    ? MEDIA_LAYER_GZIP
    : head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd
      ? MEDIA_LAYER_ZSTD
      : MEDIA_LAYER_TAR

const tagsOf = (e: Entry): readonly string[] => e.RepoTags ?? []

/** What a repo tag `ref` may be written as in an archive: with `:latest`, and with Docker Hub's implied prefixes. */
const spellings = (ref: string): string[] =>
  [ref, `${ref}:latest`].flatMap((r) => [r, `docker.io/${r}`, `docker.io/library/${r}`])

/** The entry `ref` names (a repo tag as written or as Docker spells it, see spellings), or the only one when no ref is given. */
const pick = (
  path: string,
  entries: readonly Entry[],
  ref: string | undefined,
): E.Either<StorageError, [Entry, string | undefined]> => {
  const all = entries.flatMap(tagsOf)
  const listed = all.length === 0 ? 'no repo tags' : `it has ${all.join(', ')}`
  if (ref === undefined) {
    if (entries.length === 1) return E.right([entries[0]!, tagsOf(entries[0]!)[0]])
    return E.left(
      err('ReferenceNotFound', { name: path, reason: `${entries.length} images in the archive, name one (${listed})` }),
    )
  }
  const want = spellings(ref)
  const hit = entries.find((e) => tagsOf(e).some((x) => want.includes(x)))
  return hit === undefined
    ? E.left(err('ReferenceNotFound', { name: ref, reason: `not in docker archive ${path} (${listed})` }))
    : E.right([hit, tagsOf(hit).find((x) => want.includes(x))])
}

const json = <A>(
  index: ArchiveIndex,
  name: string,
  codec: t.Decoder<unknown, A>,
): TE.TaskEither<StorageError, { value: A; bytes: Buffer }> =>
  steps(async () => {
    const m = await must(TE.fromEither(resolveMember(index, name)))
    const bytes = await must(readMember(index, m, MAX_JSON_BYTES))
    const value = await must(TE.fromEither(decodeJson(codec, `${index.path}: ${name}`)(bytes.toString('utf8'))))
    return { value, bytes }
  })

/** Image `ref` (or the only one) of the docker archive at `path`. */
export const readDockerArchive = (path: string, ref: string | undefined): TE.TaskEither<StorageError, ArchiveImage> =>
  steps(async () => {
    const index = await must(indexArchive(path))
    const entries = (await must(json(index, 'manifest.json', DockerManifest))).value
    const [entry, tag] = await must(TE.fromEither(pick(path, entries, ref)))
    const config = await must(json(index, entry.Config, ImageConfig))
    const configDigest = sha256(config.bytes)
    const stated = namedDigest(entry.Config)
    if (stated !== undefined && stated !== configDigest)
      await must(
        TE.left(err('DigestMismatch', { what: `${path}: ${entry.Config}`, expected: stated, actual: configDigest })),
      )
    const ids = config.value.rootfs.diff_ids
    if (ids.length !== entry.Layers.length)
      await must(
        TE.left(
          err('CorruptLayer', {
            what: `${path}: ${entry.Config}`,
            reason: `${ids.length} diff_ids for ${entry.Layers.length} layers`,
          }),
        ),
      )
    const members = await must(TE.fromEither(E.traverseArray((n: string) => resolveMember(index, n))(entry.Layers)))
    const layers: SourceLayer[] = []
    for (const [i, m] of members.entries()) {
      const head = await must(readMember(index, { ...m, size: Math.min(4, m.size) }, 4))
      const digest = namedDigest(entry.Layers[i]!) ?? namedDigest(m.name)
      layers.push({
        blob: {
          mediaType: sniffMediaType(head),
          size: m.size,
          ...(digest === undefined ? {} : { digest }),
        },
        diffId: ids[i]!,
        size: m.size,
      })
    }
    const source: ImageSource = {
      manifestDigest: sha256(Buffer.from(JSON.stringify(entry))),
      configDigest,
      config: config.value,
      layers,
      open: (i) => memberStream(index, members[i]!),
    }
    return { source, tag }
  })
