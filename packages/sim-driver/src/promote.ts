/**
 * promote: the origin dataset's snapshots up to and including the clone's origin move to
 * the clone with their names; the clone takes over the origin dataset's origin and the origin
 * dataset becomes a clone of the moved snapshot. Clones of moved snapshots keep them as
 * origin (they refer to snapshots by identity, so their origin names follow).
 */
import * as E from 'fp-ts/lib/Either.js'
import { err, type DatasetName, type StorageError } from '@stratum/core'
import { dsByName, snapFullName, snapsOf, type State } from './state.js'

export const promote = (st: State, name: DatasetName): E.Either<StorageError, void> => {
  const clone = dsByName(st, name)
  if (clone === undefined) return E.left(err('DatasetNotFound', { name }))
  if (clone.origin === null) return E.left(err('NotAClone', { name }))
  const origin = st.snaps.get(clone.origin)!
  const originDs = st.datasets.get(origin.ds)!
  const moving = snapsOf(st, originDs).filter((s) => s.txg <= origin.txg)
  const have = new Set(snapsOf(st, clone).map((s) => s.short))
  // zfs checks from the origin backwards and reports the first conflict it meets
  for (const s of [...moving].reverse()) {
    if (have.has(s.short)) {
      return E.left(err('SnapshotNameConflict', { name, snapshot: s.short, origin: snapFullName(st, origin) }))
    }
  }
  const moved = new Set(moving.map((s) => s.guid))
  originDs.snaps = originDs.snaps.filter((g) => !moved.has(g))
  for (const s of moving) s.ds = clone.guid
  clone.snaps = [...moving.map((s) => s.guid), ...clone.snaps]
  clone.origin = originDs.origin
  originDs.origin = origin.guid
  return E.right(undefined)
}
