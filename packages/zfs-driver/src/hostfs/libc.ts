/**
 * The C library's *at calls (openat, mkdirat, statx, ...) through `koffi` (an N-API FFI with
 * prebuilt binaries per platform), loaded once, lazily, on Linux with glibc. They act on a name
 * relative to a pinned directory descriptor, where Node's calls need a `/proc/<pid>/fd/<n>/<name>`
 * path (a magic-link lookup per call); copy_file_range, which copies a file in the kernel; and getdents64, which lists a directory opened from its pinned parent. Where it does not load (another platform, musl, a failed
 * install) `libc()` is undefined and hostfs keeps to Node's calls (host-calls.ts).
 *
 * Each call answers -1 and sets errno on failure: `check` throws it as an Error whose `code` is
 * the errno name, the form Node's own errors have, so errno.ts maps both alike.
 */
import { createRequire } from 'node:module'
import { errnoName } from './errno.js'
import { loadOnce } from './load-once.js'

type Fn = (...args: unknown[]) => number

/** The calls hostfs makes through the binding (names as strings or NUL-terminated Buffers). */
export interface Libc {
  readonly openat: Fn
  readonly mkdirat: Fn
  readonly mknodat: Fn
  readonly symlinkat: Fn
  readonly linkat: Fn
  readonly renameat: Fn
  readonly unlinkat: Fn
  readonly fchownat: Fn
  readonly fchmodat: Fn
  readonly utimensat: Fn
  readonly readlinkat: Fn
  readonly statx: Fn
  readonly copy_file_range: Fn
  readonly getdents64: Fn
  readonly write: Fn
  readonly fchown: Fn
  readonly fchmod: Fn
  readonly futimens: Fn
  readonly close: Fn
  /** errno of the last failed call */
  readonly errno: () => number
}

/** The C declarations bound (the writer thread binds some of them too). */
export const SIGNATURES = {
  openat: 'int openat(int dirfd, const char *path, int flags, uint32_t mode)',
  mkdirat: 'int mkdirat(int dirfd, const char *path, uint32_t mode)',
  mknodat: 'int mknodat(int dirfd, const char *path, uint32_t mode, uint64_t dev)',
  symlinkat: 'int symlinkat(const char *target, int dirfd, const char *path)',
  linkat: 'int linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags)',
  renameat: 'int renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)',
  unlinkat: 'int unlinkat(int dirfd, const char *path, int flags)',
  fchownat: 'int fchownat(int dirfd, const char *path, int uid, int gid, int flags)',
  fchmodat: 'int fchmodat(int dirfd, const char *path, uint32_t mode, int flags)',
  utimensat: 'int utimensat(int dirfd, const char *path, const uint8_t *times, int flags)',
  readlinkat: 'intptr_t readlinkat(int dirfd, const char *path, _Out_ uint8_t *buf, size_t size)',
  statx: 'int statx(int dirfd, const char *path, int flags, uint32_t mask, _Out_ uint8_t *buf)',
  copy_file_range:
    'intptr_t copy_file_range(int fd_in, void *off_in, int fd_out, void *off_out, size_t len, unsigned int flags)',
  getdents64: 'intptr_t getdents64(int fd, _Out_ uint8_t *buf, size_t count)',
  write: 'intptr_t write(int fd, const uint8_t *buf, size_t count)',
  fchown: 'int fchown(int fd, int uid, int gid)',
  fchmod: 'int fchmod(int fd, uint32_t mode)',
  futimens: 'int futimens(int fd, const uint8_t *times)',
  close: 'int close(int fd)',
} as const

const load = loadOnce((): Libc => {
  if (process.platform !== 'linux') throw new Error(`the *at calls are bound on Linux only, not ${process.platform}`)
  const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi')
  const lib = koffi.load('libc.so.6')
  const fns = Object.fromEntries(
    Object.entries(SIGNATURES).map(([name, sig]) => [name, lib.func(sig) as unknown as Fn]),
  ) as Record<keyof typeof SIGNATURES, Fn>
  return { ...fns, errno: () => koffi.errno() }
})

/** The binding, or undefined where it cannot load. */
export const libc = (): Libc | undefined => load().value

/** Whether host file trees can make their calls through the C library's *at calls (their `native` option). */
export const libcSupport = (): boolean => load().value !== undefined

/** Why the binding did not load ('' when it did). */
export const libcUnsupportedReason = (): string => load().reason

/** `r` when the call succeeded; else throws its errno as a Node-style error (`code`: the errno name). */
export const check = (l: Libc, r: number, call: string): number => {
  if (r >= 0) return r
  throw callError(l.errno(), call)
}

/** The failure of `call` with errno `n`, in the form of Node's own errors (`code`: the errno name, EIO when unknown). */
export const callError = (n: number, call: string): Error => {
  const code = errnoName(n) ?? 'EIO'
  return Object.assign(new Error(`${code}: ${call} failed (errno ${n})`), { code, errno: -n, syscall: call })
}
