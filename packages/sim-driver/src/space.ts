/**
 * Space, modelled at file-content granularity (no metadata, no compression): referenced is
 * the bytes of a dataset's regular files; a content is shared while a snapshot, clone or
 * origin still holds the same bytes (the same znode content), as ZFS shares blocks. The
 * simulated pool holds SIM_POOL_BYTES.
 */
import type { SpaceInfo } from '@stratum/core'
import * as H from './hamt.js'
import { sameStored } from './lazy.js'
import { emptyObjSet, type ObjSet, type Znode } from './objset.js'
import { quotasOf } from './native.js'
import { childrenOf, dsByName, snapsOf, type DatasetRec, type State } from './state.js'

export const SIM_POOL_BYTES = 2 ** 40

const EMPTY: ObjSet = emptyObjSet({ obj: () => 0, gen: () => 0, now: () => 0 })

const sameContent = (a: Znode | undefined, b: Znode): boolean =>
  a !== undefined &&
  a.type === 'F' &&
  (a.content === b.content || (a.content !== null && b.content !== null && sameStored(a.content, b.content)))

/** Bytes of the regular files of `os`. */
export const referencedOf = (os: ObjSet): number => {
  let n = 0
  for (const [, z] of H.entries(os.objects)) if (z.type === 'F') n += z.size
  return n
}

/** The contents of `os` not shared with `base`, added to `into` (by content, once each). */
const uniqueAgainst = (base: ObjSet, os: ObjSet, into: Map<unknown, number>): void =>
  H.diffMaps(base.objects, os.objects, (_k, from, to) => {
    if (to !== undefined && to.type === 'F' && to.size > 0 && !sameContent(from, to))
      into.set(to.content ?? to, to.size)
  })

const sum = (m: Map<unknown, number>): number => [...m.values()].reduce((a, b) => a + b, 0)

const originOs = (st: State, d: DatasetRec): ObjSet =>
  d.origin === null ? EMPTY : (st.snaps.get(d.origin)?.objset ?? EMPTY)

/** Each dataset's `used`, computed once per reading of one state (a listing asks for the pool's once, not per row). */
export type UsedMemo = Map<DatasetRec, number>

/** What the dataset, its snapshots and its descendants hold that its origin does not. */
export const usedOf = (st: State, d: DatasetRec, memo: UsedMemo = new Map()): number => {
  const known = memo.get(d)
  if (known !== undefined) return known
  const base = originOs(st, d)
  const own = new Map<unknown, number>()
  for (const os of [...snapsOf(st, d).map((s) => s.objset), d.objset]) uniqueAgainst(base, os, own)
  const used = sum(own) + childrenOf(st, d.name).reduce((n, c) => n + usedOf(st, c, memo), 0)
  memo.set(d, used)
  return used
}

/** Bytes the current files hold that the latest snapshot (none: the origin) does not. */
export const writtenOf = (st: State, d: DatasetRec): number => {
  const snaps = snapsOf(st, d)
  const base = snaps.length > 0 ? snaps[snaps.length - 1]!.objset : originOs(st, d)
  const m = new Map<unknown, number>()
  uniqueAgainst(base, d.objset, m)
  return sum(m)
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
