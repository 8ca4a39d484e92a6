/**
 * Whether a loaded namespace is consistent, as every simulator operation assumes: names map
 * one to one to datasets, every pool has its root, parents exist, snapshot lists and the
 * snapshots' datasets agree, origins are snapshots, and ids are below the counters. The
 * answer names the first thing that is not.
 */
import type { State } from '../state.js'

const isCount = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0

export const checkState = (st: State, datasetRows: number): string | undefined => {
  if (!isCount(st.nextGuid) || !isCount(st.nextObj) || !isCount(st.txg)) return 'the counters are not counts'
  if (st.datasets.size !== datasetRows || st.byName.size !== datasetRows)
    return 'two datasets have one guid or one name'
  for (const p of st.pools)
    if (typeof p !== 'string' || !st.byName.has(p)) return `pool '${String(p)}' has no root dataset`
  for (const d of st.datasets.values()) {
    if (typeof d.name !== 'string' || !isCount(d.guid) || d.guid >= st.nextGuid)
      return `dataset guid ${String(d.guid)}: bad guid or name`
    const slash = d.name.lastIndexOf('/')
    if (slash < 0 ? !st.pools.includes(d.name) : !st.byName.has(d.name.slice(0, slash)))
      return `dataset '${d.name}' has no parent dataset`
    if (!Array.isArray(d.snaps)) return `dataset '${d.name}': its snapshot list is not a list`
    for (const g of d.snaps) {
      const s = st.snaps.get(g)
      if (s === undefined) return `dataset '${d.name}' lists snapshot guid ${String(g)}, which does not exist`
      if (s.ds !== d.guid)
        return `dataset '${d.name}' lists snapshot '${s.short}', which belongs to dataset guid ${s.ds}`
    }
    if (d.origin !== null && !st.snaps.has(d.origin))
      return `dataset '${d.name}': origin snapshot guid ${String(d.origin)} does not exist`
  }
  for (const s of st.snaps.values()) {
    if (!isCount(s.guid) || s.guid >= st.nextGuid || typeof s.short !== 'string')
      return `snapshot guid ${String(s.guid)}: bad guid or name`
    const d = st.datasets.get(s.ds)
    if (d === undefined || !d.snaps.includes(s.guid))
      return `snapshot '${s.short}' (guid ${s.guid}) is not listed by its dataset guid ${String(s.ds)}`
  }
  return undefined
}
