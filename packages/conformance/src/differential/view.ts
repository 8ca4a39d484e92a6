/**
 * What the generator picks names from: side a's datasets and snapshots, relative to its
 * base, read from side a's `list` after every command (not compared: side a should be the
 * cheap side). Commands hold indexes into these lists, never names, so shrinking keeps
 * sequences meaningful; both sides always receive the same names.
 */
import type { DatasetInfo } from '@stratum/core'
import * as E from 'fp-ts/lib/Either.js'
import type { Side } from './sides.js'

export interface DsView {
  /** '' for the base, '/x/y' below it */
  readonly rel: string
  /** the origin snapshot, relative ('/x@s', '@s'), or null */
  readonly origin: string | null
  /** relative snapshot names, oldest first */
  readonly snaps: readonly string[]
}

export interface View {
  datasets: readonly DsView[]
  /** every snapshot, relative, in list order */
  snapshots: readonly string[]
}

export const emptyView = (): View => ({ datasets: [], snapshots: [] })

export const pick = <A>(xs: readonly A[], i: number): A | undefined => (xs.length === 0 ? undefined : xs[i % xs.length])

const relOf = (side: Side, name: string): string | null =>
  name === side.base || name.startsWith(`${side.base}/`) || name.startsWith(`${side.base}@`)
    ? name.slice(side.base.length)
    : null

export const viewOf = (side: Side, infos: readonly DatasetInfo[]): View => {
  const datasets: { rel: string; origin: string | null; snaps: string[] }[] = []
  const snapshots: string[] = []
  for (const i of infos) {
    const rel = relOf(side, i.name)
    if (rel === null) continue
    if (i.type === 'filesystem')
      datasets.push({ rel, origin: i.origin === null ? null : relOf(side, i.origin), snaps: [] })
    else {
      snapshots.push(rel)
      datasets.find((d) => d.rel === rel.slice(0, rel.indexOf('@')))?.snaps.push(rel)
    }
  }
  return { datasets, snapshots }
}

/** Reads side a's namespace into `v` (side a must be able to list its own base). */
export const refreshView = async (v: View, a: Side): Promise<void> => {
  const r = await a.driver.list(a.base)()
  if (E.isLeft(r)) throw new Error(`differential: side a cannot list its base ${a.base}: ${JSON.stringify(r.left)}`)
  Object.assign(v, viewOf(a, r.right))
}

export const datasetOfSnap = (snap: string): string => snap.slice(0, snap.indexOf('@'))
export const dsView = (v: View, rel: string): DsView | undefined => v.datasets.find((d) => d.rel === rel)

/** every dataset but the base, which no command renames, destroys or promotes over */
export const movable = (v: View): string[] => v.datasets.filter((d) => d.rel !== '').map((d) => d.rel)
export const datasets = (v: View): string[] => v.datasets.map((d) => d.rel)
/** movable datasets, then snapshots */
export const anyNames = (v: View): string[] => [...movable(v), ...v.snapshots]

/** Snapshots `from` may diff against `to` by the contract: earlier in `to`'s dataset, or at or before an origin in its chain. */
const validFroms = (v: View, to: string): string[] => {
  const isSnap = to.includes('@')
  const ds = dsView(v, isSnap ? datasetOfSnap(to) : to)
  if (ds === undefined) return []
  const own = isSnap ? ds.snaps.slice(0, ds.snaps.indexOf(to)) : [...ds.snaps]
  const chain: string[] = []
  const seen = new Set<string>()
  for (let o = ds.origin; o !== null && !seen.has(o); ) {
    seen.add(o)
    const od = dsView(v, datasetOfSnap(o))
    if (od === undefined) break
    chain.push(...od.snaps.slice(0, od.snaps.indexOf(o) + 1))
    o = od.origin
  }
  return [...own, ...chain]
}

/** [from, to] pairs: valid ones by the contract, or (valid false) every pair of a snapshot with another name */
export const diffPairs = (v: View, valid: boolean): [string, string][] => {
  const tos = [...datasets(v), ...v.snapshots]
  if (valid) return tos.flatMap((to) => validFroms(v, to).map((from): [string, string] => [from, to]))
  return v.snapshots.flatMap((from) => tos.filter((to) => to !== from).map((to): [string, string] => [from, to]))
}
