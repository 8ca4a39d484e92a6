/**
 * Which manifest of a layout an image reference names: a tag (index.json's ref.name
 * annotation), a manifest digest, or none given: the entry named `latest`, else the layout's
 * only entry (skopeo writes one untagged when copied with no tag), else its untagged entries
 * when they all name platforms. An entry that is an index is followed to the manifest for the
 * platform asked (index-walk.ts). A name that is not there is Io ENOENT naming index.json and
 * listing the tags that are.
 */
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { err, ioError, type StorageError } from '../errors.js'
import { type Descriptor, type ImageIndex, ImageIndex as ImageIndexC, OciLayout } from './codecs.js'
import type { Digest } from './digest.js'
import { followToManifest, selectManifest } from './index-walk.js'
import { readJson } from './json-doc.js'
import { ANNOTATION_REF_NAME } from './media.js'
import type { PlatformSpec } from './platform.js'

/** A manifest an index points at. */
export interface ManifestRef {
  readonly digest: Digest
  /** the size its index states for it (none for a digest ref the layout does not list) */
  readonly size?: number
  /** the ref.name of index.json's entry that led to it */
  readonly refName?: string
}

const isDigestRef = (ref: string): ref is Digest => /^sha256:[0-9a-f]{64}$/.test(ref)

const nameOf = (d: Descriptor): string | undefined => d.annotations?.[ANNOTATION_REF_NAME]

/** What the layout holds, for an error: its tags and how many entries have none. */
const listing = (index: ImageIndex): string => {
  const tags = [...new Set(index.manifests.flatMap((d) => nameOf(d) ?? []))]
  const untagged = index.manifests.filter((d) => nameOf(d) === undefined).length
  const t = tags.length === 0 ? 'no tags' : `tags: ${tags.join(', ')}`
  return untagged === 0 ? t : `${t}; ${untagged} untagged`
}

/** The entries `ref` names in index.json (several: one per platform). */
const entriesFor = (index: ImageIndex, ref: string | undefined, path: string): E.Either<StorageError, Descriptor[]> => {
  const all = index.manifests
  if (ref !== undefined) {
    const hits = all.filter((d) => nameOf(d) === ref)
    return hits.length > 0
      ? E.right(hits)
      : E.left(ioError('ENOENT', path, `no manifest named '${ref}' (${listing(index)})`))
  }
  const latest = all.filter((d) => nameOf(d) === 'latest')
  if (latest.length > 0) return E.right(latest)
  if (all.length === 1 || (all.length > 1 && all.every((d) => nameOf(d) === undefined))) return E.right(all)
  const what =
    all.length === 0 ? 'the layout lists no manifests' : `no tag given and none named 'latest' (${listing(index)})`
  return E.left(ioError('ENOENT', path, what))
}

const pick = (
  dir: string,
  index: ImageIndex,
  ref: string | undefined,
  want: PlatformSpec,
): TE.TaskEither<StorageError, ManifestRef> => {
  const path = join(dir, 'index.json')
  const found = (d: Descriptor, refName: string | undefined): ManifestRef => ({
    digest: d.digest,
    size: d.size,
    ...(refName === undefined ? {} : { refName }),
  })
  if (ref !== undefined && isDigestRef(ref)) {
    const listed = index.manifests.find((m) => m.digest === ref)
    if (listed === undefined) return TE.right({ digest: ref })
    return pipe(
      followToManifest(dir, listed, want),
      TE.map((d) => found(d, nameOf(listed))),
    )
  }
  return pipe(
    TE.fromEither(entriesFor(index, ref, path)),
    TE.flatMap((hits) => {
      const [hit] = hits
      if (hits.length === 1)
        return pipe(
          followToManifest(dir, hit!, want),
          TE.map((d) => found(d, nameOf(hit!))),
        )
      if (hits.some((d) => d.platform === undefined)) {
        if (ref === undefined) {
          const why = `no tag given and ${hits.length} untagged manifests, not all naming a platform: name one by digest`
          return TE.left(ioError('ENOENT', path, why))
        }
        return TE.left(
          err('CorruptLayer', {
            what: path,
            reason: `${hits.length} manifests named '${ref}', not all naming a platform`,
          }),
        )
      }
      return pipe(
        selectManifest(dir, hits, path, want),
        TE.map((d) => found(d, ref ?? nameOf(hit!))),
      )
    }),
  )
}

/** The manifest `ref` names in the layout at `dir` (undefined: the default above), for platform `want`. */
export const resolveRef = (
  dir: string,
  ref: string | undefined,
  want: PlatformSpec,
): TE.TaskEither<StorageError, ManifestRef> =>
  pipe(
    readJson(join(dir, 'oci-layout'), OciLayout),
    TE.flatMap(() => readJson(join(dir, 'index.json'), ImageIndexC)),
    TE.flatMap((index) => pick(dir, index, ref, want)),
  )
