/**
 * zfs diff: which snapshot pairs are valid (dsl_dataset_is_before), and the records, found by
 * walking the two object sets together and skipping shared subtrees (O(changes)), each
 * changed object classified as libzfs_diff.c write_inuse_diffs_one does.
 */
import * as E from 'fp-ts/lib/Either.js'
import { err, type AnyName, type DiffRecord, type SnapshotName, type StorageError } from '@stratum/core'
import { diffMaps } from './hamt.js'
import { pathOf, type ObjSet, type Znode } from './objset.js'
import { findTarget, type Target } from './props.js'
import { dsByName, splitSnap, type SnapRec, type State } from './state.js'

const NOT_EARLIER = 'not an earlier snapshot from the same fs'

/**
 * dsl_dataset_is_before: `earlier` is an earlier snapshot of `later`'s dataset (strictly
 * earlier: a snapshot is not before itself), or at or before an origin in its origin chain.
 */
const isBefore = (st: State, later: Target, earlier: SnapRec): boolean => {
  let cur: Target = later
  for (;;) {
    if (cur.kind === 'snap' && earlier.txg >= cur.rec.txg) return false
    const dsGuid = cur.kind === 'snap' ? cur.rec.ds : cur.rec.guid
    if (dsGuid === earlier.ds) return true
    const ds = st.datasets.get(dsGuid)!
    if (ds.origin === null) return false
    if (ds.origin === earlier.guid) return true
    cur = { kind: 'snap', rec: st.snaps.get(ds.origin)! }
  }
}

/**
 * The records of one changed object (write_inuse_diffs_one). A side where the object does not
 * exist, or where its path cannot be found (ENOENT from zfs_obj_to_path, tolerated by libzfs),
 * counts as absent; link counts still come from whatever stats exist.
 */
const classify = (from: ObjSet, to: ObjSet, f: Znode | undefined, t: Znode | undefined, out: DiffRecord[]): void => {
  const fLinks = f?.nlink ?? 0
  const tLinks = t?.nlink ?? 0
  const change = f?.type === '/' || t?.type === '/' || fLinks === 0 || tLinks === 0 ? 0 : tLinks - fLinks
  const fp = f === undefined ? undefined : pathOf(from, f)
  const tp = t === undefined ? undefined : pathOf(to, t)
  if (fp === undefined && tp === undefined) return
  if (fp === undefined) {
    out.push(
      change !== 0
        ? { change: 'M', type: t!.type, path: tp!, linkDelta: change }
        : { change: '+', type: t!.type, path: tp! },
    )
    return
  }
  if (tp === undefined) {
    out.push(
      change !== 0
        ? { change: 'M', type: f!.type, path: fp, linkDelta: change }
        : { change: '-', type: f!.type, path: fp },
    )
    return
  }
  if (f!.gen !== t!.gen || f!.type !== t!.type) {
    out.push({ change: '-', type: f!.type, path: fp }, { change: '+', type: t!.type, path: tp })
    return
  }
  if (change !== 0) out.push({ change: 'M', type: t!.type, path: change > 0 ? fp : tp, linkDelta: change })
  else if (fp === tp) out.push({ change: 'M', type: t!.type, path: fp })
  else out.push({ change: 'R', type: t!.type, path: fp, newPath: tp })
}

/** The diff between two object sets of one lineage (unsorted). */
export const diffObjSets = (from: ObjSet, to: ObjSet): DiffRecord[] => {
  const out: DiffRecord[] = []
  diffMaps(from.objects, to.objects, (_obj, f, t) => classify(from, to, f, t, out))
  return out
}

export const diff = (st: State, from: SnapshotName, to: AnyName): E.Either<StorageError, readonly DiffRecord[]> => {
  const [fromDs] = splitSnap(from)
  if (dsByName(st, fromDs) === undefined) return E.left(err('DatasetNotFound', { name: fromDs }))
  const f = findTarget(st, from)
  if (E.isLeft(f)) return f
  const t = findTarget(st, to)
  if (E.isLeft(t)) return t
  const fromSnap = f.right.rec as SnapRec
  if (!isBefore(st, t.right, fromSnap)) return E.left(err('InvalidName', { name: from, reason: NOT_EARLIER }))
  return E.right(diffObjSets(fromSnap.objset, t.right.rec.objset))
}
