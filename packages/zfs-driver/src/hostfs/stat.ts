/** Host lstat results as the core's Stat, and times as Node's calls want them. */
import { constants, type BigIntStats } from 'node:fs'
import type { FileType, Stat } from '@stratum/core'

const { S_IFMT, S_IFREG, S_IFDIR, S_IFLNK, S_IFIFO, S_IFSOCK, S_IFBLK, S_IFCHR } = constants

export const fileTypeOf = (mode: number): FileType | undefined => {
  switch (mode & S_IFMT) {
    case S_IFREG:
      return 'F'
    case S_IFDIR:
      return '/'
    case S_IFLNK:
      return '@'
    case S_IFIFO:
      return '|'
    case S_IFSOCK:
      return '='
    case S_IFBLK:
      return 'B'
    case S_IFCHR:
      return 'C'
    default:
      return undefined
  }
}

/** floor(ns / 1e6), also for times before 1970 */
export const floorMs = (ns: bigint): number => {
  const q = ns / 1_000_000n
  return Number(ns < 0n && q * 1_000_000n !== ns ? q - 1n : q)
}

/** A Stat from the host's fields (the special files' sizes are 0, their rdev only for devices). */
const makeStat = (
  mode: number,
  uid: number,
  gid: number,
  size: number,
  mtimeMs: number,
  ino: number,
  nlink: number,
  rdev: number,
): Stat => {
  const type = fileTypeOf(mode) ?? 'F'
  return {
    type,
    mode: mode & 0o7777,
    uid,
    gid,
    size: type === 'F' || type === '@' || type === '/' ? size : 0,
    mtimeMs,
    ino,
    nlink,
    rdev: type === 'B' || type === 'C' ? rdev : 0,
  }
}

export const toStat = (st: BigIntStats): Stat =>
  makeStat(
    Number(st.mode),
    Number(st.uid),
    Number(st.gid),
    Number(st.size),
    floorMs(st.mtimeNs),
    Number(st.ino),
    Number(st.nlink),
    Number(st.rdev),
  )

/** A host lstat: the Stat, and the inode exactly (a file opened later is checked against it). */
export interface HostStat {
  readonly stat: Stat
  readonly ino: bigint
}

export const toHostStat = (st: BigIntStats): HostStat => ({ stat: toStat(st), ino: st.ino })

const u64 = (b: Buffer, at: number): number => b.readUInt32LE(at + 4) * 2 ** 32 + b.readUInt32LE(at)

/** Linux major, minor -> dev_t (glibc's gnu_dev_makedev). */
const makeDev = (major: number, minor: number): number =>
  Number(
    ((BigInt(major) & 0xfffn) << 8n) |
      ((BigInt(major) & ~0xfffn) << 32n) |
      (BigInt(minor) & 0xffn) |
      ((BigInt(minor) & ~0xffn) << 12n),
  )

/** The HostStat of a Linux `struct statx` (one layout on every architecture). */
export const fromStatx = (b: Buffer): HostStat => {
  const mode = b.readUInt16LE(28)
  const fmt = mode & S_IFMT
  // stx_mtime: tv_sec (signed 64 bits) at 112, tv_nsec (0..999999999) at 120
  const mtimeMs = (b.readInt32LE(116) * 2 ** 32 + b.readUInt32LE(112)) * 1000 + Math.floor(b.readUInt32LE(120) / 1e6)
  const rdev = fmt === S_IFBLK || fmt === S_IFCHR ? makeDev(b.readUInt32LE(128), b.readUInt32LE(132)) : 0
  const ino = b.readBigUInt64LE(32)
  return {
    stat: makeStat(
      mode,
      b.readUInt32LE(20),
      b.readUInt32LE(24),
      u64(b, 40),
      mtimeMs,
      Number(ino),
      b.readUInt32LE(16),
      rdev,
    ),
    ino,
  }
}

/**
 * The time argument for utimes/futimes such that reading it back gives `mtimeMs` exactly:
 * - libuv cuts the fraction to whole microseconds after a float multiply, which can land just
 *   short of the millisecond; half a microsecond away from zero lands on it exactly (the cut,
 *   toward zero, drops the half);
 * - Node replaces a negative *number* by the current time, but takes a numeric *string* as
 *   is, so times before 1970 go through as a string of seconds.
 */
export const timeArg = (mtimeMs: number): string => String((mtimeMs + (mtimeMs < 0 ? -0.0005 : 0.0005)) / 1000)

/** Linux dev_t -> major, minor (glibc's gnu_dev_major/minor). */
export const majorMinor = (rdev: number): [number, number] => {
  const r = BigInt(rdev)
  const major = ((r >> 8n) & 0xfffn) | ((r >> 32n) & ~0xfffn)
  const minor = (r & 0xffn) | ((r >> 12n) & ~0xffn)
  return [Number(major), Number(minor)]
}
