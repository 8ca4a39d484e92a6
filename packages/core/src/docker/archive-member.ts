/**
 * Reading members of an indexed archive: symlinks and hard links are followed inside the
 * archive only (a symlink's target relative to its directory, at most 40 hops; one that leaves
 * the archive or names nothing is a typed error naming the member), the end must be a regular
 * file, JSON members are read whole up to a bound, layers streamed from their offset.
 */
import { constants } from 'node:fs'
import { open } from 'node:fs/promises'
import { posix } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { err, type StorageError } from '../errors.js'
import { hostIoError } from '../host/errno.js'
import { StorageFailure } from '../failure.js'
import { type ArchiveIndex, type Member, memberName } from './archive-index.js'

const corrupt = (index: ArchiveIndex, entry: string, reason: string): StorageError =>
  err('CorruptLayer', { what: `docker archive ${index.path}`, reason, entry })

/** The regular file `name` is, following links inside the archive. */
export const resolveMember = (index: ArchiveIndex, name: string): E.Either<StorageError, Member> => {
  let at = name
  for (let hops = 0; hops <= 40; hops++) {
    const m = index.members.get(at)
    if (m === undefined)
      return E.left(corrupt(index, name, at === name ? 'no such member' : `links to '${at}', no such member`))
    if (m.type === 'file') return E.right(m)
    if (m.type !== 'symlink' && m.type !== 'link') return E.left(corrupt(index, name, `is a ${m.type}, not a file`))
    const target = m.linkname ?? ''
    if (m.type === 'symlink' && target.startsWith('/'))
      return E.left(err('UnsafePath', { entry: at, reason: `a symlink out of the archive (to '${target}')` }))
    const joined = m.type === 'symlink' ? posix.join(posix.dirname(at), target) : target
    if (joined === '..' || joined.startsWith('../'))
      return E.left(err('UnsafePath', { entry: at, reason: `a link out of the archive (to '${target}')` }))
    const next = memberName(joined)
    if (E.isLeft(next)) return next
    at = next.right
  }
  return E.left(corrupt(index, name, 'more than 40 links'))
}

const ioOf =
  (index: ArchiveIndex) =>
  (e: unknown): StorageError =>
    e instanceof StorageFailure ? e.error : hostIoError(index.path)(e)

/** The bytes of `m`, at most `max` (LimitExceeded naming it past that). */
export const readMember = (index: ArchiveIndex, m: Member, max: number): TE.TaskEither<StorageError, Buffer> =>
  TE.tryCatch(async () => {
    if (m.size > max)
      throw new StorageFailure(err('LimitExceeded', { what: `${index.path}: member '${m.name}'`, limit: max }))
    const fh = await open(index.path, constants.O_RDONLY)
    try {
      const b = Buffer.alloc(m.size)
      let got = 0
      while (got < m.size) {
        const { bytesRead } = await fh.read(b, got, m.size - got, m.offset + got)
        if (bytesRead === 0) throw new StorageFailure(corrupt(index, m.name, 'the file ends inside it'))
        got += bytesRead
      }
      return b
    } finally {
      await fh.close()
    }
  }, ioOf(index))

/** The data of `m` as a stream, opened when first read. */
export const memberStream = (index: ArchiveIndex, m: Member): AsyncIterable<Uint8Array> => ({
  async *[Symbol.asyncIterator]() {
    const fh = await open(index.path, constants.O_RDONLY).catch((e: unknown) => {
      throw new StorageFailure(ioOf(index)(e))
    })
    try {
      if (m.size === 0) return
      const s = fh.createReadStream({
        start: m.offset,
        end: m.offset + m.size - 1,
        highWaterMark: 256 * 1024,
        autoClose: false,
      })
      try {
        for await (const c of s as AsyncIterable<Buffer>) yield new Uint8Array(c.buffer, c.byteOffset, c.byteLength)
      } finally {
        s.destroy()
      }
    } finally {
      await fh.close()
    }
  },
})
