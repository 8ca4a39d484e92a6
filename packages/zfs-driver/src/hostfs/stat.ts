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

export const toStat = (st: BigIntStats): Stat => {
  const mode = Number(st.mode)
  const type = fileTypeOf(mode) ?? 'F'
  return {
    type,
    mode: mode & 0o7777,
    uid: Number(st.uid),
    gid: Number(st.gid),
    size: type === 'F' || type === '@' || type === '/' ? Number(st.size) : 0,
    mtimeMs: floorMs(st.mtimeNs),
    ino: Number(st.ino),
    nlink: Number(st.nlink),
    rdev: type === 'B' || type === 'C' ? Number(st.rdev) : 0,
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
