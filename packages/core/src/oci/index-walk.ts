/**
 * Following image indexes down to one manifest for a platform (index.json → index → manifests,
 * nested as deep as MAX_INDEX_DEPTH). Each index is a blob read as manifests are: bounded and
 * checked against its digest. The best platform match is taken (platform.ts ranks them); an
 * entry without a platform is followed when it is an index, or when it is the index's only
 * entry. A hostile layout is bounded: the depth, the entries of one index, the indexes read in
 * all (an index listed twice is read once), each over its cap a LimitExceeded naming the blob.
 */
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { err, ioError, type StorageError } from '../errors.js'
import { fail, must, runSteps } from '../layer/run.js'
import { type Descriptor, ImageIndex } from './codecs.js'
import { readJsonBlob } from './json-doc.js'
import { blobPath } from './layout-file.js'
import { isIndexMediaType, isManifestMediaType } from './media.js'
import { formatPlatform, normalizePlatform, type PlatformSpec, platformRank } from './platform.js'

/** Index blobs nested under index.json, at most. */
export const MAX_INDEX_DEPTH = 4
/** Entries of one index blob, at most (a multi-platform image lists a dozen or so). */
export const MAX_INDEX_ENTRIES = 1024
/** Index blobs read for one image, at most. */
export const MAX_INDEXES_READ = 32

interface Walk {
  readonly dir: string
  readonly want: PlatformSpec
  readonly seen: Set<string>
  /** every platform listed in the indexes read, for the error when none matches */
  readonly platforms: Set<string>
  reads: number
}

const follow = async (w: Walk, d: Descriptor, depth: number): Promise<Descriptor | undefined> => {
  const path = blobPath(w.dir, d.digest)
  if (isManifestMediaType(d.mediaType)) return d
  if (!isIndexMediaType(d.mediaType))
    return fail(err('Unsupported', { what: `${path}: media type '${d.mediaType}' (neither manifest nor index)` }))
  if (w.seen.has(d.digest)) return undefined
  w.seen.add(d.digest)
  if (depth >= MAX_INDEX_DEPTH)
    fail(err('LimitExceeded', { what: `${path}: indexes nested under index.json`, limit: MAX_INDEX_DEPTH }))
  w.reads += 1
  if (w.reads > MAX_INDEXES_READ)
    fail(err('LimitExceeded', { what: `${path}: index blobs read for one image`, limit: MAX_INDEXES_READ }))
  const index = await must(readJsonBlob(w.dir, d.digest, d.size, ImageIndex))
  if (index.manifests.length > MAX_INDEX_ENTRIES)
    fail(err('LimitExceeded', { what: `${path}: ${index.manifests.length} index entries`, limit: MAX_INDEX_ENTRIES }))
  return among(w, index.manifests, depth + 1)
}

const among = async (w: Walk, entries: readonly Descriptor[], depth: number): Promise<Descriptor | undefined> => {
  const ranked: { readonly e: Descriptor; readonly rank: number }[] = []
  for (const e of entries) {
    if (e.platform === undefined) continue
    w.platforms.add(formatPlatform(normalizePlatform(e.platform)))
    const rank = platformRank(w.want, e.platform)
    if (rank !== undefined) ranked.push({ e, rank })
  }
  ranked.sort((a, b) => a.rank - b.rank)
  for (const { e } of ranked) {
    const m = await follow(w, e, depth)
    if (m !== undefined) return m
  }
  for (const e of entries) {
    if (e.platform !== undefined) continue
    if (!isIndexMediaType(e.mediaType) && entries.length > 1) continue
    const m = await follow(w, e, depth)
    if (m !== undefined) return m
  }
  return undefined
}

const walk = (
  dir: string,
  want: PlatformSpec,
  where: string,
  body: (w: Walk) => Promise<Descriptor | undefined>,
): TE.TaskEither<StorageError, Descriptor> =>
  runSteps(
    async () => {
      const w: Walk = { dir, want, seen: new Set(), platforms: new Set(), reads: 0 }
      const m = await body(w)
      if (m !== undefined) return m
      const there = w.platforms.size === 0 ? 'none listed' : [...w.platforms].join(', ')
      return fail(ioError('ENOENT', where, `no manifest for platform ${formatPlatform(want)} (platforms: ${there})`))
    },
    (u) => ioError('EIO', where, `index: ${u instanceof Error ? u.message : String(u)}`, u),
  )

/** The manifest `d` leads to for `want`: `d` itself when it is a manifest, else its index's best match. */
export const followToManifest = (
  dir: string,
  d: Descriptor,
  want: PlatformSpec,
): TE.TaskEither<StorageError, Descriptor> => walk(dir, want, blobPath(dir, d.digest), (w) => follow(w, d, 0))

/** The best match for `want` among `entries` (index.json's entries sharing one name), followed to its manifest. */
export const selectManifest = (
  dir: string,
  entries: readonly Descriptor[],
  where: string,
  want: PlatformSpec,
): TE.TaskEither<StorageError, Descriptor> => walk(dir, want, where, (w) => among(w, entries, 0))
