/**
 * File contents: reading a regular file as a stream and writing one, both without ever
 * following a symlink at the final component (O_NOFOLLOW; O_CREAT|O_EXCL for new files).
 * Owner, mode and times of a written file are set on its descriptor, not by path. The calls
 * are synchronous: each is one short syscall, cheaper than a round trip through the thread pool.
 */
import { closeSync, constants, readSync } from 'node:fs'
import type { Bytes, FileType, WriteOptions } from '@stratum/core'
import { copyFd, HostSource, type Opener } from './copy-fd.js'
import { fail } from './errno.js'
import type { At, HostCalls } from './host-calls.js'
import type { Libc } from './libc.js'
import { ownedAlready } from './new-owner.js'

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK, O_TRUNC, O_APPEND } = constants
const CHUNK = 1 << 17
const CREATE = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW

/** Checks that an existing entry can be opened as a regular file: ELOOP symlink, EISDIR directory, EINVAL other. */
const requireType = (type: FileType): void => {
  if (type === '@') fail('ELOOP', 'the final component is a symlink')
  if (type === '/') fail('EISDIR', 'is a directory')
  if (type !== 'F') fail('EINVAL', 'not a regular file')
}

/** Opens and re-checks that it is still the object that was looked at (same inode, regular); its size. */
const openChecked = (calls: HostCalls, at: At, flags: number, ino: bigint): { fd: number; size: number } => {
  const fd = calls.open(at, flags | O_NOFOLLOW | O_NONBLOCK, 0)
  try {
    const { stat, ino: opened } = calls.fstat(fd)
    if (stat.type !== 'F' || opened !== ino) fail('EIO', 'the file changed while it was opened')
    return { fd, size: stat.size }
  } catch (e) {
    closeSync(fd)
    throw e
  }
}

/** The inode of the regular file at `at` (ENOENT missing, ELOOP symlink, EISDIR directory, EINVAL other). */
export const regularIno = (calls: HostCalls, at: At): bigint => {
  const st = calls.lstat(at) ?? fail('ENOENT', 'no such file or directory')
  requireType(st.stat.type)
  return st.ino
}

/** Opens the file checked by `regularIno` for reading, refusing a different object. */
export const openForRead = (calls: HostCalls, at: At, ino: bigint): { fd: number; size: number } =>
  openChecked(calls, at, O_RDONLY, ino)

/** The chunks of the file `opener` opens; closed when they end. */
async function* chunksOf(opener: Opener): AsyncGenerator<Bytes> {
  const { fd, size } = opener()
  try {
    // buffers sized by what the file holds (one byte more, to see the end): small files allocate little
    let got = 0
    for (;;) {
      const want = Math.min(CHUNK, Math.max(size - got, 0) + 1)
      const buf = Buffer.allocUnsafe(want)
      const n = readSync(fd, buf, 0, want, null)
      if (n === 0) return
      got += n
      yield buf.subarray(0, n)
    }
  } finally {
    closeSync(fd)
  }
}

/** The bytes of a file as a stream: `opener` runs when iteration starts; the file is closed when it ends. */
export const readFrom = (opener: Opener): AsyncIterable<Bytes> => new HostSource(opener, chunksOf)

/** Opens for writeFile: 'create' needs the name free; 'truncate'/'append' reuse an existing regular file (same inode). */
const openForWrite = (
  calls: HostCalls,
  at: At,
  flag: NonNullable<WriteOptions['flag']>,
): { fd: number; created: boolean } => {
  if (flag === 'create') return { fd: calls.open(at, CREATE, 0o600), created: true }
  const st = calls.lstat(at)
  if (st === undefined) return { fd: calls.open(at, CREATE, 0o600), created: true }
  requireType(st.stat.type)
  return {
    fd: openChecked(calls, at, O_WRONLY | (flag === 'truncate' ? O_TRUNC : O_APPEND), st.ino).fd,
    created: false,
  }
}

/**
 * Owner, mode and time set on the descriptor of a file just written at `at` (chown clears
 * setuid/setgid, so the mode comes after it); no fchown where a new file surely has the owner.
 */
const finishWritten = (calls: HostCalls, at: At, fd: number, opts: WriteOptions, created: boolean): void => {
  if (
    (opts.uid !== undefined || opts.gid !== undefined) &&
    !(created && ownedAlready(calls, at.node, opts.uid, opts.gid))
  )
    calls.fchown(fd, opts.uid ?? -1, opts.gid ?? -1)
  if (opts.mode !== undefined || created) calls.fchmod(fd, (opts.mode ?? 0o644) & 0o7777)
  if (opts.mtimeMs !== undefined) calls.futimes(fd, opts.mtimeMs)
}

/** writeFile of bytes at once, synchronous; tells whether the file was created (a new entry in its directory). */
export const writeBytes = (calls: HostCalls, at: At, content: Bytes, opts: WriteOptions): boolean => {
  const { fd, created } = openForWrite(calls, at, opts.flag ?? 'create')
  try {
    calls.writeAll(fd, content)
    finishWritten(calls, at, fd, opts, created)
  } finally {
    calls.close(fd)
  }
  return created
}

/** writeFile of a host tree's file (`sourceOf` its stream), synchronous, copied descriptor to descriptor (through the binding `c` where given); tells whether the file was created. */
export const writeSource = (
  calls: HostCalls,
  at: At,
  source: Opener,
  opts: WriteOptions,
  c: Libc | undefined,
): boolean => {
  const { fd, created } = openForWrite(calls, at, opts.flag ?? 'create')
  try {
    const from = source()
    try {
      copyFd(from.fd, fd, from.size, c, calls.writeAll)
    } finally {
      closeSync(from.fd)
    }
    finishWritten(calls, at, fd, opts, created)
  } finally {
    calls.close(fd)
  }
  return created
}

/** writeFile of a stream; tells whether the file was created (a new entry in its directory). */
export const writeContent = async (
  calls: HostCalls,
  at: At,
  content: AsyncIterable<Bytes>,
  opts: WriteOptions,
): Promise<boolean> => {
  const { fd, created } = openForWrite(calls, at, opts.flag ?? 'create')
  try {
    for await (const chunk of content) calls.writeAll(fd, chunk)
    finishWritten(calls, at, fd, opts, created)
  } finally {
    calls.close(fd)
  }
  return created
}
