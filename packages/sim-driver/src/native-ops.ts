/** The simulator's native properties, space and mounts as Driver calls (no host paths: Unsupported). */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { err, type Driver, type StorageError } from '@stratum/core'
import { applyNative, checkNative, mount, mountpointOf, nativeOf, unmount } from './native.js'
import { spaceOf, type UsedMemo } from './space.js'
import { asDatasetName, descendants, dsByName, type DatasetRec, type State } from './state.js'

type Query = <A>(f: (st: State) => E.Either<StorageError, A>) => TE.TaskEither<StorageError, A>

/** fs of a filesystem that is not mounted (the zfs driver's text). */
export const notMounted = (st: State, name: string, d: DatasetRec): StorageError =>
  err('Io', { code: 'EIO', path: name, message: `'${name}' is not mounted (mountpoint ${mountpointOf(st, d)})` })

const withDs =
  <A>(name: string, f: (st: State, d: DatasetRec) => E.Either<StorageError, A>) =>
  (st: State): E.Either<StorageError, A> => {
    const d = dsByName(st, name)
    return d === undefined ? E.left(err('DatasetNotFound', { name })) : f(st, d)
  }

export const nativeOps = (
  q: Query,
  mutate: (f: (st: State) => E.Either<StorageError, void>) => TE.TaskEither<StorageError, void>,
): Pick<Driver, 'getNative' | 'setNative' | 'space' | 'spaceTree' | 'mount' | 'unmount' | 'hostPath'> => {
  return {
    getNative: (name) => q(withDs(name, (st, d) => E.right(nativeOf(st, d)))),
    setNative: (name, n) => mutate(withDs(name, (st, d) => E.map(() => applyNative(st, d, n))(checkNative(name, n)))),
    space: (name) => q(withDs(name, (st, d) => E.right(spaceOf(st, d)))),
    spaceTree: (root) =>
      q(
        withDs(root, (st, d) => {
          const memo: UsedMemo = new Map()
          return E.right(new Map([d, ...descendants(st, root)].map((x) => [asDatasetName(x), spaceOf(st, x, memo)])))
        }),
      ),
    mount: (name) => mutate(withDs(name, mount)),
    unmount: (name) => mutate(withDs(name, unmount)),
    hostPath: (name) =>
      q(
        withDs(name, () =>
          E.left(err('Unsupported', { what: `host path of '${name}': the simulator keeps files in memory` })),
        ),
      ),
  }
}
