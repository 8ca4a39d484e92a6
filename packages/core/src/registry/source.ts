/**
 * An image in a registry as an ImageSource: the manifest (through an index to the platform
 * asked, else this host's), its config, and each layer's blob streamed when extract reads it
 * (a layer the store has already is never downloaded). Manifests and the config are read whole,
 * bounded, and checked against their digests; layer blobs are checked as they stream.
 */
import type * as t from 'io-ts'
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { err, type StorageError } from '../errors.js'
import { fail, must, runSteps } from '../layer/run.js'
import { decodeJson, type Descriptor, ImageConfig, ImageIndex, ImageManifest } from '../oci/codecs.js'
import { type Digest, sha256 } from '../oci/digest.js'
import {
  isIndexMediaType,
  layerCompression,
  MEDIA_DOCKER_MANIFEST,
  MEDIA_DOCKER_MANIFEST_LIST,
  MEDIA_INDEX,
  MEDIA_MANIFEST,
} from '../oci/media.js'
import { formatPlatform, hostPlatform, normalizePlatform, type PlatformSpec, platformRank } from '../oci/platform.js'
import type { ImageReference } from '../oci/reference.js'
import type { ImageSource } from '../oci/source.js'
import { apiHost, openReference, type RegistryOptions, type Repository } from './client.js'
import { downloadsAhead } from './ahead.js'
import { readAhead } from './read-ahead.js'

/** Bytes of a layer blob downloaded ahead of the apply, at most. */
export const READ_AHEAD_BYTES = 32 * 1024 * 1024

/** Bytes of a manifest, an index or a config, at most. */
export const MAX_DOCUMENT_BYTES = 8 * 1024 * 1024

const ACCEPT = [MEDIA_MANIFEST, MEDIA_INDEX, MEDIA_DOCKER_MANIFEST, MEDIA_DOCKER_MANIFEST_LIST].join(', ')

/** The body, at most MAX_DOCUMENT_BYTES, checked against `digest` when one is expected. */
const documentOf = async (repo: Repository, res: Response, what: string, digest?: string): Promise<Buffer> => {
  const chunks: Uint8Array[] = []
  let n = 0
  for await (const c of res.body ?? []) {
    n += c.byteLength
    if (n > MAX_DOCUMENT_BYTES)
      fail(err('LimitExceeded', { what: `${repo.registry}/${repo.repository} ${what}`, limit: MAX_DOCUMENT_BYTES }))
    chunks.push(c)
  }
  const bytes = Buffer.concat(chunks)
  const actual = sha256(bytes)
  if (digest !== undefined && actual !== digest)
    fail(err('DigestMismatch', { what: `${repo.registry}/${repo.repository} ${what}`, expected: digest, actual }))
  return bytes
}

const decoded = <A>(repo: Repository, what: string, bytes: Buffer, codec: t.Decoder<unknown, A>): A => {
  const r = decodeJson(codec, `${repo.registry}/${repo.repository} ${what}`)(bytes.toString('utf8'))
  return E.isRight(r) ? r.right : fail(r.left)
}

/** The manifest `reference` names, and its digest (an index followed to the best platform match). */
const manifestOf = async (
  repo: Repository,
  reference: string,
  want: PlatformSpec,
): Promise<{ readonly digest: Digest; readonly manifest: ImageManifest }> => {
  const byDigest = reference.includes(':')
  const res = await repo.get(`manifests/${reference}`, reference, ACCEPT)
  const bytes = await documentOf(repo, res, reference, byDigest ? reference : undefined)
  const kind =
    (JSON.parse(bytes.toString('utf8')) as { mediaType?: unknown }).mediaType ?? res.headers.get('content-type')
  if (typeof kind !== 'string' || !isIndexMediaType(kind))
    return { digest: sha256(bytes), manifest: decoded(repo, reference, bytes, ImageManifest) }
  const index = decoded(repo, reference, bytes, ImageIndex)
  const ranked = index.manifests
    .flatMap((d): { d: Descriptor; rank: number }[] => {
      const rank = d.platform === undefined ? undefined : platformRank(want, d.platform)
      return rank === undefined ? [] : [{ d, rank }]
    })
    .sort((a, b) => a.rank - b.rank)
  const best = ranked[0]?.d
  if (best === undefined) {
    const have = index.manifests.flatMap((d) =>
      d.platform === undefined ? [] : [formatPlatform(normalizePlatform(d.platform))],
    )
    return fail(
      repo.error(
        reference,
        undefined,
        `no image for ${formatPlatform(want)}; the index has: ${have.join(', ') || 'none'}`,
      ),
    )
  }
  const m = await repo.get(`manifests/${best.digest}`, best.digest, ACCEPT)
  return {
    digest: best.digest,
    manifest: decoded(repo, best.digest, await documentOf(repo, m, best.digest, best.digest), ImageManifest),
  }
}

/** Times a cut blob download is resumed from where it stopped before the pull fails. */
export const BLOB_RESUMES = 3

/** `body` without its first `skip` bytes (a registry that ignored the Range asked sends the whole blob). */
async function* skipping(body: AsyncIterable<Uint8Array>, skip: number): AsyncGenerator<Uint8Array> {
  let left = skip
  for await (const c of body) {
    if (left >= c.byteLength) left -= c.byteLength
    else {
      yield left === 0 ? c : c.subarray(left)
      left = 0
    }
  }
}

/**
 * Layer `d`'s bytes as they arrive, read ahead of the apply; a download cut short resumes from
 * its last byte with a Range request (BLOB_RESUMES times). A failure is thrown as the
 * StorageError value, as byte streams report.
 */
async function* blobStream(repo: Repository, d: Descriptor): AsyncGenerator<Uint8Array> {
  let offset = 0
  for (let resumes = 0; ; resumes++) {
    const from = offset
    const r = await runSteps(
      () =>
        repo.request('GET', `blobs/${d.digest}`, d.digest, {
          ...(from === 0 ? {} : { headers: { range: `bytes=${from}-` } }),
          ok: (status) => status === 200 || (from > 0 && status === 206),
        }),
      (u) => repo.error(d.digest, undefined, String(u)),
    )()
    if (E.isLeft(r))
      // a resume the registry does not answer (it died): the error still says where the download stopped
      throw from > 0 && r.left._tag === 'Registry'
        ? repo.error(d.digest, r.left.status, `download cut short at byte ${from}; resuming: ${r.left.reason}`)
        : r.left
    const body = (r.right.body ?? (async function* () {})()) as AsyncIterable<Uint8Array>
    try {
      for await (const c of readAhead(r.right.status === 206 ? body : skipping(body, from), READ_AHEAD_BYTES)) {
        offset += c.byteLength
        yield c
      }
      return
    } catch (e) {
      if (resumes >= BLOB_RESUMES)
        throw repo.error(
          d.digest,
          undefined,
          `download cut short at byte ${offset}: ${(e as Error).message ?? String(e)}`,
        )
    }
  }
}

/** Where to look: the registry's options, the platform, and mirrors asked first. */
export type SourceOptions = RegistryOptions & {
  readonly platform?: PlatformSpec
  readonly mirrors?: readonly string[]
}

/**
 * The repository that serves the manifest: the first mirror that does (any failure of a mirror
 * passes to the next), else the reference's own registry, whose failure is the error.
 */
const serving = async (ref: ImageReference, reference: string, options: SourceOptions) => {
  const want = options.platform ?? hostPlatform()
  const at = async (mirror?: string) => {
    const repo = await openReference(ref, options, mirror)
    return { repo, ...(await manifestOf(repo, reference, want)) }
  }
  for (const mirror of options.mirrors ?? []) {
    // a mirror's failure, whatever it is, only passes the pull to the next place
    const found = await runSteps(
      () => at(mirror),
      (u) =>
        err('Registry', {
          registry: mirror,
          repository: ref.path,
          what: reference,
          status: undefined,
          reason: String(u),
        }),
    )()
    if (E.isRight(found)) return found.right
  }
  return at()
}

/** The image `ref` names (its tag, digest, else `latest`) in its registry, or in the first mirror that has it. */
export const registrySource = (
  ref: ImageReference,
  options: SourceOptions = {},
): TE.TaskEither<StorageError, ImageSource> =>
  runSteps(
    async () => {
      const reference = ref.digest ?? ref.tag ?? 'latest'
      const { repo, digest, manifest } = await serving(ref, reference, options)
      const { registry, repository } = repo
      const c = manifest.config
      const config = decoded(
        repo,
        c.digest,
        await documentOf(repo, await repo.get(`blobs/${c.digest}`, c.digest), c.digest, c.digest),
        ImageConfig,
      )
      const ids = config.rootfs.diff_ids
      if (ids.length !== manifest.layers.length)
        fail(
          err('CorruptLayer', {
            what: `${registry}/${repository} ${c.digest}`,
            reason: `${ids.length} diff_ids for ${manifest.layers.length} layers`,
          }),
        )
      for (const l of manifest.layers) await must(() => Promise.resolve(layerCompression(l.mediaType)))
      return {
        manifestDigest: digest,
        configDigest: c.digest,
        config,
        layers: manifest.layers.map((d, i) => ({
          blob: { mediaType: d.mediaType, digest: d.digest, size: d.size },
          diffId: ids[i]!,
          size: d.size,
        })),
        ...downloadsAhead((i) => blobStream(repo, manifest.layers[i]!)),
      }
    },
    (u) =>
      err('Registry', {
        registry: apiHost(ref.domain),
        repository: ref.path,
        what: '',
        status: undefined,
        reason: String(u),
      }),
  )
