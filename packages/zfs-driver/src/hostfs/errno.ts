/**
 * Node's errno codes -> the core's FsCode (core's one table, ENOSPC kept). Inside this folder failures are thrown as
 * `FsFail` or as Node's own errors; `toStorageError` turns both into an `Io` value at the
 * FileTree boundary, naming the path the caller gave.
 */
import { constants } from 'node:os'
import { err, type FsCode, fsCodeOf, type StorageError } from '@stratum/core'

export class FsFail extends Error {
  constructor(
    readonly code: FsCode,
    message: string,
  ) {
    super(message)
  }
}

export const fail = (code: FsCode, message: string = code): never => {
  throw new FsFail(code, message)
}

export { fsCodeOf }

const names = new Map<number, string>(Object.entries(constants.errno).map(([k, v]) => [v, k]))

/** The name of errno `n` (61 -> 'ENODATA' on Linux), else undefined. */
export const errnoName = (n: number): string | undefined => names.get(n)

export const toStorageError =
  (path: string) =>
  (e: unknown): StorageError => {
    if (e instanceof FsFail) return err('Io', { code: e.code, path, message: e.message })
    const code = (e as { code?: unknown } | null)?.code
    const message = e instanceof Error ? e.message : String(e)
    return err('Io', { code: fsCodeOf(code), path, message, cause: e })
  }
