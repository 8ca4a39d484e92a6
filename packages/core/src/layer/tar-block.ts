/**
 * One 512-byte tar header block read from its bytes, as GNU tar and Go's archive/tar read it:
 * the checksum must match (unsigned or signed sum), numbers are octal (spaces and NULs around
 * them allowed) or GNU base-256 (two's complement, negative mtimes included), names are the
 * raw bytes up to the first NUL. The prefix field is read only in POSIX ustar headers (GNU
 * headers keep atime/ctime there).
 */
import * as E from 'fp-ts/lib/Either.js'

export const BLOCK_SIZE = 512

export type HeaderFormat = 'ustar' | 'gnu' | 'v7'

/** A decoded header; its byte fields are views of the block, to decode before the block's bytes change. */
export interface HeaderBlock {
  readonly format: HeaderFormat
  readonly name: Uint8Array
  readonly linkname: Uint8Array
  /** POSIX ustar prefix; empty in other formats */
  readonly prefix: Uint8Array
  /** the typeflag byte */
  readonly typeflag: number
  readonly mode: number
  readonly uid: number
  readonly gid: number
  readonly size: number
  /** seconds since the epoch (negative before it) */
  readonly mtime: number
  readonly devmajor: number
  readonly devminor: number
}

export const isZeroBlock = (b: Uint8Array): boolean => {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false
  return true
}

/** A view of the field's bytes up to the first NUL: decode it before the block's bytes change. */
const field = (b: Uint8Array, off: number, len: number): Uint8Array => {
  let end = off
  while (end < off + len && b[end] !== 0) end++
  return b.subarray(off, end)
}

const isPad = (c: number): boolean => c === 0x20 || c === 0

/** Octal digits between optional spaces and NULs; NaN when anything else is there. */
const octal = (f: Uint8Array): number => {
  let i = 0
  let j = f.length
  while (i < j && isPad(f[i]!)) i++
  while (j > i && isPad(f[j - 1]!)) j--
  let n = 0
  for (let k = i; k < j; k++) {
    const d = f[k]! - 0x30
    if (d < 0 || d > 7) return NaN
    n = n * 8 + d
  }
  return n
}

/** GNU base-256: the top bit marks it, the next one is the sign (two's complement). */
const base256 = (f: Uint8Array): bigint => {
  const inv = (f[0]! & 0x40) !== 0 ? 0xff : 0
  let x = 0n
  f.forEach((c, i) => {
    x = (x << 8n) | BigInt((c ^ inv) & (i === 0 ? 0x3f : 0xff))
  })
  return inv === 0 ? x : -x - 1n
}

/** A numeric field's value, or a reason it is not one. Unsafe integers are refused. */
export const parseNumeric = (f: Uint8Array): E.Either<string, number> => {
  if (f.length > 0 && (f[0]! & 0x80) === 0) {
    const n = octal(f)
    if (Number.isNaN(n)) return E.left(`invalid octal number ${JSON.stringify(Buffer.from(f).toString('latin1'))}`)
    return Number.isSafeInteger(n) ? E.right(n) : E.left(`number ${n} out of range`)
  }
  const v = f.length === 0 ? 0n : base256(f)
  const n = Number(v)
  return Number.isSafeInteger(n) ? E.right(n) : E.left(`number ${v} out of range`)
}

const checksumOk = (b: Uint8Array): boolean => {
  const stored = parseNumeric(b.subarray(148, 156))
  if (E.isLeft(stored)) return false
  // the checksum field counts as 8 spaces
  let unsigned = 8 * 0x20
  for (let i = 0; i < 148; i++) unsigned += b[i]!
  for (let i = 156; i < BLOCK_SIZE; i++) unsigned += b[i]!
  if (stored.right === unsigned) return true
  // the signed sum takes 256 less for each byte > 127
  let high = 0
  for (let i = 0; i < BLOCK_SIZE; i++) if ((i < 148 || i >= 156) && b[i]! > 127) high++
  return stored.right === unsigned - 256 * high
}

/** The bytes at 257.. are `magic` (the magic and version fields). */
const hasMagic = (b: Uint8Array, magic: string): boolean => {
  for (let i = 0; i < magic.length; i++) if (b[257 + i] !== magic.charCodeAt(i)) return false
  return true
}

export interface BadBlock {
  readonly reason: string
  /** the name field, when the checksum matched (the block is a header, one of its fields is bad) */
  readonly name?: Uint8Array
}

/** The numeric fields in the order they are checked: name, offset, length (v7 has no device numbers). */
const NUMERIC: ReadonlyArray<readonly [string, number, number]> = [
  ['mode', 100, 8],
  ['uid', 108, 8],
  ['gid', 116, 8],
  ['size', 124, 12],
  ['mtime', 136, 12],
  ['devmajor', 329, 8],
  ['devminor', 337, 8],
]
const V7_NUMERIC = NUMERIC.slice(0, 5)

/** Decodes a non-zero header block; Left with the reason when it is not a valid header. */
export const decodeBlock = (b: Uint8Array): E.Either<BadBlock, HeaderBlock> => {
  if (b.length !== BLOCK_SIZE) return E.left({ reason: 'truncated header' })
  if (!checksumOk(b)) return E.left({ reason: 'header checksum mismatch' })
  const format: HeaderFormat = hasMagic(b, 'ustar\0') ? 'ustar' : hasMagic(b, 'ustar  \0') ? 'gnu' : 'v7'
  const nums = format === 'v7' ? V7_NUMERIC : NUMERIC
  const out = [0, 0, 0, 0, 0, 0, 0]
  for (let k = 0; k < nums.length; k++) {
    const [name, off, len] = nums[k]!
    const n = parseNumeric(b.subarray(off, off + len))
    if (E.isLeft(n)) return E.left({ reason: `${name}: ${n.left}`, name: field(b, 0, 100) })
    out[k] = n.right
  }
  return E.right({
    format,
    name: field(b, 0, 100),
    linkname: field(b, 157, 100),
    prefix: format === 'ustar' ? field(b, 345, 155) : new Uint8Array(0),
    typeflag: b[156]!,
    mode: out[0]!,
    uid: out[1]!,
    gid: out[2]!,
    size: out[3]!,
    mtime: out[4]!,
    devmajor: out[5]!,
    devminor: out[6]!,
  })
}
