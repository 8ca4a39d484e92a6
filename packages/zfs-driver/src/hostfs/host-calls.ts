/**
 * The system calls a host file tree makes on one entry of a directory, two ways: Node's calls
 * on the entry's host path (`/proc/<pid>/fd/<n>/<name>` when pinned, a checked path when not),
 * and the C library's *at calls on the pinned descriptor itself (libc.ts), which spare the
 * kernel the magic-link lookup and Node its path handling. Both act on the final component
 * without following it (O_NOFOLLOW, AT_SYMLINK_NOFOLLOW, lchown, lutimes), except `chmod`,
 * which Linux cannot do on a symlink (callers skip symlinks). Which way a tree takes is its
 * `native` option; an entry with no descriptor (unpinned) always goes by path.
 */
import { constants } from 'node:os'
import {
  chmodSync,
  closeSync,
  constants as fsConstants,
  fchmodSync,
  fchownSync,
  futimesSync,
  fstatSync,
  lchownSync,
  linkSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  openSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmdirSync,
  symlinkSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import type { FileType } from '@stratum/core'
import type { DirNode } from './dir-cache.js'
import { fail } from './errno.js'
import { hostName, type HostPath } from './host-names.js'
import { check, type Libc } from './libc.js'
import { makeDevice, makeFifo, makeSocket } from './special.js'
import { fromStatx, type HostStat, timeArg, toHostStat } from './stat.js'

/** Where a call acts: the entry `name` ('.': the directory itself) of the directory `dir`, open as `fd` when pinned. */
export interface At {
  readonly fd: number | undefined
  readonly dir: HostPath
  readonly name: string
  /** `dir`/`name` as one host path */
  readonly host: HostPath
  /** the pinned directory's node in the tree's cache, where the call was located through it */
  readonly node?: DirNode | undefined
}

export type SpecialType = Extract<FileType, 'B' | 'C' | '|' | '='>

export interface HostCalls {
  /** undefined when the entry does not exist (ENOENT) */
  lstat(at: At): HostStat | undefined
  /** the object open as `fd` (a descriptor, not an entry: the check of what an open reached) */
  fstat(fd: number): HostStat
  open(at: At, flags: number, mode: number): number
  mkdir(at: At, mode: number): void
  symlink(target: string, at: At): void
  link(from: At, to: At): void
  rename(from: At, to: At): void
  unlink(at: At): void
  rmdir(at: At): void
  lchown(at: At, uid: number, gid: number): void
  /** follows a symlink (Linux has no lchmod) */
  chmod(at: At, mode: number): void
  lutimes(at: At, mtimeMs: number): void
  readlink(at: At): Buffer
  /** the names in the directory at `at` (opened O_NOFOLLOW|O_DIRECTORY where pinned), without '.' and '..', in no order */
  readdir(at: At): Buffer[]
  /** a FIFO, socket or device node, mode 0600 */
  mknod(at: At, type: SpecialType, rdev: number): Promise<void>
  /** the calls that finish a file being written, on its descriptor: all of `bytes`, owner, mode, time, close */
  writeAll(fd: number, bytes: Uint8Array): void
  fchown(fd: number, uid: number, gid: number): void
  fchmod(fd: number, mode: number): void
  futimes(fd: number, mtimeMs: number): void
  close(fd: number): void
}

/** Node's calls on the entry's host path. */
export const pathCalls: HostCalls = {
  lstat: (at) => {
    const st = lstatSync(at.host, { bigint: true, throwIfNoEntry: false })
    return st === undefined ? undefined : toHostStat(st)
  },
  fstat: (fd) => toHostStat(fstatSync(fd, { bigint: true })),
  open: (at, flags, mode) => openSync(at.host, flags, mode),
  mkdir: (at, mode) => mkdirSync(at.host, { mode }),
  symlink: (target, at) => symlinkSync(hostName(target), at.host),
  link: (from, to) => linkSync(from.host, to.host),
  rename: (from, to) => renameSync(from.host, to.host),
  unlink: (at) => unlinkSync(at.host),
  rmdir: (at) => rmdirSync(at.host),
  lchown: (at, uid, gid) => lchownSync(at.host, uid, gid),
  chmod: (at, mode) => chmodSync(at.host, mode),
  lutimes: (at, mtimeMs) => {
    const t = timeArg(mtimeMs)
    lutimesSync(at.host, t, t)
  },
  readlink: (at) => readlinkSync(at.host, { encoding: 'buffer' }),
  readdir: (at) => readdirSync(at.host, { encoding: 'buffer' }),
  mknod: (at, type, rdev) =>
    type === '|'
      ? makeFifo(at.dir, at.name)
      : type === '='
        ? makeSocket(at.dir, at.name)
        : makeDevice(at.dir, at.name, type, rdev),
  writeAll: (fd, bytes) => {
    let off = 0
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off)
  },
  fchown: (fd, uid, gid) => fchownSync(fd, uid, gid),
  fchmod: (fd, mode) => fchmodSync(fd, mode),
  futimes: (fd, mtimeMs) => futimesSync(fd, timeArg(mtimeMs), timeArg(mtimeMs)),
  close: (fd) => closeSync(fd),
}

const AT_SYMLINK_NOFOLLOW = 0x100
const AT_REMOVEDIR = 0x200
const AT_EMPTY_PATH = 0x1000
const STATX_BASIC_STATS = 0x7ff
const NUL = Buffer.from([0])
const S_IF: Readonly<Record<SpecialType, number>> = { '|': 0o010000, '=': 0o140000, C: 0o020000, B: 0o060000 }

/** A name as a C string: Buffers get their NUL; a NUL inside is EINVAL, as Node refuses it. */
export const cName = (name: string): string | Buffer => {
  const n = hostName(name)
  if (typeof n === 'string' ? n.includes('\0') : n.includes(0)) fail('EINVAL', 'a name with a NUL byte')
  return typeof n === 'string' ? n : Buffer.concat([n, NUL])
}

/** atime = mtime, as the timespec pair of utimensat(2) written into `buf` at `off` (64-bit seconds, then nanoseconds; tv_nsec in 0..999999999 also before 1970). */
export const timespecPair = (mtimeMs: number, buf: Buffer, off: number): void => {
  const sec = Math.floor(mtimeMs / 1000)
  const nsec = Math.round((mtimeMs - sec * 1000) * 1e6)
  const high = Math.floor(sec / 2 ** 32)
  for (const at of [off, off + 16]) {
    buf.writeUInt32LE(sec - high * 2 ** 32, at)
    buf.writeInt32LE(high, at + 4)
    buf.writeUInt32LE(nsec, at + 8)
    buf.writeUInt32LE(0, at + 12)
  }
}

const { O_RDONLY, O_DIRECTORY, O_NOFOLLOW } = fsConstants
const READ_DIR = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | 0o2000000 // | O_CLOEXEC (Linux)

/** Pushes the names of the `n` bytes of `struct linux_dirent64` records in `b` (d_reclen at 16, the NUL-ended d_name at 19), '.' and '..' left out. */
const direntNames = (b: Buffer, n: number, into: Buffer[]): void => {
  for (let off = 0; off < n; off += b.readUInt16LE(off + 16)) {
    const start = off + 19
    const end = b.indexOf(0, start)
    const len = end - start
    if ((len === 1 || len === 2) && b[start] === 0x2e && (len === 1 || b[start + 1] === 0x2e)) continue
    into.push(Buffer.from(b.subarray(start, end)))
  }
}

/** The *at calls on pinned descriptors; entries without one go by path. */
export const libcCalls = (c: Libc): HostCalls => {
  // one buffer each: the calls are synchronous, no two share one at once
  const statBuf = Buffer.alloc(256)
  const linkBuf = Buffer.alloc(4097)
  const dentBuf = Buffer.alloc(1 << 15)
  const times = Buffer.alloc(32)
  const timesOf = (mtimeMs: number): Buffer => {
    timespecPair(mtimeMs, times, 0)
    return times
  }
  const pinned = (at: At): at is At & { fd: number } => at.fd !== undefined
  const both = (a: At, b: At): boolean => pinned(a) && pinned(b)
  return {
    lstat: (at) => {
      if (!pinned(at)) return pathCalls.lstat(at)
      const r = c.statx(at.fd, cName(at.name), AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, statBuf)
      if (r < 0 && c.errno() === constants.errno.ENOENT) return undefined
      check(c, r, 'statx')
      return fromStatx(statBuf)
    },
    // statx of the descriptor itself: no Stats object with four Dates, as Node's fstat makes
    fstat: (fd) => {
      check(c, c.statx(fd, '', AT_EMPTY_PATH, STATX_BASIC_STATS, statBuf), 'statx')
      return fromStatx(statBuf)
    },
    open: (at, flags, mode) =>
      pinned(at) ? check(c, c.openat(at.fd, cName(at.name), flags, mode), 'openat') : pathCalls.open(at, flags, mode),
    mkdir: (at, mode) => {
      if (pinned(at)) check(c, c.mkdirat(at.fd, cName(at.name), mode), 'mkdirat')
      else pathCalls.mkdir(at, mode)
    },
    symlink: (target, at) => {
      if (pinned(at)) check(c, c.symlinkat(cName(target), at.fd, cName(at.name)), 'symlinkat')
      else pathCalls.symlink(target, at)
    },
    link: (from, to) => {
      if (both(from, to)) check(c, c.linkat(from.fd, cName(from.name), to.fd, cName(to.name), 0), 'linkat')
      else pathCalls.link(from, to)
    },
    rename: (from, to) => {
      if (both(from, to)) check(c, c.renameat(from.fd, cName(from.name), to.fd, cName(to.name)), 'renameat')
      else pathCalls.rename(from, to)
    },
    unlink: (at) => {
      if (pinned(at)) check(c, c.unlinkat(at.fd, cName(at.name), 0), 'unlinkat')
      else pathCalls.unlink(at)
    },
    rmdir: (at) => {
      if (pinned(at)) check(c, c.unlinkat(at.fd, cName(at.name), AT_REMOVEDIR), 'unlinkat')
      else pathCalls.rmdir(at)
    },
    lchown: (at, uid, gid) => {
      if (pinned(at)) check(c, c.fchownat(at.fd, cName(at.name), uid, gid, AT_SYMLINK_NOFOLLOW), 'fchownat')
      else pathCalls.lchown(at, uid, gid)
    },
    chmod: (at, mode) => {
      if (pinned(at)) check(c, c.fchmodat(at.fd, cName(at.name), mode, 0), 'fchmodat')
      else pathCalls.chmod(at, mode)
    },
    lutimes: (at, mtimeMs) => {
      if (!pinned(at)) return pathCalls.lutimes(at, mtimeMs)
      check(c, c.utimensat(at.fd, cName(at.name), timesOf(mtimeMs), AT_SYMLINK_NOFOLLOW), 'utimensat')
    },
    readlink: (at) => {
      if (!pinned(at)) return pathCalls.readlink(at)
      const n = check(c, c.readlinkat(at.fd, cName(at.name), linkBuf, linkBuf.length), 'readlinkat')
      return Buffer.from(linkBuf.subarray(0, n))
    },
    // getdents64 on the directory opened from its pinned parent: no /proc path for the kernel to walk
    readdir: (at) => {
      if (!pinned(at)) return pathCalls.readdir(at)
      const fd = check(c, c.openat(at.fd, cName(at.name), READ_DIR, 0), 'openat')
      try {
        const names: Buffer[] = []
        for (;;) {
          const n = check(c, c.getdents64(fd, dentBuf, dentBuf.length), 'getdents64')
          if (n === 0) return names
          direntNames(dentBuf, n, names)
        }
      } finally {
        c.close(fd)
      }
    },
    mknod: async (at, type, rdev) => {
      if (!pinned(at)) return pathCalls.mknod(at, type, rdev)
      check(c, c.mknodat(at.fd, cName(at.name), S_IF[type] | 0o600, rdev), 'mknodat')
    },
    writeAll: (fd, bytes) => {
      for (let off = 0; off < bytes.length; )
        off += check(c, c.write(fd, off === 0 ? bytes : bytes.subarray(off), bytes.length - off), 'write')
    },
    fchown: (fd, uid, gid) => check(c, c.fchown(fd, uid, gid), 'fchown'),
    fchmod: (fd, mode) => check(c, c.fchmod(fd, mode), 'fchmod'),
    futimes: (fd, mtimeMs) => check(c, c.futimens(fd, timesOf(mtimeMs)), 'futimens'),
    close: (fd) => check(c, c.close(fd), 'close'),
  }
}
