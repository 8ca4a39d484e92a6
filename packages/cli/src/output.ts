/**
 * Where a command writes the path the user named: `-` is stdout; anything else follows core's
 * `writeHostPath` rule (symlinks followed; a new name or regular file replaced atomically; a
 * FIFO or character device written into, never replaced). Gives the bytes and their sha256.
 */
import { createHash } from 'node:crypto'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Digest, StorageError } from '@stratum/core'
import { toStorageError, writeHostPath, type Written } from '@stratum/core/internal'
import type { Io } from './io.js'

export const STDOUT = '-'

const toStdout = (io: Io, source: AsyncIterable<Uint8Array>): TE.TaskEither<StorageError, Written> =>
  TE.tryCatch(
    async () => {
      const hash = createHash('sha256')
      let bytes = 0
      for await (const c of source) {
        hash.update(c)
        bytes += c.byteLength
        await io.stdoutBytes(c)
      }
      return { bytes, digest: `sha256:${hash.digest('hex')}` as Digest }
    },
    (e) => toStorageError(e, 'stdout'),
  )

export const writeOutput = (
  io: Io,
  path: string,
  source: AsyncIterable<Uint8Array>,
): TE.TaskEither<StorageError, Written> => (path === STDOUT ? toStdout(io, source) : writeHostPath(path, source))
