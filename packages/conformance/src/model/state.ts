/**
 * The reference model of a pool's datasets: deliberately naive, obviously correct.
 * Datasets and snapshots are records keyed by a stable id; names are computed, so renames,
 * promotes and origins need no bookkeeping beyond one field each.
 */
import type { FsCode, StorageErrorTag } from '@stratum/core'
import { type Clock, type Tree, emptyTree } from './tree.js'

export interface MDataset {
  readonly id: number
  name: string
  /** id of the origin snapshot, for a clone */
  origin: number | null
  readonly props: Map<string, string>
  /** snapshot ids in creation order */
  snaps: number[]
  readonly tree: Tree
  /** it has had a child dataset, whose mountpoint a real pool makes a directory in this tree */
  hosted: boolean
}

export interface MSnapshot {
  readonly id: number
  short: string
  /** id of the dataset holding it (changes on promote) */
  ds: number
  /** creation order across the pool (createtxg) */
  readonly seq: number
  readonly props: Map<string, string>
  readonly tree: Tree
  /** taken from a dataset that had hosted a child (see MDataset.hosted) */
  readonly hosted: boolean
}

export interface Model {
  readonly base: string
  readonly datasets: Map<number, MDataset>
  readonly snapshots: Map<number, MSnapshot>
  readonly clock: Clock
}

/** What a call did: 'ok', an error tag, or 'Io:<code>' for file-tree errors. */
export type Outcome = 'ok' | StorageErrorTag | `Io:${FsCode}`

export const newModel = (base: string): Model => {
  const clock: Clock = { next: 0 }
  const m: Model = { base, datasets: new Map(), snapshots: new Map(), clock }
  const id = ++clock.next
  m.datasets.set(id, {
    id,
    name: base,
    origin: null,
    props: new Map(),
    snaps: [],
    tree: emptyTree(clock),
    hosted: false,
  })
  return m
}

export const poolOfName = (n: string): string => n.split(/[/@]/)[0]!
export const parentName = (n: string): string | undefined =>
  n.includes('/') ? n.slice(0, n.lastIndexOf('/')) : undefined
export const isWithinName = (d: string, anc: string): boolean => d === anc || d.startsWith(`${anc}/`)

export const dsByName = (m: Model, name: string): MDataset | undefined =>
  [...m.datasets.values()].find((d) => d.name === name)

export const snapName = (m: Model, s: MSnapshot): string => `${m.datasets.get(s.ds)!.name}@${s.short}`

export const snapByName = (m: Model, full: string): MSnapshot | undefined => {
  const at = full.indexOf('@')
  const ds = dsByName(m, full.slice(0, at))
  if (ds === undefined) return undefined
  return ds.snaps.map((id) => m.snapshots.get(id)!).find((s) => s.short === full.slice(at + 1))
}

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Datasets sorted by name. */
export const datasetList = (m: Model): MDataset[] => [...m.datasets.values()].sort((a, b) => byteOrder(a.name, b.name))

/** Snapshots in list order (their dataset's name, then creation). */
export const snapshotList = (m: Model): MSnapshot[] =>
  datasetList(m).flatMap((d) => d.snaps.map((id) => m.snapshots.get(id)!))

/** The dataset and its namespace descendants. */
export const subtree = (m: Model, d: MDataset): MDataset[] => datasetList(m).filter((x) => isWithinName(x.name, d.name))

export const clonesOf = (m: Model, snapId: number): MDataset[] => datasetList(m).filter((d) => d.origin === snapId)

/** Names of everything `zfs destroy` would have to take along: the datasets (with descendants and snapshots), then clones of any of their snapshots, transitively. */
export const closure = (m: Model, roots: readonly MDataset[]): MDataset[] => {
  const set = new Map<number, MDataset>()
  const add = (d: MDataset): void => {
    if (set.has(d.id)) return
    for (const x of subtree(m, d)) {
      set.set(x.id, x)
      for (const s of x.snaps) for (const c of clonesOf(m, s)) add(c)
    }
  }
  roots.forEach(add)
  return [...set.values()]
}

/** Effective user properties: the dataset's ancestors' local values overridden by nearer ones. */
export const effectiveProps = (m: Model, name: string): Map<string, { value: string; from: string | null }> => {
  const out = new Map<string, { value: string; from: string | null }>()
  const chain: { name: string; props: Map<string, string> }[] = []
  const at = name.indexOf('@')
  if (at >= 0) {
    const s = snapByName(m, name)
    if (s !== undefined) chain.push({ name, props: s.props })
  }
  for (let n: string | undefined = at >= 0 ? name.slice(0, at) : name; n !== undefined; n = parentName(n)) {
    const d = dsByName(m, n)
    if (d !== undefined) chain.push({ name: n, props: d.props })
  }
  for (const [i, link] of chain.entries()) {
    for (const [k, v] of link.props) if (!out.has(k)) out.set(k, { value: v, from: i === 0 ? null : link.name })
  }
  return out
}
