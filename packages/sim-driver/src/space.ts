/**
 * Space, modelled at file-content granularity (no metadata, no compression): referenced is
 * the bytes of a dataset's regular files; a content is shared while a snapshot, clone or
 * origin still holds the same bytes (the same znode content), as ZFS shares blocks. The
 * simulated pool holds SIM_POOL_BYTES.
 *
 * A content is made by one write of one object and never moves to another object number, so
 * along a dataset's history (its origin, its snapshots in order, its files) each content is
 * held by one unbroken run of them. What the history holds that the origin does not is then
 * the sum of what each member adds to the one before: each snapshot keeps that figure (its
 * `written`, as ZFS's), and the object maps' nodes keep their files' byte totals, so every
 * figure costs what changed, not the number of files (docs/sim-store.md).
 */
import type { SpaceInfo } from '@stratum/core'
import * as H from './hamt.js'
import { sameStored } from './lazy.js'
import { emptyObjSet, fileBytes, type ObjSet, type Znode } from './objset.js'
import { quotasOf } from './native.js'
import { childrenOf, dsByName, snapsOf, type DatasetRec, type SnapRec, type State } from './state.js'

export const SIM_POOL_BYTES = 2 ** 40

const EMPTY: ObjSet = emptyObjSet({ obj: () => 0, gen: () => 0, now: () => 0 })

const sameContent = (a: Znode | undefined, b: Znode): boolean =>
  a !== undefined &&
  a.type === 'F' &&
  (a.content === b.content || (a.content !== null && b.content !== null && sameStored(a.content, b.content)))

/** Bytes of the regular files of `os`. */
export const referencedOf = (os: ObjSet): number => H.weight(os.objects.root, fileBytes)

/** Bytes of the contents of `os` that `base` does not hold. */
const bytesNotIn = (base: ObjSet, os: ObjSet): number => H.weighDiff(base.objects, os.objects, fileBytes, sameContent)

const originOs = (st: State, d: DatasetRec): ObjSet =>
  d.origin === null ? EMPTY : (st.snaps.get(d.origin)?.objset ?? EMPTY)

/** The snapshot before `s` in its dataset's history (its origin for the first), as [guid or 0, object set]. */
const predecessorOf = (st: State, s: SnapRec): [number, ObjSet] => {
  const d = st.datasets.get(s.ds)!
  const i = d.snaps.indexOf(s.guid)
  const g = i > 0 ? d.snaps[i - 1]! : (d.origin ?? 0)
  return [g, st.snaps.get(g)?.objset ?? EMPTY]
}

/** Bytes `s` holds that its predecessor does not: computed again only when its predecessor changed (a destroy). */
export const snapWritten = (st: State, s: SnapRec): NonNullable<SnapRec['written']> => {
  const [over, base] = predecessorOf(st, s)
  if (s.written?.over !== over) s.written = { over, bytes: bytesNotIn(base, s.objset) }
  return s.written
}

/** Each dataset's `used`, computed once per reading of one state (a listing asks for the pool's once, not per row). */
export type UsedMemo = Map<DatasetRec, number>

/** Bytes the current files hold that the latest snapshot (none: the origin) does not. */
export const writtenOf = (st: State, d: DatasetRec): number => {
  const snaps = snapsOf(st, d)
  return bytesNotIn(snaps.length > 0 ? snaps[snaps.length - 1]!.objset : originOs(st, d), d.objset)
}

/** What the dataset, its snapshots and its descendants hold that its origin does not. */
export const usedOf = (st: State, d: DatasetRec, memo: UsedMemo = new Map()): number => {
  const known = memo.get(d)
  if (known !== undefined) return known
  const own = snapsOf(st, d).reduce((n, s) => n + snapWritten(st, s).bytes, writtenOf(st, d))
  const used = own + childrenOf(st, d.name).reduce((n, c) => n + usedOf(st, c, memo), 0)
  memo.set(d, used)
  return used
}

/** The pool's free space, cut by the refquota of `d` and the quota of `d` and each ancestor. */
export const availableOf = (st: State, d: DatasetRec, memo: UsedMemo = new Map()): number => {
  const pool = dsByName(st, d.name.split('/')[0]!)!
  let avail = SIM_POOL_BYTES - usedOf(st, pool, memo)
  const { refquota } = quotasOf(d)
  if (refquota !== null) avail = Math.min(avail, refquota - referencedOf(d.objset))
  for (let cur: DatasetRec | undefined = d; cur !== undefined; ) {
    const { quota } = quotasOf(cur)
    if (quota !== null) avail = Math.min(avail, quota - usedOf(st, cur, memo))
    const at = cur.name.lastIndexOf('/')
    cur = at < 0 ? undefined : dsByName(st, cur.name.slice(0, at))
  }
  return Math.max(0, avail)
}

/** The space of `d`; `memo` shares the datasets' `used` between the rows of one listing. */
export const spaceOf = (st: State, d: DatasetRec, memo: UsedMemo = new Map()): SpaceInfo => ({
  used: usedOf(st, d, memo),
  referenced: referencedOf(d.objset),
  written: writtenOf(st, d),
  available: availableOf(st, d, memo),
})
