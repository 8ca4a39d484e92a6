/**
 * Streaming a layer into an OCI layout's blobs: the tar is hashed (its diffID) and compressed
 * as it streams into a temp file in `blobs/sha256/`, which is renamed to its digest once known.
 * No layer is held in memory whole.
 */
import { createHash, randomBytes } from 'node:crypto'
import { rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { isStorageError, type StorageError } from '../errors.js'
import { hostIoError } from '../host/errno.js'
import { mkdirs } from '../host/mkdirs.js'
import { replaceAtomically } from '../host/write-path.js'
import type { Descriptor } from './codecs.js'
import { compressStream, layerMediaType } from './compress.js'
import { asDiffId, type DiffId, type Digest, digestHex } from './digest.js'
import { checkBlobDirectories } from './layout-file.js'
import type { Compression } from './media.js'
import { StorageFailure } from '../failure.js'

/** A layer blob already in the layout, with the diffID of its uncompressed tar. */
export interface StoredLayer {
  readonly descriptor: Descriptor
  readonly diffId: DiffId
}

const hashing = (source: AsyncIterable<Uint8Array>, onDone: (d: DiffId) => void): AsyncIterable<Uint8Array> => ({
  async *[Symbol.asyncIterator]() {
    const h = createHash('sha256')
    for await (const c of source) {
      h.update(c)
      yield c
    }
    onDone(asDiffId(`sha256:${h.digest('hex')}` as Digest))
  },
})

/** Writes `tar`, compressed by `compression`, as a blob of the layout at `dir` (made if missing). */
export const writeLayerStream = (
  dir: string,
  tar: AsyncIterable<Uint8Array>,
  compression: Compression,
): TE.TaskEither<StorageError, StoredLayer> => {
  const blobs = join(dir, 'blobs', 'sha256')
  return pipe(
    checkBlobDirectories(dir),
    TE.flatMap(() => mkdirs(blobs)),
    TE.flatMap(() =>
      TE.tryCatch(
        async () => {
          let diffId: DiffId | undefined
          const tmp = join(blobs, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`)
          try {
            const w = await replaceAtomically(
              tmp,
              compressStream(
                hashing(tar, (d) => (diffId = d)),
                compression,
              ),
            )
            await rename(tmp, join(blobs, digestHex(w.digest)))
            if (diffId === undefined) throw new Error('tar stream ended without its digest')
            const descriptor: Descriptor = { mediaType: layerMediaType(compression), digest: w.digest, size: w.bytes }
            return { descriptor, diffId }
          } catch (e) {
            await unlink(tmp).catch(() => undefined)
            throw e
          }
        },
        (e) => (e instanceof StorageFailure ? e.error : isStorageError(e) ? e : hostIoError(blobs)(e)),
      ),
    ),
  )
}
