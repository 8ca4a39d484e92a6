/**
 * The namespace as records: a namespace record holds every dataset and snapshot (names,
 * origins, properties, the root of each object set) and the counters; a delta record names a
 * namespace record and the datasets whose object sets changed since, as file-tree calls make
 * them. Loading checks the namespace is consistent before anyone uses it (check.ts).
 */
import * as v8 from 'node:v8'
import { CorruptState, type Source } from '../lazy.js'
import type { ObjSet } from '../objset.js'
import { snapWritten } from '../space.js'
import type { DatasetRec, SnapRec, State } from '../state.js'
import { type Batch, type ObjSetRef, readObjSet, writeObjSet } from './codec.js'
import { checkState } from './check.js'
import { KIND } from './format.js'

type DsRow = [number, string, number | null, [string, string][], number[], ObjSetRef]
/** the last item, what the snapshot adds to its predecessor ([guid, bytes]), is missing from records written before it was kept */
type SnapRow = [number, number, string, [string, string][], number, ObjSetRef, [number, number]?]
interface NsRecord {
  pools: string[]
  ds: DsRow[]
  sn: SnapRow[]
  ng: number
  no: number
  tx: number
}
interface DeltaRecord {
  base: number
  over: [number, ObjSetRef][]
  ng: number
  no: number
  tx: number
}

const key = (r: ObjSetRef): string => r.join(':')

/** The object-set roots of a state's datasets, by guid (written first when new). */
export const datasetRoots = (b: Batch, st: State): Map<number, ObjSetRef> =>
  new Map([...st.datasets.values()].map((d) => [d.guid, writeObjSet(b, d.objset)]))

export const writeNamespace = (b: Batch, st: State): { off: number; roots: Map<number, ObjSetRef> } => {
  const roots = datasetRoots(b, st)
  const rec: NsRecord = {
    pools: st.pools,
    ds: [...st.datasets.values()].map((d) => [d.guid, d.name, d.origin, [...d.props], d.snaps, roots.get(d.guid)!]),
    sn: [...st.snaps.values()].map((s) => {
      const { over, bytes } = snapWritten(st, s)
      return [s.guid, s.ds, s.short, [...s.props], s.txg, writeObjSet(b, s.objset), [over, bytes]]
    }),
    ng: st.nextGuid,
    no: st.nextObj,
    tx: st.txg,
  }
  return { off: b.add(KIND.namespace, v8.serialize(rec)), roots }
}

/** A delta on namespace record `base` (whose roots were `baseRoots`), or undefined when too many datasets changed. */
export const writeDelta = (
  b: Batch,
  st: State,
  base: number,
  baseRoots: ReadonlyMap<number, ObjSetRef>,
): number | undefined => {
  const over = [...datasetRoots(b, st)].filter(
    ([g, r]) => baseRoots.get(g) === undefined || key(baseRoots.get(g)!) !== key(r),
  )
  if (over.length > 16 || over.some(([g]) => !baseRoots.has(g))) return undefined
  const rec: DeltaRecord = { base, over, ng: st.nextGuid, no: st.nextObj, tx: st.txg }
  return b.add(KIND.delta, v8.serialize(rec))
}

const parse = <A>(what: string, off: number, payload: Buffer): A => {
  try {
    return v8.deserialize(payload) as A
  } catch (e) {
    throw new CorruptState(`${what} at offset ${off}: ${String(e)}`)
  }
}

/** Object sets shared by several records (a snapshot and its clones) stay one object. */
const objsets = (src: Source) => {
  const seen = new Map<string, ObjSet>()
  return (r: ObjSetRef): ObjSet => {
    const k = key(r)
    let os = seen.get(k)
    if (os === undefined) {
      os = readObjSet(src, r)
      seen.set(k, os)
    }
    return os
  }
}

export interface Loaded {
  readonly st: State
  readonly base: number
  readonly baseRoots: Map<number, ObjSetRef>
}

export const readNamespace = (src: Source, off: number, payload: Buffer, deltaPayload?: Buffer): Loaded => {
  const ns = parse<NsRecord>('namespace record', off, payload)
  const delta = deltaPayload === undefined ? undefined : parse<DeltaRecord>('delta record', off, deltaPayload)
  if (!Array.isArray(ns?.ds) || !Array.isArray(ns.sn) || !Array.isArray(ns.pools))
    throw new CorruptState(`namespace record at offset ${off}: not a namespace`)
  const os = objsets(src)
  const over = new Map(delta?.over ?? [])
  const st: State = {
    version: 1,
    pools: ns.pools,
    datasets: new Map(),
    snaps: new Map(),
    byName: new Map(),
    nextGuid: delta?.ng ?? ns.ng,
    nextObj: delta?.no ?? ns.no,
    txg: delta?.tx ?? ns.tx,
  }
  const baseRoots = new Map<number, ObjSetRef>()
  for (const [guid, name, origin, props, snaps, root] of ns.ds) {
    baseRoots.set(guid, root)
    const rec: DatasetRec = { guid, name, origin, props: new Map(props), snaps, objset: os(over.get(guid) ?? root) }
    st.datasets.set(guid, rec)
    st.byName.set(name, guid)
  }
  for (const [guid, ds, short, props, txg, root, w] of ns.sn) {
    const rec: SnapRec = { guid, ds, short, props: new Map(props), txg, objset: os(root) }
    if (Array.isArray(w) && typeof w[0] === 'number' && typeof w[1] === 'number')
      rec.written = { over: w[0], bytes: w[1] }
    st.snaps.set(guid, rec)
  }
  const bad = checkState(st, ns.ds.length)
  if (bad !== undefined) throw new CorruptState(bad)
  return { st, base: off, baseRoots }
}

/** The namespace record a delta record builds on. */
export const deltaBase = (off: number, payload: Buffer): number => {
  const d = parse<DeltaRecord>('delta record', off, payload)
  if (typeof d?.base !== 'number') throw new CorruptState(`delta record at offset ${off}: no namespace record named`)
  return d.base
}
