/**
 * Host files the commands read (layer tars). Every Node failure becomes an `Io` error naming
 * the path; a stream's failure crosses consumers as core's `StorageFailure` so the store
 * reports it as the cause. Writing follows core's `writeHostPath` rule (see output.ts).
 */
import { createReadStream } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { MEDIA_LAYER_GZIP, MEDIA_LAYER_TAR, type StorageError } from '@stratum/core'
import { hostIoError, StorageFailure } from '@stratum/core/internal'

export const hostError = hostIoError

/** The size of a regular file (EISDIR / EINVAL for anything else). */
export const regularFileSize = (path: string): TE.TaskEither<StorageError, number> =>
  TE.tryCatch(async () => {
    const st = await stat(path)
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' })
    if (!st.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EINVAL' })
    return st.size
  }, hostError(path))

/** The first `n` bytes of a file (fewer when it is shorter). */
export const readHead = (path: string, n: number): TE.TaskEither<StorageError, Uint8Array> =>
  TE.tryCatch(async () => {
    const fh = await open(path, 'r')
    try {
      const buf = new Uint8Array(n)
      const { bytesRead } = await fh.read(buf, 0, n, 0)
      return buf.subarray(0, bytesRead)
    } finally {
      await fh.close()
    }
  }, hostError(path))

/** gzip's magic bytes 1f 8b. */
export const isGzip = (head: Uint8Array): boolean => head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b

/** The OCI layer media type of a file, from its first bytes. */
export const layerMediaType = (path: string): TE.TaskEither<StorageError, string> =>
  TE.map((head: Uint8Array) => (isGzip(head) ? MEDIA_LAYER_GZIP : MEDIA_LAYER_TAR))(readHead(path, 2))

/** A host file as a stream of chunks; failures are Io errors naming it. */
export const hostStream = (path: string): AsyncIterable<Uint8Array> => ({
  async *[Symbol.asyncIterator]() {
    const s = createReadStream(path, { highWaterMark: 256 * 1024 })
    try {
      for await (const c of s as AsyncIterable<Buffer>) yield new Uint8Array(c.buffer, c.byteOffset, c.byteLength)
    } catch (e) {
      throw new StorageFailure(hostError(path)(e))
    } finally {
      s.destroy()
    }
  },
})
