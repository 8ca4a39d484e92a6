/**
 * EDQUOT from a write on a mounted dataset as the algebra's QuotaExceeded: the tree's failures
 * keep Node's error as `cause`, and only on such a failure the dataset's native properties
 * (and its ancestors', for a quota) are read to name the property and its limit.
 */
import { constants } from 'node:os'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { pipe } from 'fp-ts/lib/function.js'
import { err, parentOf, type DatasetName, type FileTree, type NativeProperties, type StorageError } from '@stratum/core'

type GetNative = (name: DatasetName) => TE.TaskEither<StorageError, NativeProperties>

// libuv has no name for EDQUOT: Node reports code 'UNKNOWN' with errno -EDQUOT (122 on Linux, 69 on FreeBSD)
const EDQUOT = constants.errno.EDQUOT

const isEdquot = (e: StorageError): e is StorageError & { readonly _tag: 'Io' } => {
  if (e._tag !== 'Io') return false
  const cause = e.cause as { code?: unknown; errno?: unknown } | undefined
  return cause?.code === 'EDQUOT' || (EDQUOT !== undefined && cause?.errno === -EDQUOT)
}

/** The refquota of `name`, else the nearest quota along its ancestors; the Io error as it was when none is set. */
const quotaError = (getNative: GetNative, name: DatasetName, io: StorageError & { readonly _tag: 'Io' }) => {
  const walk = (ds: DatasetName, own: boolean): TE.TaskEither<StorageError, StorageError> =>
    pipe(
      getNative(ds),
      TE.flatMap((n): TE.TaskEither<StorageError, StorageError> => {
        if (own && n.refquota !== null)
          return TE.right(err('QuotaExceeded', { name: ds, property: 'refquota', limit: n.refquota, path: io.path }))
        if (n.quota !== null)
          return TE.right(err('QuotaExceeded', { name: ds, property: 'quota', limit: n.quota, path: io.path }))
        const up = parentOf(ds)
        return up === undefined ? TE.right(io) : walk(up, false)
      }),
    )
  return pipe(
    walk(name, true),
    TE.orElse(() => TE.right<StorageError, StorageError>(io)),
    TE.flatMap((e) => TE.left<StorageError, never>(e)),
  )
}

/** `tree` with every EDQUOT failure reported as QuotaExceeded naming the dataset whose limit it met. */
export const withQuotaErrors = (tree: FileTree, name: DatasetName, getNative: GetNative): FileTree => {
  const wrapped: Record<string, unknown> = { readOnly: tree.readOnly }
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v !== 'function') continue
    wrapped[k] = (...args: unknown[]) =>
      pipe(
        (v as (...a: unknown[]) => TE.TaskEither<StorageError, unknown>).apply(tree, args),
        TE.orElse((e) => (isEdquot(e) ? quotaError(getNative, name, e) : TE.left(e))),
      )
  }
  return wrapped as unknown as FileTree
}
