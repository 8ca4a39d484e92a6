/**
 * Opening the files of an OCI image layout, which may come from anyone: no symlink is followed
 * (the final component is opened O_NOFOLLOW, and `blobs/` and `blobs/sha256/` must be real
 * directories), only regular files are read (a FIFO or a device is refused before any read),
 * and no read goes past a bound (the descriptor's size, or a cap for JSON documents).
 * Every failure is an `Io` or `LimitExceeded` error naming the file inside the layout.
 */
import { constants, type Stats } from 'node:fs'
import { type FileHandle, lstat, open } from 'node:fs/promises'
import { join } from 'node:path'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { err, type FsCode, ioError, type StorageError } from '../errors.js'
import { type Digest, digestHex } from './digest.js'
import { StorageFailure } from '../failure.js'

/** The largest `index.json`, manifest or config read (containerd caps manifests at 4 MiB too). */
export const MAX_JSON_BYTES = 4 * 1024 * 1024

/** The path of blob `d` in the OCI layout at `dir`. */
export const blobPath = (dir: string, d: Digest): string => join(dir, 'blobs', 'sha256', digestHex(d))

const fail = (code: FsCode, message: string): never => {
  throw Object.assign(new Error(message), { code })
}

const hostCode = (e: unknown): FsCode => {
  const c = (e as { code?: unknown }).code
  if (c === 'EMLINK') return 'ELOOP' // FreeBSD's answer to O_NOFOLLOW on a symlink
  return c === 'ENOENT' || c === 'ENOTDIR' || c === 'EISDIR' || c === 'ELOOP' || c === 'EINVAL' || c === 'EPERM'
    ? c
    : 'EIO'
}

const fsError =
  (path: string) =>
  (e: unknown): StorageError =>
    e instanceof StorageFailure ? e.error : ioError(hostCode(e), path, (e as Error).message, e)

const typeOf = (st: Stats): string =>
  st.isDirectory()
    ? 'a directory'
    : st.isSymbolicLink()
      ? 'a symlink'
      : st.isFIFO()
        ? 'a FIFO'
        : st.isCharacterDevice()
          ? 'a character device'
          : st.isBlockDevice()
            ? 'a block device'
            : st.isSocket()
              ? 'a socket'
              : 'not a regular file'

/** `dir/blobs` and `dir/blobs/sha256` must be directories themselves, not symlinks to one (a missing one: the blob's ENOENT). */
const checkBlobDirs = async (dir: string): Promise<void> => {
  for (const p of [join(dir, 'blobs'), join(dir, 'blobs', 'sha256')]) {
    const st = await lstat(p).catch((e: unknown) => {
      if ((e as { code?: unknown }).code === 'ENOENT') return undefined
      throw new StorageFailure(fsError(p)(e))
    })
    if (st === undefined) return
    if (st.isSymbolicLink())
      throw new StorageFailure(ioError('ELOOP', p, 'is a symlink (not followed out of the layout)'))
    if (!st.isDirectory()) throw new StorageFailure(ioError('ENOTDIR', p, `is ${typeOf(st)}`))
  }
}

/** The layout's blob directories are no symlinks (a writer checks it too). */
export const checkBlobDirectories = (dir: string): TE.TaskEither<StorageError, void> =>
  TE.tryCatch(() => checkBlobDirs(dir), fsError(dir))

/** Opens a regular file without following a symlink and without blocking on a FIFO. */
const openRegular = async (path: string): Promise<{ fh: FileHandle; size: number }> => {
  let fh: FileHandle
  try {
    fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  } catch (e) {
    if (hostCode(e) === 'ELOOP') fail('ELOOP', 'is a symlink (not followed out of the layout)')
    throw e
  }
  try {
    const st = await fh.stat()
    if (st.isDirectory()) fail('EISDIR', 'is a directory, not a blob')
    if (!st.isFile()) fail('EINVAL', `is ${typeOf(st)}, not a regular file (never read)`)
    return { fh, size: st.size }
  } catch (e) {
    await fh.close()
    throw e
  }
}

/** Reads at most `max` bytes from the start; one byte more is LimitExceeded naming `what`. */
const readBounded = async (fh: FileHandle, max: number, what: string): Promise<Buffer> => {
  const buf = Buffer.alloc(Math.min(max, 1024 * 1024) + 1)
  const chunks: Buffer[] = []
  let total = 0
  for (;;) {
    const { bytesRead } = await fh.read(buf, 0, buf.length, total)
    if (bytesRead === 0) return Buffer.concat(chunks)
    total += bytesRead
    if (total > max) throw new StorageFailure(err('LimitExceeded', { what, limit: max }))
    chunks.push(Buffer.from(buf.subarray(0, bytesRead)))
  }
}

const readFileBounded = (path: string, max: number, layoutOfBlob?: string): TE.TaskEither<StorageError, Buffer> =>
  TE.tryCatch(async () => {
    if (layoutOfBlob !== undefined) await checkBlobDirs(layoutOfBlob)
    const { fh, size } = await openRegular(path)
    try {
      if (size > max) throw new StorageFailure(err('LimitExceeded', { what: `${path}: size ${size}`, limit: max }))
      return await readBounded(fh, max, `${path}: size`)
    } finally {
      await fh.close()
    }
  }, fsError(path))

/** A JSON document at the layout's top (`oci-layout`, `index.json`), at most MAX_JSON_BYTES. */
export const readLayoutFile = (path: string): TE.TaskEither<StorageError, Buffer> =>
  readFileBounded(path, MAX_JSON_BYTES)

/** A JSON blob (manifest, config): at most its descriptor's size, when known, and MAX_JSON_BYTES. */
export const readJsonBlobBytes = (dir: string, d: Digest, size?: number): TE.TaskEither<StorageError, Buffer> =>
  readFileBounded(blobPath(dir, d), Math.min(size ?? MAX_JSON_BYTES, MAX_JSON_BYTES), dir)

/**
 * A layer blob as a stream, opened when first read: a missing, non-regular or symlinked blob
 * fails the stream naming its path, and so do more bytes than `size` (LimitExceeded).
 */
export const openBlob = (dir: string, d: Digest, size: number): AsyncIterable<Uint8Array> => {
  const path = blobPath(dir, d)
  return {
    async *[Symbol.asyncIterator]() {
      let fh: FileHandle | undefined
      try {
        await checkBlobDirs(dir)
        fh = (await openRegular(path)).fh
        const s = fh.createReadStream({ start: 0, end: size, highWaterMark: 256 * 1024, autoClose: false })
        let total = 0
        try {
          for await (const c of s as AsyncIterable<Buffer>) {
            total += c.byteLength
            if (total > size)
              throw new StorageFailure(
                err('LimitExceeded', { what: `${path}: blob over its descriptor's size`, limit: size }),
              )
            yield new Uint8Array(c.buffer, c.byteOffset, c.byteLength)
          }
        } finally {
          s.destroy()
        }
      } catch (e) {
        throw new StorageFailure(fsError(path)(e))
      } finally {
        await fh?.close()
      }
    },
  }
}
