/**
 * Host files the commands read (layer tars) and write (packaged layers). Every Node failure
 * becomes an `Io` error naming the path; a stream's failure crosses consumers as core's
 * `StreamFailure` so the store reports it as the cause.
 */
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open, rename, stat, unlink } from 'node:fs/promises'
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import { createWriteStream } from 'node:fs'
import * as TE from 'fp-ts/lib/TaskEither.js'
import {
  type Digest, type FsCode, ioError, MEDIA_LAYER_GZIP, MEDIA_LAYER_TAR, type StorageError, StreamFailure, toStorageError,
} from '@stratum/core'

const KNOWN: readonly FsCode[] = ['ENOENT', 'EEXIST', 'ENOTDIR', 'EISDIR', 'ENOTEMPTY', 'ELOOP', 'EINVAL', 'EROFS', 'EPERM', 'EXDEV']

export const hostError = (path: string) => (e: unknown): StorageError => {
  const code = (e as { code?: unknown }).code
  return ioError(KNOWN.includes(code as FsCode) ? (code as FsCode) : 'EIO', path, e instanceof Error ? e.message : String(e), e)
}

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
    } finally { await fh.close() }
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
      throw new StreamFailure(hostError(path)(e))
    } finally {
      s.destroy()
    }
  },
})

export interface Written {
  readonly bytes: number
  readonly digest: Digest
}

/** Writes the stream to `<path>.tmp-*`, then renames it over `path`: a failure leaves no partial file. */
export const writeFileAtomic = (path: string, source: AsyncIterable<Uint8Array>): TE.TaskEither<StorageError, Written> => {
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
  return TE.tryCatch(async () => {
    const hash = createHash('sha256')
    let bytes = 0
    async function* hashed(): AsyncGenerator<Uint8Array> {
      for await (const c of source) {
        hash.update(c)
        bytes += c.byteLength
        yield c
      }
    }
    try {
      await pipeline(Readable.from(hashed()), createWriteStream(tmp, { flags: 'wx', mode: 0o644 }))
      await rename(tmp, path)
    } catch (e) {
      await unlink(tmp).catch(() => undefined)
      throw e
    }
    return { bytes, digest: `sha256:${hash.digest('hex')}` as Digest }
  }, (e) => (e instanceof StreamFailure ? e.error : (e as { code?: unknown }).code !== undefined ? hostError(path)(e) : toStorageError(e, path)))
}
