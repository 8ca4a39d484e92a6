/**
 * The members of a tar archive on the host (a `docker save` file), found by reading headers
 * only: each header block is read at its offset and the data after it is jumped over, so a
 * layer is never read to index it. Names are archive paths: a leading './' is dropped; an
 * absolute name, a '..' component, a name given twice, more than MAX_MEMBERS members or data
 * past the file's end are typed errors naming the member.
 */
import { constants } from 'node:fs'
import { type FileHandle, open } from 'node:fs/promises'
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { err, type StorageError } from '../errors.js'
import { hostIoError } from '../host/errno.js'
import { BLOCK_SIZE, decodeBlock, isZeroBlock } from '../layer/tar-block.js'
import { decodeEntry, type EntryType } from '../layer/tar-entry.js'
import { MAX_META_BYTES, MetaState } from '../layer/tar-meta.js'
import { StorageFailure } from '../failure.js'

/** The most members a `docker save` archive may have. */
export const MAX_MEMBERS = 100_000

/** One member of a `docker save` archive, located by its offset. */
export interface Member {
  readonly name: string
  readonly type: EntryType
  /** where the member's data starts in the file */
  readonly offset: number
  readonly size: number
  readonly linkname: string | undefined
}

/** The members of a `docker save` archive file, by name. */
export interface ArchiveIndex {
  /** the archive file as the caller named it */
  readonly path: string
  readonly members: ReadonlyMap<string, Member>
}

const pad = (n: number): number => (BLOCK_SIZE - (n % BLOCK_SIZE)) % BLOCK_SIZE

const bad = (path: string, reason: string, entry?: string): never => {
  throw new StorageFailure(
    err('CorruptLayer', { what: `docker archive ${path}`, reason, ...(entry === undefined ? {} : { entry }) }),
  )
}

/** An archive path: './' and empty components dropped; absolute or '..' refused (UnsafePath naming it). */
export const memberName = (raw: string): E.Either<StorageError, string> => {
  if (raw.startsWith('/')) return E.left(err('UnsafePath', { entry: raw, reason: 'an absolute name in the archive' }))
  const parts = raw.split('/').filter((c) => c !== '' && c !== '.')
  if (parts.includes('..')) return E.left(err('UnsafePath', { entry: raw, reason: "a '..' component in the archive" }))
  return E.right(parts.join('/'))
}

const readAt = async (fh: FileHandle, at: number, n: number): Promise<Buffer> => {
  const b = Buffer.alloc(n)
  let got = 0
  while (got < n) {
    const { bytesRead } = await fh.read(b, got, n - got, at + got)
    if (bytesRead === 0) break
    got += bytesRead
  }
  return b.subarray(0, got)
}

const scan = async (path: string, fh: FileHandle): Promise<ArchiveIndex> => {
  const fileSize = (await fh.stat()).size
  const members = new Map<string, Member>()
  const meta = new MetaState()
  for (let at = 0; ; ) {
    const block = await readAt(fh, at, BLOCK_SIZE)
    if (block.length === 0 || isZeroBlock(block)) return { path, members }
    const h = decodeBlock(block)
    if (E.isLeft(h)) return bad(path, `${h.left.reason} at byte ${at}`)
    const flag = String.fromCharCode(h.right.typeflag)
    const dataAt = at + BLOCK_SIZE
    const size = h.right.size
    if (dataAt + size > fileSize) return bad(path, `data past the end of the file (header at byte ${at})`)
    at = dataAt + size + pad(size)
    if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
      if (size > MAX_META_BYTES)
        throw new StorageFailure(err('LimitExceeded', { what: `${path}: extended header`, limit: MAX_META_BYTES }))
      const data = await readAt(fh, dataAt, size)
      if (flag === 'L' || flag === 'K') meta.addLong(data, flag === 'K')
      else meta.addPax(data, flag === 'g')
      continue
    }
    const d = decodeEntry(h.right, meta.take())
    if (E.isLeft(d)) throw new StorageFailure(d.left)
    const name = memberName(d.right.header.name)
    if (E.isLeft(name)) throw new StorageFailure(name.left)
    if (name.right === '' && d.right.header.type === 'directory') continue
    if (members.has(name.right)) return bad(path, 'the name is given twice', name.right)
    if (members.size >= MAX_MEMBERS)
      throw new StorageFailure(err('LimitExceeded', { what: `${path}: members`, limit: MAX_MEMBERS }))
    const { type, linkname } = d.right.header
    members.set(name.right, { name: name.right, type, offset: dataAt, size: d.right.dataSize, linkname })
  }
}

/** Indexes the archive at `path` (a regular file, opened without following a final symlink's target type checks). */
export const indexArchive = (path: string): TE.TaskEither<StorageError, ArchiveIndex> =>
  TE.tryCatch(
    async () => {
      const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK)
      try {
        if (!(await fh.stat()).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EINVAL' })
        return await scan(path, fh)
      } finally {
        await fh.close()
      }
    },
    (e) => (e instanceof StorageFailure ? e.error : hostIoError(path)(e)),
  )
