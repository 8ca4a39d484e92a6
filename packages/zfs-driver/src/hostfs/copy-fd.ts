/**
 * A file read from a host file tree and written into one (`stratum export`, copies between
 * trees): copied descriptor to descriptor through one reused buffer, with no allocation per
 * chunk and no trip through the stream. The source is opened by the confined opener its stream
 * would use (a fresh walk, O_NOFOLLOW, the same inode as when `read` looked at it).
 */
import { readSync, writeSync } from 'node:fs'
import type { Bytes, Content } from '@stratum/core'

/** Opens the file a host stream reads: its descriptor and size. */
export type Opener = () => Promise<{ readonly fd: number; readonly size: number }>

const SOURCE = Symbol('hostfs source file')

/** Marks a stream made by a host file tree's `read` with the opener of its file. */
export const markSource = (stream: AsyncIterable<Bytes>, opener: Opener): AsyncIterable<Bytes> =>
  Object.assign(stream, { [SOURCE]: opener })

/** The opener behind `content` when a host file tree's `read` made it. */
export const sourceOf = (content: Content): Opener | undefined =>
  content instanceof Uint8Array ? undefined : (content as { [SOURCE]?: Opener })[SOURCE]

// one buffer for every copy: copyFd is synchronous, so no two copies share it at once
const buf = Buffer.allocUnsafe(1 << 20)

/** Copies what is left of `from` to `to`, at their offsets. */
export const copyFd = (from: number, to: number): void => {
  for (;;) {
    const n = readSync(from, buf, 0, buf.length, null)
    if (n === 0) return
    let off = 0
    while (off < n) off += writeSync(to, buf, off, n - off)
  }
}
