/**
 * The model's dataset operations, written straight from docs/ZFS-SEMANTICS.md and the rule
 * sentences of core's driver.ts, in libzfs's order of checks. Each validates first and
 * mutates only on success, returning the outcome.
 */
import type { DatasetInfo } from '@stratum/core'
import {
  type MDataset,
  type Model,
  type Outcome,
  closure,
  clonesOf,
  datasetList,
  dsByName,
  effectiveProps,
  isWithinName,
  parentName,
  poolOfName,
  snapByName,
  snapName,
  subtree,
} from './state.js'
import { copyTree, emptyTree, tick } from './tree.js'

type Props = Readonly<Record<string, string>>

/** A dataset now has a child at `child`: on a real pool its mountpoint is a directory in the parent's tree. */
const hostChild = (m: Model, child: string): void => {
  const p = parentName(child)
  const pd = p === undefined ? undefined : dsByName(m, p)
  if (pd !== undefined) pd.hosted = true
}

const newDataset = (
  m: Model,
  name: string,
  origin: number | null,
  props: Props | undefined,
  tree = emptyTree(m.clock),
  hosted = false,
): MDataset => {
  const id = tick(m.clock)
  const d: MDataset = { id, name, origin, props: new Map(Object.entries(props ?? {})), snaps: [], tree, hosted }
  m.datasets.set(id, d)
  hostChild(m, name)
  return d
}

export const create = (m: Model, name: string, parents: boolean, props?: Props): Outcome => {
  if (dsByName(m, name) !== undefined) return parents ? 'ok' : 'DatasetExists'
  const missing: string[] = []
  for (let p = parentName(name); p !== undefined && dsByName(m, p) === undefined; p = parentName(p)) missing.unshift(p)
  if (missing.length > 0 && !parents) return 'ParentNotFound'
  for (const p of missing) newDataset(m, p, null, undefined)
  newDataset(m, name, null, props)
  return 'ok'
}

export const snapshot = (m: Model, full: string, recursive: boolean, props?: Props): Outcome => {
  const at = full.indexOf('@')
  const d = dsByName(m, full.slice(0, at))
  if (d === undefined) return 'DatasetNotFound'
  const short = full.slice(at + 1)
  const targets = recursive ? subtree(m, d) : [d]
  if (targets.some((t) => snapByName(m, `${t.name}@${short}`) !== undefined)) return 'DatasetExists'
  for (const t of targets) {
    const id = tick(m.clock)
    m.snapshots.set(id, {
      id,
      short,
      ds: t.id,
      seq: id,
      props: new Map(Object.entries(props ?? {})),
      tree: copyTree(t.tree),
      hosted: t.hosted,
    })
    t.snaps.push(id)
  }
  return 'ok'
}

export const clone = (m: Model, origin: string, target: string, props?: Props): Outcome => {
  const s = snapByName(m, origin)
  if (s === undefined) return 'DatasetNotFound'
  const parent = parentName(target)
  if (parent === undefined || dsByName(m, parent) === undefined) return 'ParentNotFound'
  if (poolOfName(origin) !== poolOfName(target)) return 'InvalidName'
  if (dsByName(m, target) !== undefined) return 'DatasetExists'
  newDataset(m, target, s.id, props, copyTree(s.tree), s.hosted)
  return 'ok'
}

/** The short name of the first moving snapshot the clone already has, if any. */
export const promoteConflict = (m: Model, c: MDataset): string | undefined => {
  if (c.origin === null) return undefined
  const o = m.snapshots.get(c.origin)!
  const od = m.datasets.get(o.ds)!
  const moving = od.snaps.slice(0, od.snaps.indexOf(o.id) + 1).map((id) => m.snapshots.get(id)!.short)
  const mine = new Set(c.snaps.map((id) => m.snapshots.get(id)!.short))
  return moving.find((s) => mine.has(s))
}

export const promote = (m: Model, name: string): Outcome => {
  const c = dsByName(m, name)
  if (c === undefined) return 'DatasetNotFound'
  if (c.origin === null) return 'NotAClone'
  if (promoteConflict(m, c) !== undefined) return 'SnapshotNameConflict'
  const o = m.snapshots.get(c.origin)!
  const od = m.datasets.get(o.ds)!
  const cut = od.snaps.indexOf(o.id) + 1
  const moving = od.snaps.slice(0, cut)
  od.snaps = od.snaps.slice(cut)
  c.snaps = [...moving, ...c.snaps]
  for (const id of moving) m.snapshots.get(id)!.ds = c.id
  c.origin = od.origin
  od.origin = o.id
  return 'ok'
}

export const rename = (m: Model, from: string, to: string, parents: boolean): Outcome => {
  const src = dsByName(m, from)
  if (src === undefined) return 'DatasetNotFound'
  if (from === to) return 'ok'
  if (parents) {
    const missing: string[] = []
    for (let p = parentName(to); p !== undefined && dsByName(m, p) === undefined; p = parentName(p)) missing.unshift(p)
    for (const p of missing) newDataset(m, p, null, undefined)
  }
  const parent = parentName(to)
  if (parent === undefined || dsByName(m, parent) === undefined) return 'ParentNotFound'
  if (poolOfName(from) !== poolOfName(to)) return 'InvalidName'
  if (isWithinName(to, from)) return 'InvalidName'
  if (dsByName(m, to) !== undefined) return 'DatasetExists'
  for (const d of subtree(m, src)) d.name = to + d.name.slice(from.length)
  hostChild(m, to)
  return 'ok'
}

export const renameSnapshot = (m: Model, from: string, to: string): Outcome => {
  const s = snapByName(m, from)
  if (s === undefined) return 'DatasetNotFound'
  if (from === to) return 'ok'
  if (from.slice(0, from.indexOf('@')) !== to.slice(0, to.indexOf('@'))) return 'InvalidName'
  if (snapByName(m, to) !== undefined) return 'DatasetExists'
  s.short = to.slice(to.indexOf('@') + 1)
  return 'ok'
}

const remove = (m: Model, ds: readonly MDataset[], snaps: readonly number[]): void => {
  for (const id of snaps) {
    const s = m.snapshots.get(id)!
    const d = m.datasets.get(s.ds)!
    d.snaps = d.snaps.filter((x) => x !== id)
    m.snapshots.delete(id)
  }
  for (const d of ds) {
    for (const id of d.snaps) m.snapshots.delete(id)
    m.datasets.delete(d.id)
  }
}

/**
 * zfs's destroying dependent walk (children, then clones of snapshots) stops at a dataset met
 * again while still on its stack, e.g. a clone of its own descendant's snapshot
 * (RecursiveDependency). It runs for `destroy -r` of a filesystem and for the clones of every
 * snapshot `destroy -R` takes.
 */
const walkRecurses = (m: Model, d: MDataset, stack: number[]): boolean => {
  stack.push(d.id)
  const next = [
    ...datasetList(m).filter((c) => parentName(c.name) === d.name),
    ...d.snaps.flatMap((id) => clonesOf(m, id)),
  ]
  const hit = next.some((c) => stack.includes(c.id) || walkRecurses(m, c, stack))
  stack.pop()
  return hit
}

/** What a destroy would report or do. `dependents` implies `recursive`, as `zfs destroy -R` does. */
export const destroy = (m: Model, name: string, recursive: boolean, dependents: boolean): Outcome => {
  const r = recursive || dependents
  const at = name.indexOf('@')
  if (at >= 0) {
    const d = dsByName(m, name.slice(0, at))
    if (d === undefined) return 'DatasetNotFound'
    const short = name.slice(at + 1)
    const targets = (r ? subtree(m, d) : [d]).flatMap((x) =>
      x.snaps.filter((id) => m.snapshots.get(id)!.short === short),
    )
    if (targets.length === 0) return 'DatasetNotFound'
    const deps = closure(
      m,
      targets.flatMap((id) => clonesOf(m, id)),
    )
    if (deps.length > 0 && !dependents) return 'HasDependentClones'
    if (targets.flatMap((id) => clonesOf(m, id)).some((c) => walkRecurses(m, c, []))) return 'RecursiveDependency'
    remove(m, deps, targets)
    return 'ok'
  }
  const d = dsByName(m, name)
  if (d === undefined) return 'DatasetNotFound'
  const tree = subtree(m, d)
  if (!r && (tree.length > 1 || d.snaps.length > 0)) return 'HasChildren'
  const all = closure(m, [d])
  if (all.length > tree.length && !dependents) return 'HasDependentClones'
  if (walkRecurses(m, d, [])) return 'RecursiveDependency'
  remove(m, all, [])
  return 'ok'
}

export const setProperty = (m: Model, name: string, prop: string, value: string): Outcome => {
  const target = name.includes('@') ? snapByName(m, name) : dsByName(m, name)
  if (target === undefined) return 'DatasetNotFound'
  if (Buffer.byteLength(value) >= 8192) return 'LimitExceeded'
  target.props.set(prop, value)
  return 'ok'
}

export const inheritProperty = (m: Model, name: string, prop: string): Outcome => {
  const target = name.includes('@') ? snapByName(m, name) : dsByName(m, name)
  if (target === undefined) return 'DatasetNotFound'
  target.props.delete(prop)
  return 'ok'
}

/** `list(base)` as the model sees it; `keep` selects the properties compared. */
export const list = (m: Model, keep: (prop: string) => boolean): DatasetInfo[] =>
  datasetList(m).flatMap((d): DatasetInfo[] => {
    const props = (n: string): Record<string, string> =>
      Object.fromEntries(
        [...effectiveProps(m, n)]
          .filter(([k]) => keep(k))
          .map(([k, v]) => [k, v.value])
          .sort(),
      )
    const origin = d.origin === null ? null : snapName(m, m.snapshots.get(d.origin)!)
    const own = {
      name: d.name,
      type: 'filesystem',
      origin,
      clones: [],
      properties: props(d.name),
    } as unknown as DatasetInfo
    const snaps = d.snaps.map((id) => {
      const s = m.snapshots.get(id)!
      const n = snapName(m, s)
      return {
        name: n,
        type: 'snapshot',
        origin: null,
        clones: clonesOf(m, id)
          .map((c) => c.name)
          .sort(),
        properties: props(n),
      } as unknown as DatasetInfo
    })
    return [own, ...snaps]
  })

/** diff(from, to) validity: from is an earlier snapshot of to's dataset, or at or before an origin in to's origin chain. */
export const diffOutcome = (m: Model, from: string, to: string): Outcome => {
  const f = snapByName(m, from)
  const toSnap = to.includes('@') ? snapByName(m, to) : undefined
  const toDs = to.includes('@') ? (toSnap === undefined ? undefined : m.datasets.get(toSnap.ds)) : dsByName(m, to)
  if (f === undefined || toDs === undefined) return 'DatasetNotFound'
  let ds: MDataset | undefined = toDs
  let limit = toSnap === undefined ? Infinity : toSnap.seq
  while (ds !== undefined) {
    if (f.ds === ds.id && f.seq < limit) return 'ok'
    if (ds.origin === null) return 'InvalidName'
    const o = m.snapshots.get(ds.origin)!
    ds = m.datasets.get(o.ds)
    limit = o.seq + 1
  }
  return 'InvalidName'
}
