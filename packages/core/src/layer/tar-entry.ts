/**
 * The boundary for tar headers: tar-stream's decoded header (untrusted) checked with an
 * io-ts codec and turned into a `TarHeader` the applier can trust. PAX records override
 * the ustar fields they name (mtime with sub-second precision, uid, gid). Xattrs come from
 * the `SCHILY.xattr.*` records read from the raw PAX bytes (pax-records.ts), byte-exact:
 * tar-stream's own decoding of PAX values as UTF-8 text would alter binary values.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import { err, type StorageError } from '../errors.js'
import { paxXattrs } from './pax-records.js'

export type EntryType = 'file' | 'link' | 'symlink' | 'directory' | 'block-device' | 'character-device' | 'fifo'

export interface TarHeader {
  /** the raw name from the tar (PAX path applied) */
  readonly name: string
  readonly type: EntryType
  readonly size: number
  readonly mode: number
  readonly uid: number
  readonly gid: number
  readonly mtimeMs: number
  readonly linkname: string | undefined
  readonly devmajor: number
  readonly devminor: number
  readonly xattrs: ReadonlyArray<readonly [string, Uint8Array]>
}

const RawHeader = t.type({
  name: t.string,
  type: t.union([t.string, t.null]),
  size: t.number,
  mode: t.number,
  uid: t.number,
  gid: t.number,
  mtime: t.unknown,
  linkname: t.union([t.string, t.null, t.undefined]),
  devmajor: t.number,
  devminor: t.number,
  pax: t.union([t.record(t.string, t.string), t.null, t.undefined]),
})

const count = (n: number): boolean => Number.isSafeInteger(n) && n >= 0

/** `u`: tar-stream's header; `rawPax`: the raw data of the PAX headers before it (`RawEntry.pax`). */
export const decodeHeader = (u: unknown, rawPax: readonly Uint8Array[] = []): E.Either<StorageError, TarHeader> => {
  const corrupt = (reason: string, entry?: string): StorageError =>
    err('CorruptLayer', { what: 'layer tar', reason, ...(entry === undefined ? {} : { entry }) })
  return pipe(
    RawHeader.decode(u),
    E.mapLeft(() => corrupt('malformed header', typeof (u as { name?: unknown })?.name === 'string' ? (u as { name: string }).name : undefined)),
    E.chain((h) => {
      const pax = h.pax ?? {}
      const entry = h.name
      const type = h.type === 'contiguous-file' ? 'file' : h.type
      if (type === null || !['file', 'link', 'symlink', 'directory', 'block-device', 'character-device', 'fifo'].includes(type)) {
        return E.left(err('Unsupported', { what: `tar entry '${entry}' of type ${h.type ?? 'unknown'}` }))
      }
      const num = (key: string, fallback: number): number => (pax[key] === undefined ? fallback : Number(pax[key]))
      const uid = num('uid', h.uid)
      const gid = num('gid', h.gid)
      const seconds = h.mtime instanceof Date ? h.mtime.getTime() : NaN
      const mtimeMs = pax.mtime === undefined ? seconds : Math.round(Number(pax.mtime) * 1000)
      if (![h.size, h.mode, uid, gid, h.devmajor, h.devminor].every(count)) return E.left(corrupt('bad numeric field', entry))
      if (!Number.isSafeInteger(mtimeMs)) return E.left(corrupt('bad mtime', entry))
      const xattrs = paxXattrs(rawPax)
      if (E.isLeft(xattrs)) return E.left(corrupt(`malformed PAX header: ${xattrs.left}`, entry))
      return E.right({
        name: entry,
        type: type as EntryType,
        size: h.size,
        mode: h.mode & 0o7777,
        uid,
        gid,
        mtimeMs,
        linkname: h.linkname ?? undefined,
        devmajor: h.devmajor,
        devminor: h.devminor,
        xattrs: xattrs.right,
      })
    }),
  )
}
