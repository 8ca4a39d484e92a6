/**
 * rename of datasets (children and snapshots follow; clones refer to origins by identity, so
 * their origin names follow too) and of snapshots (within one dataset).
 * Checks follow libzfs zfs_rename: same name first (no-op), then check_parents, same pool,
 * not into its own subtree, and the kernel's "exists" naming the source.
 */
import * as E from 'fp-ts/lib/Either.js'
import { err, type DatasetName, type SnapshotName, type StorageError } from '@stratum/core'
import { checkParents, createAncestors } from './namespace.js'
import { descendants, dsByName, poolOfName, snapByName, splitSnap, type State } from './state.js'

export const renameDataset = (
  st: State,
  from: DatasetName,
  to: DatasetName,
  parents: boolean,
): E.Either<StorageError, void> => {
  const src = dsByName(st, from)
  if (src === undefined) return E.left(err('DatasetNotFound', { name: from }))
  if (from === to) return E.right(undefined)
  // zfs rename -p creates the target's ancestors before it checks anything else
  if (parents && st.pools.includes(poolOfName(to)) && to.includes('/')) createAncestors(st, to)
  const bad = checkParents(st, to, false)
  if (E.isLeft(bad)) return bad
  if (poolOfName(from) !== poolOfName(to)) {
    return E.left(err('InvalidName', { name: to, reason: 'datasets must be within same pool' }))
  }
  if (to.startsWith(`${from}/`)) {
    return E.left(
      err('InvalidName', { name: to, reason: 'New dataset name cannot be a descendant of current dataset name' }),
    )
  }
  if (dsByName(st, to) !== undefined) return E.left(err('DatasetExists', { name: from }))
  const moving = [src, ...descendants(st, from)]
  for (const d of moving) st.byName.delete(d.name)
  for (const d of moving) {
    d.name = `${to}${d.name.slice(from.length)}`
    st.byName.set(d.name, d.guid)
  }
  return E.right(undefined)
}

export const renameSnapshot = (st: State, from: SnapshotName, to: SnapshotName): E.Either<StorageError, void> => {
  const [fromDs] = splitSnap(from)
  const snap = snapByName(st, from)
  if (snap === undefined) return E.left(err('DatasetNotFound', { name: from }))
  if (from === to) return E.right(undefined)
  const [toDs, toShort] = splitSnap(to)
  if (toDs !== fromDs) return E.left(err('InvalidName', { name: to, reason: 'snapshots must be part of same dataset' }))
  if (snapByName(st, to) !== undefined) return E.left(err('DatasetExists', { name: from }))
  snap.short = toShort
  return E.right(undefined)
}
