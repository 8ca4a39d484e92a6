/**
 * A file read from a host file tree and written into one (`stratum export`, copies between
 * trees): copied descriptor to descriptor, with no trip through the stream. Where the C library
 * binding is in use the kernel copies (copy_file_range(2), as `cp` does: no copy through this
 * process, a clone where the file system shares blocks); where it refuses the pair (another file
 * system, an O_APPEND target) or there is no binding, through one reused buffer. The source is
 * opened by the confined opener its stream would use (O_NOFOLLOW, the same inode as when `read`
 * looked at it).
 */
import { readSync } from 'node:fs'
import { constants } from 'node:os'
import type { Bytes, Content } from '@stratum/core'
import { check, type Libc } from './libc.js'

/** Opens the file a host stream reads: its descriptor and size. */
export type Opener = () => { readonly fd: number; readonly size: number }

/** A stream made by a host file tree's `read`: its file's opener, and the chunks when iterated. */
export class HostSource implements AsyncIterable<Bytes> {
  constructor(
    readonly open: Opener,
    private readonly chunks: (open: Opener) => AsyncIterator<Bytes>,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<Bytes> {
    return this.chunks(this.open)
  }
}

/** The opener behind `content` when a host file tree's `read` made it. */
export const sourceOf = (content: Content): Opener | undefined =>
  content instanceof HostSource ? content.open : undefined

// one buffer for every copy: copyFd is synchronous, so no two copies share it at once
const buf = Buffer.allocUnsafe(1 << 20)

/** Writes all of `bytes` to the descriptor `fd` (a tree's `HostCalls.writeAll`). */
export type WriteAll = (fd: number, bytes: Uint8Array) => void

/** Copies what is left of `from` to `to`, at their offsets, through the buffer. */
const copyThroughBuffer = (from: number, to: number, writeAll: WriteAll): void => {
  for (;;) {
    const n = readSync(from, buf, 0, buf.length, null)
    if (n === 0) return
    writeAll(to, buf.subarray(0, n))
  }
}

const { EXDEV, ENOSYS, EINVAL, EBADF, EOPNOTSUPP, EINTR } = constants.errno
/** copy_file_range's answers for a pair it does not copy (the buffer does): another file system, an O_APPEND target, no support */
const REFUSED = new Set([EXDEV, ENOSYS, EINVAL, EBADF, EOPNOTSUPP])

/**
 * copy_file_range from the offsets on until it reports the end; false when the kernel refuses
 * the pair, or reports the end before `size` bytes (a file that shrank, or one whose file system
 * tells no size): the buffer copies what is left, or sees the end itself.
 */
const copyInKernel = (c: Libc, from: number, to: number, size: number): boolean => {
  let copied = 0
  for (;;) {
    const n = c.copy_file_range(from, null, to, null, Math.max(size - copied, buf.length), 0)
    if (n > 0) copied += n
    else if (n === 0) return copied >= size
    else {
      const e = c.errno()
      if (REFUSED.has(e)) return false
      if (e !== EINTR) check(c, n, 'copy_file_range')
    }
  }
}

/** Copies what is left of `from` (`size` bytes when opened) to `to`, at their offsets; in the kernel where `c` is the binding, else written by `writeAll`. */
export const copyFd = (from: number, to: number, size: number, c: Libc | undefined, writeAll: WriteAll): void => {
  if (c !== undefined && size > 0 && copyInKernel(c, from, to, size)) return
  copyThroughBuffer(from, to, writeAll)
}
