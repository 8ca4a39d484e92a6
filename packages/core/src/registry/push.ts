/**
 * Uploading an image of an OCI layout to a registry (the distribution API's monolithic upload, or
 * chunked: PATCHes with a Content-Range, then the PUT with the digest):
 * each blob the repository lacks (a HEAD says) is mounted from `mountFrom` (another repository of
 * the same registry, e.g. the base image's) where the registry has it there, else POSTed for an
 * upload location and PUT there with its digest, the config likewise, then the manifest PUT under the tag, last: a failure before
 * it leaves no tag pointing at a partial image. The registry's digest of the manifest is checked.
 */
import type { Descriptor } from '../oci/codecs.js'
import type { Digest } from '../oci/digest.js'
import { blobPath, openBlob, readJsonBlobBytes } from '../oci/layout-file.js'
import type { Image } from '../oci/layout.js'
import { MEDIA_MANIFEST } from '../oci/media.js'
import { pieces } from '../oci/pieces.js'
import { fail, must } from '../layer/run.js'
import type { Repository } from './client.js'

/** What an upload sent, and what the registry had already. */
export interface Uploaded {
  readonly uploaded: readonly Digest[]
  readonly present: readonly Digest[]
  /** blobs the registry linked from `mountFrom` instead of receiving them */
  readonly mounted: readonly Digest[]
}

const has = async (repo: Repository, d: Descriptor): Promise<boolean> =>
  (await repo.request('HEAD', `blobs/${d.digest}`, d.digest, { ok: (s) => s === 200 || s === 404 })).status === 200

/** Sends `d` to the upload at `location` in PATCHes of `size` bytes; the upload's next location. */
const patched = async (repo: Repository, location: string, dir: string, d: Descriptor, size: number) => {
  let at = location
  let offset = 0
  for await (const piece of pieces(openBlob(dir, d.digest, d.size), size)) {
    const range = `${offset}-${offset + piece.byteLength - 1}`
    const res = await repo.request('PATCH', at, d.digest, {
      headers: { 'content-type': 'application/octet-stream', 'content-range': range },
      body: () => piece,
      ok: (s) => s === 202,
    })
    offset += piece.byteLength
    at =
      res.headers.get('location') ?? fail(repo.error(d.digest, res.status, `chunk ${range} taken without a Location`))
  }
  return at
}

/** Uploads `d` (in one PUT, or in PATCHes of `chunk` bytes), or mounts it from `from`: true when mounted. */
const upload = async (
  repo: Repository,
  dir: string,
  d: Descriptor,
  from: string | undefined,
  chunk: number | undefined,
): Promise<boolean> => {
  const query = from === undefined ? '' : `?mount=${encodeURIComponent(d.digest)}&from=${encodeURIComponent(from)}`
  const started = await repo.request('POST', `blobs/uploads/${query}`, d.digest, { ok: (s) => s === 202 || s === 201 })
  if (started.status === 201) return true
  const startedAt =
    started.headers.get('location') ?? fail(repo.error(d.digest, started.status, 'upload started without a Location'))
  const location = chunk === undefined ? startedAt : await patched(repo, startedAt, dir, d, chunk)
  const at = `${location}${location.includes('?') ? '&' : '?'}digest=${encodeURIComponent(d.digest)}`
  await repo.request('PUT', at, d.digest, {
    headers: { 'content-type': 'application/octet-stream' },
    ...(chunk === undefined ? { body: () => openBlob(dir, d.digest, d.size) } : {}),
    ok: (s) => s === 201,
  })
  return false
}

/** Pushes `image` (read from the layout at `dir`) to `repo` under `tag`; `chunk`: upload blobs in PATCHes of that many bytes. */
export const pushImage = async (
  repo: Repository,
  dir: string,
  image: Image,
  tag: string,
  mountFrom?: string,
  chunk?: number,
): Promise<Uploaded> => {
  const uploaded: Digest[] = []
  const present: Digest[] = []
  const mounted: Digest[] = []
  for (const d of [...image.manifest.layers, image.manifest.config]) {
    if (await has(repo, d)) present.push(d.digest)
    else if (await upload(repo, dir, d, mountFrom === repo.repository ? undefined : mountFrom, chunk))
      mounted.push(d.digest)
    else uploaded.push(d.digest)
  }
  const bytes = await must(readJsonBlobBytes(dir, image.manifestDigest))
  const res = await repo.request('PUT', `manifests/${tag}`, tag, {
    headers: { 'content-type': image.manifest.mediaType ?? MEDIA_MANIFEST },
    body: () => bytes,
    ok: (s) => s === 201,
  })
  const digest = res.headers.get('docker-content-digest')
  if (digest !== null && digest !== image.manifestDigest)
    fail(
      repo.error(
        tag,
        res.status,
        `the registry stored manifest ${digest}, not ${image.manifestDigest} (${blobPath(dir, image.manifestDigest)})`,
      ),
    )
  return { uploaded, present, mounted }
}
