/**
 * The boundary for tar entries: a decoded header block plus the extended headers before it
 * (tar-meta.ts) turned into a `TarHeader` the applier can trust. PAX records override the
 * fields they name (path, linkpath, size, uid, gid, mtime), then GNU long names, then the
 * ustar prefix and name. Names are bytes decoded with `nameFromBytes`. Every number is
 * checked: ids must fit 32 bits, sizes and mtimes must be exact integers, data may follow
 * only a regular file (other readers disagree on where the next header of a directory with
 * a size starts, so such an entry is refused, not guessed).
 */
import * as E from 'fp-ts/lib/Either.js'
import { nameFromBytes } from '../byte-names.js'
import { compareBytes } from './names.js'
import { err, type StorageError } from '../errors.js'
import { paxMtimeMs } from './pax-records.js'
import type { HeaderBlock } from './tar-block.js'
import type { EntryMeta } from './tar-meta.js'

export type EntryType = 'file' | 'link' | 'symlink' | 'directory' | 'block-device' | 'character-device' | 'fifo'

export interface TarHeader {
  /** the raw name from the tar (PAX path, GNU long name or ustar prefix/name) */
  readonly name: string
  readonly type: EntryType
  /** bytes of the file's content (0 for every other type) */
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

/** A header and how many data bytes follow it in the archive. */
export interface DecodedEntry {
  readonly header: TarHeader
  readonly dataSize: number
}

export const MAX_ID = 2 ** 32 - 1
const XATTR_PREFIX = 'SCHILY.xattr.'
const TYPES: Record<string, EntryType> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '1': 'link',
  '2': 'symlink',
  '3': 'character-device',
  '4': 'block-device',
  '5': 'directory',
  '6': 'fifo',
}
const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1')

const entryName = (h: HeaderBlock, m: EntryMeta): string => {
  const pax = m.pax('path')
  if (pax !== undefined) return nameFromBytes(pax)
  if (m.longName !== undefined) return nameFromBytes(m.longName)
  // no UTF-8 sequence holds a '/', so the two parts decode apart
  return h.prefix.length > 0 ? `${nameFromBytes(h.prefix)}/${nameFromBytes(h.name)}` : nameFromBytes(h.name)
}

export const decodeEntry = (h: HeaderBlock, m: EntryMeta): E.Either<StorageError, DecodedEntry> => {
  const entry = entryName(h, m)
  const corrupt = (reason: string): E.Either<StorageError, never> =>
    E.left(err('CorruptLayer', { what: 'layer tar', reason, entry }))
  if (m.malformed !== undefined) return corrupt(`malformed PAX header: ${m.malformed}`)
  const flag = String.fromCharCode(h.typeflag)
  if (m.paxWithPrefix('GNU.sparse.').length > 0 || flag === 'S') {
    const real = m.pax('GNU.sparse.name')
    return E.left(
      err('Unsupported', { what: `sparse file entry '${real === undefined ? entry : nameFromBytes(real)}'` }),
    )
  }
  let type = TYPES[flag]
  if (type === undefined)
    return E.left(err('Unsupported', { what: `tar entry '${entry}' of type '${flag === '\0' ? '\\0' : flag}'` }))
  if (type === 'file' && entry.endsWith('/')) type = 'directory' // old tars mark directories with a trailing '/'
  const decimal = (key: string, fallback: number, max: number): number | string => {
    const v = m.pax(key)
    if (v === undefined) return fallback <= max ? fallback : `${key} ${fallback} out of range (at most ${max})`
    const text = latin1(v)
    if (!/^[0-9]{1,20}$/.test(text)) return `PAX ${key} ${JSON.stringify(text)} is not a decimal number`
    const n = Number(text)
    return n <= max ? n : `PAX ${key} ${text} out of range (at most ${max})`
  }
  const size = decimal('size', h.size, Number.MAX_SAFE_INTEGER)
  const uid = decimal('uid', h.uid, MAX_ID)
  const gid = decimal('gid', h.gid, MAX_ID)
  for (const v of [size, uid, gid]) if (typeof v === 'string') return corrupt(v)
  if (h.uid < 0 || h.gid < 0 || h.size < 0 || h.mode < 0 || h.devmajor < 0 || h.devminor < 0)
    return corrupt('negative numeric field')
  if (h.devmajor > MAX_ID || h.devminor > MAX_ID) return corrupt('device number out of range')
  const paxTime = m.pax('mtime')
  const mtimeMs = paxTime === undefined ? h.mtime * 1000 : paxMtimeMs(latin1(paxTime))
  if (mtimeMs === undefined || !Number.isSafeInteger(mtimeMs))
    return corrupt(`bad mtime ${JSON.stringify(paxTime === undefined ? String(h.mtime) : latin1(paxTime))}`)
  const dataSize = size as number
  if (type !== 'file' && dataSize !== 0) return corrupt(`a ${type} entry carrying ${dataSize} bytes of data`)
  const link = m.pax('linkpath') ?? m.longLink ?? h.linkname
  const xattrs: [string, Uint8Array][] = []
  for (const [k, v] of m.paxWithPrefix(XATTR_PREFIX)) {
    const name = k.slice(XATTR_PREFIX.length)
    if (name === '') return corrupt('malformed PAX header: SCHILY.xattr. record with an empty name')
    xattrs.push([name, v])
  }
  xattrs.sort(([a], [b]) => compareBytes(a, b))
  return E.right({
    dataSize,
    header: {
      name: entry,
      type,
      size: dataSize,
      mode: h.mode & 0o7777,
      uid: uid as number,
      gid: gid as number,
      mtimeMs,
      linkname: link.length === 0 ? undefined : nameFromBytes(link),
      devmajor: h.devmajor,
      devminor: h.devminor,
      xattrs,
    },
  })
}
