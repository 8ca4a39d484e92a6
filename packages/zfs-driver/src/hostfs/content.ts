/**
 * File contents: reading a regular file as a stream and writing one, both without ever
 * following a symlink at the final component (O_NOFOLLOW; O_CREAT|O_EXCL for new files).
 */
import { constants } from 'node:fs'
import { lstat, open, type FileHandle } from 'node:fs/promises'
import type { Bytes, Content, WriteOptions } from '@stratum/core'
import { fail } from './errno.js'
import { timeArg } from './stat.js'

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK, O_TRUNC, O_APPEND } = constants
const CHUNK = 1 << 16

/** Checks that an existing entry can be opened as a regular file: ELOOP symlink, EISDIR directory, EINVAL other. */
export const requireRegular = (mode: number): void => {
  const fmt = mode & constants.S_IFMT
  if (fmt === constants.S_IFLNK) fail('ELOOP', 'the final component is a symlink')
  if (fmt === constants.S_IFDIR) fail('EISDIR', 'is a directory')
  if (fmt !== constants.S_IFREG) fail('EINVAL', 'not a regular file')
}

/** Opens and re-checks that it is still the object that was looked at (same inode, regular). */
const openChecked = async (host: string, flags: number, ino: bigint): Promise<FileHandle> => {
  const fh = await open(host, flags | O_NOFOLLOW | O_NONBLOCK)
  try {
    const st = await fh.stat({ bigint: true })
    if (!st.isFile() || st.ino !== ino) fail('EIO', 'the file changed while it was opened')
    return fh
  } catch (e) {
    await fh.close()
    throw e
  }
}

/** The inode of the regular file at `host` (ELOOP symlink, EISDIR directory, EINVAL other). */
export const regularIno = async (host: string): Promise<bigint> => {
  const st = await lstat(host, { bigint: true })
  requireRegular(Number(st.mode))
  return st.ino
}

/** Opens the file checked by `regularIno` for reading, refusing a different object. */
export const openForRead = (host: string, ino: bigint): Promise<FileHandle> => openChecked(host, O_RDONLY, ino)

/** The bytes of a file as a stream: `opener` runs when iteration starts; the file is closed when it ends. */
export const readFrom = (opener: () => Promise<FileHandle>): AsyncIterable<Bytes> => ({
  async *[Symbol.asyncIterator]() {
    const fh = await opener()
    try {
      for (;;) {
        const buf = Buffer.allocUnsafe(CHUNK)
        const { bytesRead } = await fh.read(buf, 0, CHUNK, null)
        if (bytesRead === 0) return
        yield buf.subarray(0, bytesRead)
      }
    } finally {
      await fh.close()
    }
  },
})

const chunksOf = (content: Content): AsyncIterable<Bytes> | Iterable<Bytes> =>
  content instanceof Uint8Array ? [content] : content

/** writeFile: 'create' needs the name free; 'truncate'/'append' reuse an existing regular file (same inode). */
export const writeContent = async (host: string, content: Content, opts: WriteOptions): Promise<void> => {
  const flag = opts.flag ?? 'create'
  let fh: FileHandle
  let created = false
  if (flag === 'create') {
    fh = await open(host, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
    created = true
  } else {
    const st = await lstat(host, { bigint: true }).catch((e: { code?: string }) => {
      if (e.code === 'ENOENT') return undefined
      throw e
    })
    if (st === undefined) {
      fh = await open(host, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
      created = true
    } else {
      requireRegular(Number(st.mode))
      fh = await openChecked(host, O_WRONLY | (flag === 'truncate' ? O_TRUNC : O_APPEND), st.ino)
    }
  }
  try {
    for await (const chunk of chunksOf(content)) {
      let off = 0
      while (off < chunk.length) {
        const { bytesWritten } = await fh.write(chunk, off, chunk.length - off, null)
        off += bytesWritten
      }
    }
    // chown clears setuid/setgid, so the mode comes after it
    if (opts.uid !== undefined || opts.gid !== undefined) await fh.chown(opts.uid ?? -1, opts.gid ?? -1)
    if (opts.mode !== undefined || created) await fh.chmod((opts.mode ?? 0o644) & 0o7777)
    if (opts.mtimeMs !== undefined) await fh.utimes(timeArg(opts.mtimeMs), timeArg(opts.mtimeMs))
  } finally {
    await fh.close()
  }
}
