/**
 * The zfs driver's native properties, space and mounts: one zfs command each (space: a
 * `zpool sync` first, as used and referenced settle only when the txg syncs).
 */
import * as TE from 'fp-ts/lib/TaskEither.js'
import { pipe } from 'fp-ts/lib/function.js'
import { err, settableProblem, type DatasetName, type Driver, type StorageError } from '@stratum/core'
import type { GetRow } from './parse/get.js'
import { parseNative, parseSpace, parseSpaceTree } from './parse/native.js'
import { zfsArgs } from './zfs/argv.js'
import type { Runner } from './zfs/run.js'

export type NativeOps = Pick<
  Driver,
  'getNative' | 'setNative' | 'space' | 'spaceTree' | 'mount' | 'unmount' | 'hostPath'
>

/** An `Io` error whose zfs stderr says `what` (messages no rule maps: errors.ts). */
const says = (e: StorageError, what: RegExp): boolean => e._tag === 'Io' && what.test(e.message)

export const checkSettable = (name: DatasetName, n: object): TE.TaskEither<StorageError, void> => {
  const p = settableProblem(n)
  return p === undefined ? TE.right(undefined) : TE.left(err('InvalidName', { name, reason: p }))
}

export const nativeOps = (
  run: Runner,
  zpool: Runner,
  getRows: (args: string[], subject: string) => TE.TaskEither<StorageError, GetRow[]>,
): NativeOps => {
  const unit = TE.map((): void => undefined)
  const getNative: Driver['getNative'] = (name) =>
    pipe(
      getRows(zfsArgs.getNative(name), name),
      TE.flatMapEither((rows) => parseNative(name, rows)),
    )
  return {
    getNative,
    setNative: (name, n) =>
      pipe(
        checkSettable(name, n),
        TE.flatMap(() =>
          Object.keys(n).length === 0 ? TE.right(undefined) : pipe(run(zfsArgs.setNative(name, n), name), unit),
        ),
      ),
    space: (name) =>
      pipe(
        zpool(zfsArgs.sync(name.split('/')[0]!), name),
        TE.flatMap(() => getRows(zfsArgs.space(name), name)),
        TE.flatMapEither((rows) => parseSpace(name, rows)),
      ),
    spaceTree: (root) =>
      pipe(
        zpool(zfsArgs.sync(root.split('/')[0]!), root),
        TE.flatMap(() => getRows(zfsArgs.spaceTree(root), root)),
        TE.flatMapEither((rows) => parseSpaceTree(root, rows)),
      ),
    mount: (name) =>
      pipe(
        run(zfsArgs.mount(name), name),
        unit,
        TE.orElse((e) => (says(e, /: filesystem already mounted$/m) ? TE.right(undefined) : TE.left(e))),
      ),
    unmount: (name) =>
      pipe(
        run(zfsArgs.unmount(name), name),
        unit,
        TE.orElse((e) => (says(e, /: not currently mounted$/m) ? TE.right(undefined) : TE.left(e))),
      ),
    hostPath: (name) =>
      pipe(
        getNative(name),
        TE.flatMap(({ mountpoint, mounted }) =>
          mounted && mountpoint.startsWith('/')
            ? TE.right(mountpoint)
            : TE.left(
                err('Io', { code: 'EIO', path: name, message: `'${name}' is not mounted (mountpoint ${mountpoint})` }),
              ),
        ),
      ),
  }
}
