/**
 * Node's errno codes as the core's FsCode, one table for every host-file caller (drivers,
 * layouts, the CLI): a failure is an `Io` error with the code and the path the caller named.
 */
import { err, type FsCode, type StorageError } from '../errors.js'

const PASS_THROUGH: readonly FsCode[] = [
  'ENOENT',
  'EEXIST',
  'ENOTDIR',
  'EISDIR',
  'ENOTEMPTY',
  'ELOOP',
  'EINVAL',
  'EROFS',
  'EPERM',
  'EXDEV',
  'ENODATA',
  'ENOSPC',
]

const MAPPED: Readonly<Record<string, FsCode>> = {
  EACCES: 'EPERM',
  EDQUOT: 'ENOSPC', // a quota (zfs quota/refquota) is full
  EMLINK: 'ELOOP', // FreeBSD's answer to O_NOFOLLOW on a symlink
  ENAMETOOLONG: 'EINVAL',
  EBUSY: 'EINVAL',
  ERR_INVALID_ARG_VALUE: 'EINVAL', // a path with a NUL byte
  ERR_INVALID_ARG_TYPE: 'EINVAL',
}

/** The `FsCode` for a Node error code (EIO for anything unknown). */
export const fsCodeOf = (code: unknown): FsCode => {
  if (typeof code !== 'string') return 'EIO'
  if ((PASS_THROUGH as readonly string[]).includes(code)) return code as FsCode
  return MAPPED[code] ?? 'EIO'
}

/** A Node failure as `Io` naming `path`. */
export const hostIoError =
  (path: string) =>
  (e: unknown): StorageError =>
    err('Io', {
      code: fsCodeOf((e as { code?: unknown } | null)?.code),
      path,
      message: e instanceof Error ? e.message : String(e),
      cause: e,
    })

/** Throws a Node-style error with `code` (for checks made inside a host-file operation). */
export const hostFail = (code: FsCode, message: string): never => {
  throw Object.assign(new Error(message), { code })
}
