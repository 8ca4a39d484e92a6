/**
 * The simulator's whole state: plain records in Maps, so `v8.serialize` saves it with its
 * sharing intact. Datasets and snapshots are records with stable ids (guids); names live
 * only on the records, so renames and promotes move names, never identities, and clones
 * refer to their origin by guid (origins follow renames for free).
 */
import type { DatasetName, SnapshotName } from '@stratum/core'
import { compareBytes } from '@stratum/core/internal'
import { emptyObjSet, type Alloc, type ObjSet } from './objset.js'

export interface DatasetRec {
  readonly guid: number
  name: string
  objset: ObjSet
  /** guid of the origin snapshot, for a clone */
  origin: number | null
  /** local user properties */
  props: Map<string, string>
  /** guids of this dataset's snapshots, in creation (txg) order */
  snaps: number[]
}

export interface SnapRec {
  readonly guid: number
  /** guid of the dataset holding it (changes on promote) */
  ds: number
  short: string
  readonly objset: ObjSet
  props: Map<string, string>
  /** creation order, global like a txg */
  readonly txg: number
  /** bytes it holds that its predecessor (guid `over`; 0: none) does not, once computed (space.ts) */
  written?: { readonly over: number; readonly bytes: number }
}

export interface State {
  readonly version: 1
  readonly pools: string[]
  readonly datasets: Map<number, DatasetRec>
  readonly snaps: Map<number, SnapRec>
  /** dataset name -> guid */
  readonly byName: Map<string, number>
  nextGuid: number
  nextObj: number
  txg: number
}

export const allocOf = (st: State): Alloc => ({
  obj: () => st.nextObj++,
  gen: () => ++st.txg,
  now: () => Date.now(),
})

export const newState = (pools: readonly string[]): State => {
  const st: State = {
    version: 1,
    pools: [...pools],
    datasets: new Map(),
    snaps: new Map(),
    byName: new Map(),
    nextGuid: 1,
    nextObj: 1,
    txg: 0,
  }
  for (const p of pools) addDataset(st, p, emptyObjSet(allocOf(st)), null)
  return st
}

export const addDataset = (st: State, name: string, objset: ObjSet, origin: number | null): DatasetRec => {
  const rec: DatasetRec = { guid: st.nextGuid++, name, objset, origin, props: new Map(), snaps: [] }
  st.datasets.set(rec.guid, rec)
  st.byName.set(name, rec.guid)
  return rec
}

export const dsByName = (st: State, name: string): DatasetRec | undefined => {
  const g = st.byName.get(name)
  return g === undefined ? undefined : st.datasets.get(g)
}

export const splitSnap = (name: string): [string, string] => {
  const at = name.indexOf('@')
  return [name.slice(0, at), name.slice(at + 1)]
}

export const snapByName = (st: State, name: string): SnapRec | undefined => {
  const [dsName, short] = splitSnap(name)
  const ds = dsByName(st, dsName)
  if (ds === undefined) return undefined
  for (const g of ds.snaps) {
    const s = st.snaps.get(g)!
    if (s.short === short) return s
  }
  return undefined
}

export const snapFullName = (st: State, s: SnapRec): SnapshotName =>
  `${st.datasets.get(s.ds)!.name}@${s.short}` as SnapshotName

export const snapsOf = (st: State, ds: DatasetRec): SnapRec[] => ds.snaps.map((g) => st.snaps.get(g)!)

/** Byte order of names (core's one comparator). */
export const byteCmp = compareBytes

/** Datasets strictly below `name`, in byte order. */
export const descendants = (st: State, name: string): DatasetRec[] =>
  [...st.byName.keys()]
    .filter((n) => n.startsWith(`${name}/`))
    .sort(byteCmp)
    .map((n) => dsByName(st, n)!)

/** Direct children of `name`, in byte order. */
export const childrenOf = (st: State, name: string): DatasetRec[] =>
  descendants(st, name).filter((d) => !d.name.slice(name.length + 1).includes('/'))

/** Datasets whose origin is snapshot `snapGuid`, by name. */
export const clonesOf = (st: State, snapGuid: number): DatasetRec[] =>
  [...st.datasets.values()].filter((d) => d.origin === snapGuid).sort((a, b) => byteCmp(a.name, b.name))

export const poolOfName = (name: string): string => name.split(/[/@]/)[0]!

export const asDatasetName = (d: DatasetRec): DatasetName => d.name as DatasetName
