/**
 * Deterministic tar headers for packaging: POSIX ustar, with a PAX extended header only
 * when a field does not fit (non-ASCII or long names, big sizes or ids, sub-second or
 * negative mtimes, xattrs). Fixed fields: empty uname/gname, no atime/ctime, PAX keys in
 * byte order, a fixed PAX header name. The same entry always encodes to the same bytes.
 * Names and link targets are written as their bytes (`nameToBytes`): a name that is not
 * UTF-8 goes into PAX `path`/`linkpath` raw, as GNU tar writes it.
 */
import { nameToBytes } from '../byte-names.js'

/** The tar entry types a layer may hold. */
export type TarType = 'file' | 'hardlink' | 'symlink' | 'char' | 'block' | 'dir' | 'fifo'

/** One tar entry's header, as read or written. */
export interface TarEntry {
  /** normalized root-relative path; '' is the root (written `./`) */
  readonly path: string
  readonly type: TarType
  readonly mode: number
  readonly uid: number
  readonly gid: number
  readonly mtimeMs: number
  /** content bytes (regular files only; 0 otherwise) */
  readonly size: number
  /** symlink target or hardlink target path */
  readonly linkname?: string
  readonly devmajor?: number
  readonly devminor?: number
  /** extended attributes, written as PAX `SCHILY.xattr.<name>` */
  readonly xattrs?: readonly (readonly [string, Uint8Array])[]
}

const TYPEFLAG: Record<TarType, string> = {
  file: '0',
  hardlink: '1',
  symlink: '2',
  char: '3',
  block: '4',
  dir: '5',
  fifo: '6',
}
const PAX_HEADER_NAME = 'PaxHeader'
const MAX_OCTAL_7 = 0o7777777 // 8-byte fields: 7 digits and NUL
const MAX_OCTAL_11 = 0o77777777777 // 12-byte fields: 11 digits and NUL

export const BLOCK = 512
/** The two zero blocks that end a tar archive. */
export const END_OF_ARCHIVE: Uint8Array = new Uint8Array(2 * BLOCK)
/** Zero bytes that complete `size` to a whole block. */
export const padding = (size: number): Uint8Array => new Uint8Array((BLOCK - (size % BLOCK)) % BLOCK)

const isAscii = (s: string): boolean => /^[\x01-\x7f]*$/.test(s)

/** The name as written in the tar: directories end in '/', the root is './'. */
export const tarName = (e: TarEntry): string => (e.type === 'dir' ? (e.path === '' ? './' : `${e.path}/`) : e.path)

/** ustar's split of a name into prefix (<= 155) and name (<= 100) at a '/', or undefined. */
export const splitUstarName = (name: string): { readonly prefix: string; readonly name: string } | undefined => {
  if (!isAscii(name)) return undefined
  if (name.length <= 100) return { prefix: '', name }
  for (let i = name.indexOf('/'); i !== -1; i = name.indexOf('/', i + 1)) {
    const prefix = name.slice(0, i)
    const rest = name.slice(i + 1)
    if (prefix.length > 155) return undefined
    if (rest.length <= 100 && rest.length > 0) return { prefix, name: rest }
  }
  return undefined
}

/** PAX decimal seconds for integer milliseconds: 1500 -> '1.5', -1500 -> '-1.5'. */
export const paxTime = (ms: number): string => {
  const sign = ms < 0 ? '-' : ''
  const abs = Math.abs(ms)
  const frac = abs % 1000
  const secs = (abs - frac) / 1000
  return frac === 0 ? `${sign}${secs}` : `${sign}${secs}.${String(frac).padStart(3, '0').replace(/0+$/, '')}`
}

const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8')

/** One PAX record `<len> <key>=<value>\n`, where len counts the whole record in bytes. */
export const paxRecord = (key: string, value: Uint8Array): Uint8Array => {
  const body = Buffer.concat([utf8(` ${key}=`), value, utf8('\n')])
  let len = body.length + 1
  while (String(len).length + body.length !== len) len = String(len).length + body.length
  return Buffer.concat([utf8(String(len)), body])
}

const writeString = (buf: Uint8Array, s: string, off: number, max: number): void => {
  const b = utf8(s)
  buf.set(b.subarray(0, max), off)
}
const writeOctal = (buf: Uint8Array, n: number, off: number, width: number): void => {
  writeString(
    buf,
    Math.max(0, Math.floor(n))
      .toString(8)
      .padStart(width - 1, '0'),
    off,
    width - 1,
  )
}

interface Ustar {
  readonly name: string
  readonly prefix: string
  readonly mode: number
  readonly uid: number
  readonly gid: number
  readonly size: number
  readonly mtime: number
  readonly typeflag: string
  readonly linkname: string
  readonly devmajor: number
  readonly devminor: number
}

const ustarBlock = (h: Ustar): Uint8Array => {
  const buf = new Uint8Array(BLOCK)
  writeString(buf, h.name, 0, 100)
  writeOctal(buf, h.mode & 0o7777, 100, 8)
  writeOctal(buf, h.uid, 108, 8)
  writeOctal(buf, h.gid, 116, 8)
  writeOctal(buf, h.size, 124, 12)
  writeOctal(buf, h.mtime, 136, 12)
  buf[156] = h.typeflag.charCodeAt(0)
  writeString(buf, h.linkname, 157, 100)
  writeString(buf, 'ustar\u0000', 257, 6)
  writeString(buf, '00', 263, 2)
  writeOctal(buf, h.devmajor, 329, 8)
  writeOctal(buf, h.devminor, 337, 8)
  writeString(buf, h.prefix, 345, 155)
  buf.fill(0x20, 148, 156)
  let sum = 0
  for (const b of buf) sum += b
  writeString(buf, `${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8)
  return buf
}

/** The PAX records an entry needs, keys in byte order; empty when ustar suffices. */
export const paxRecordsFor = (e: TarEntry): ReadonlyArray<readonly [string, Uint8Array]> => {
  const recs: [string, Uint8Array][] = []
  const name = tarName(e)
  if (splitUstarName(name) === undefined) recs.push(['path', nameToBytes(name)])
  if (e.linkname !== undefined && (!isAscii(e.linkname) || e.linkname.length > 100))
    recs.push(['linkpath', nameToBytes(e.linkname)])
  if (e.size > MAX_OCTAL_11) recs.push(['size', utf8(String(e.size))])
  if (e.uid > MAX_OCTAL_7) recs.push(['uid', utf8(String(e.uid))])
  if (e.gid > MAX_OCTAL_7) recs.push(['gid', utf8(String(e.gid))])
  if (e.mtimeMs % 1000 !== 0 || e.mtimeMs < 0 || e.mtimeMs / 1000 > MAX_OCTAL_11)
    recs.push(['mtime', utf8(paxTime(e.mtimeMs))])
  for (const [k, v] of e.xattrs ?? []) recs.push([`SCHILY.xattr.${k}`, v])
  return recs.sort(([a], [b]) => Buffer.compare(utf8(a), utf8(b)))
}

/** Header blocks of one entry (PAX header and its data when needed, then the ustar header). */
export const encodeHeader = (e: TarEntry): Uint8Array => {
  const name = tarName(e)
  const split = splitUstarName(name)
  const ascii = (s: string): string => (isAscii(s) ? s : '')
  const ustar: Ustar = {
    name: split?.name ?? ascii(name).slice(0, 100),
    prefix: split?.prefix ?? '',
    mode: e.mode,
    uid: e.uid > MAX_OCTAL_7 ? 0 : e.uid,
    gid: e.gid > MAX_OCTAL_7 ? 0 : e.gid,
    size: e.size > MAX_OCTAL_11 ? 0 : e.size,
    mtime: e.mtimeMs < 0 ? 0 : Math.min(Math.floor(e.mtimeMs / 1000), MAX_OCTAL_11),
    typeflag: TYPEFLAG[e.type],
    linkname: e.linkname === undefined ? '' : ascii(e.linkname).slice(0, 100),
    devmajor: e.devmajor ?? 0,
    devminor: e.devminor ?? 0,
  }
  const recs = paxRecordsFor(e)
  if (recs.length === 0) return ustarBlock(ustar)
  const data = Buffer.concat(recs.map(([k, v]) => paxRecord(k, v)))
  const pax = ustarBlock({
    name: PAX_HEADER_NAME,
    prefix: '',
    mode: 0o644,
    uid: 0,
    gid: 0,
    size: data.length,
    mtime: 0,
    typeflag: 'x',
    linkname: '',
    devmajor: 0,
    devminor: 0,
  })
  return Buffer.concat([pax, data, padding(data.length), ustarBlock(ustar)])
}
