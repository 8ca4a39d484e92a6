/**
 * Node's errno codes -> the core's FsCode. Inside this folder failures are thrown as
 * `FsFail` or as Node's own errors; `toStorageError` turns both into an `Io` value at the
 * FileTree boundary, naming the path the caller gave.
 */
import { err, type FsCode, type StorageError } from '@stratum/core'

export class FsFail extends Error {
  constructor(readonly code: FsCode, message: string) {
    super(message)
  }
}

export const fail = (code: FsCode, message: string = code): never => {
  throw new FsFail(code, message)
}

const PASS_THROUGH: readonly FsCode[] = [
  'ENOENT', 'EEXIST', 'ENOTDIR', 'EISDIR', 'ENOTEMPTY', 'ELOOP', 'EINVAL', 'EROFS', 'EPERM', 'EXDEV', 'ENODATA',
]

const MAPPED: Readonly<Record<string, FsCode>> = {
  EACCES: 'EPERM',
  ENAMETOOLONG: 'EINVAL',
  EBUSY: 'EINVAL',
  ERR_INVALID_ARG_VALUE: 'EINVAL', // a path with a NUL byte
  ERR_INVALID_ARG_TYPE: 'EINVAL',
}

export const fsCodeOf = (code: unknown): FsCode => {
  if (typeof code !== 'string') return 'EIO'
  if ((PASS_THROUGH as readonly string[]).includes(code)) return code as FsCode
  return MAPPED[code] ?? 'EIO'
}

export const toStorageError = (path: string) => (e: unknown): StorageError => {
  if (e instanceof FsFail) return err('Io', { code: e.code, path, message: e.message })
  const code = (e as { code?: unknown } | null)?.code
  const message = e instanceof Error ? e.message : String(e)
  return err('Io', { code: fsCodeOf(code), path, message, cause: e })
}
