/**
 * destroy, with zfs's dependent walk (libzfs_iter.c iter_dependents_cb, post-order): for a
 * filesystem, its child filesystems (each child's dependents before the child), then its
 * snapshots by creation (each snapshot's clones, with their dependents, before it); for a
 * snapshot, its clones. Children come in byte order (the kernel's is hash order) and, as in
 * zfs, a clone that is also a descendant is visited twice.
 */
import * as E from 'fp-ts/lib/Either.js'
import { err, type AnyName, type DestroyOptions, type StorageError } from '@stratum/core'
import {
  childrenOf,
  clonesOf,
  descendants,
  dsByName,
  snapByName,
  snapFullName,
  snapsOf,
  splitSnap,
  type DatasetRec,
  type SnapRec,
  type State,
} from './state.js'

type Dep = { readonly kind: 'ds'; readonly rec: DatasetRec } | { readonly kind: 'snap'; readonly rec: SnapRec }

const depName = (st: State, d: Dep): string => (d.kind === 'ds' ? d.rec.name : snapFullName(st, d.rec))

const visitSnap = (st: State, s: SnapRec, stack: number[], out: Dep[]): void => {
  for (const c of clonesOf(st, s.guid)) {
    if (stack.includes(c.guid)) continue
    visitDs(st, c, stack, out)
    out.push({ kind: 'ds', rec: c })
  }
}

const visitDs = (st: State, d: DatasetRec, stack: number[], out: Dep[]): void => {
  stack.push(d.guid)
  for (const c of childrenOf(st, d.name)) {
    if (stack.includes(c.guid)) continue
    visitDs(st, c, stack, out)
    out.push({ kind: 'ds', rec: c })
  }
  for (const s of snapsOf(st, d)) {
    visitSnap(st, s, stack, out)
    out.push({ kind: 'snap', rec: s })
  }
  stack.pop()
}

/** Everything that depends on `root`, in zfs's post-order, without `root` itself. */
const dependents = (st: State, root: Dep): Dep[] => {
  const out: Dep[] = []
  if (root.kind === 'ds') visitDs(st, root.rec, [], out)
  else visitSnap(st, root.rec, [], out)
  return out
}

/** True when `name` is below `target` in the namespace (`target/...` or `target@...`). */
const isDescendantName = (target: string, name: string): boolean =>
  name.startsWith(`${target}/`) || name.startsWith(`${target}@`)

const removeAll = (st: State, deps: readonly Dep[]): void => {
  for (const d of deps) {
    if (d.kind === 'snap') {
      const owner = st.datasets.get(d.rec.ds)
      if (owner !== undefined) owner.snaps = owner.snaps.filter((g) => g !== d.rec.guid)
      st.snaps.delete(d.rec.guid)
    } else if (st.datasets.has(d.rec.guid)) {
      for (const g of d.rec.snaps) st.snaps.delete(g)
      st.datasets.delete(d.rec.guid)
      st.byName.delete(d.rec.name)
    }
  }
}

/**
 * The destroying walk (iter_dependents_cb with allowrecursion off, run by `zfs destroy -r` of a
 * filesystem and `zfs destroy -R` of a snapshot's clones): a dataset met again while it is
 * still on the walk's stack, e.g. a clone of its own descendant's snapshot after a promote,
 * stops it. Returns that dataset's name. Checked before anything is removed.
 */
const recursionIn = (st: State, d: DatasetRec, stack: number[]): string | undefined => {
  stack.push(d.guid)
  const next = [...childrenOf(st, d.name), ...snapsOf(st, d).flatMap((s) => clonesOf(st, s.guid))]
  for (const c of next) {
    const found = stack.includes(c.guid) ? c.name : recursionIn(st, c, stack)
    if (found !== undefined) return found
  }
  stack.pop()
  return undefined
}

/** The walk from a snapshot: its clones, each with an empty stack (a snapshot is never on it). */
const recursionFromSnap = (st: State, s: SnapRec): string | undefined => {
  for (const c of clonesOf(st, s.guid)) {
    const found = recursionIn(st, c, [])
    if (found !== undefined) return found
  }
  return undefined
}

const recursiveDependency = (name: string, at: string): StorageError => err('RecursiveDependency', { name, at })

const destroyFs = (st: State, ds: DatasetRec, opts: DestroyOptions): E.Either<StorageError, void> => {
  const name = ds.name
  const isPool = !name.includes('/')
  const recursive = opts.recursive === true || opts.dependents === true
  if (isPool && !recursive) return E.left(err('InvalidName', { name, reason: 'operation does not apply to pools' }))
  const deps = dependents(st, { kind: 'ds', rec: ds })
  const names = deps.map((d) => depName(st, d))
  if (!recursive) {
    const children = names.filter((n) => isDescendantName(name, n))
    if (children.length > 0) return E.left(err('HasChildren', { name, dependents: children }))
  } else if (opts.dependents !== true) {
    const clones = names.filter((n) => !isDescendantName(name, n))
    if (clones.length > 0) return E.left(err('HasDependentClones', { name, clones }))
  }
  const loop = recursionIn(st, ds, [])
  if (loop !== undefined) return E.left(recursiveDependency(name, loop))
  // zfs destroy -r of a pool root destroys everything in it but the root filesystem itself.
  removeAll(st, isPool ? deps : [...deps, { kind: 'ds', rec: ds }])
  return E.right(undefined)
}

const destroySnapshots = (st: State, name: string, opts: DestroyOptions): E.Either<StorageError, void> => {
  const [dsName, short] = splitSnap(name)
  const ds = dsByName(st, dsName)
  if (ds === undefined) return E.left(err('DatasetNotFound', { name: dsName }))
  // zfs destroy -R sets -r as well: the snapshot name applies to every descendant
  const scope = opts.recursive === true || opts.dependents === true ? [ds, ...descendants(st, dsName)] : [ds]
  const targets = scope.flatMap((d) => {
    const s = snapByName(st, `${d.name}@${short}`)
    return s === undefined ? [] : [s]
  })
  if (targets.length === 0) return E.left(err('DatasetNotFound', { name }))
  const doomed: Dep[] = []
  for (const s of targets) {
    const deps = dependents(st, { kind: 'snap', rec: s })
    if (deps.length > 0 && opts.dependents !== true) {
      return E.left(err('HasDependentClones', { name: snapFullName(st, s), clones: deps.map((d) => depName(st, d)) }))
    }
    doomed.push(...deps, { kind: 'snap', rec: s })
  }
  // zfs walks each gathered snapshot's clones (destroy_clones) only with `dependents`
  for (const s of opts.dependents === true ? targets : []) {
    const loop = recursionFromSnap(st, s)
    if (loop !== undefined) return E.left(recursiveDependency(name, loop))
  }
  removeAll(st, doomed)
  return E.right(undefined)
}

export const destroy = (st: State, name: AnyName, opts: DestroyOptions): E.Either<StorageError, void> => {
  if (name.includes('@')) return destroySnapshots(st, name, opts)
  const ds = dsByName(st, name)
  return ds === undefined ? E.left(err('DatasetNotFound', { name })) : destroyFs(st, ds, opts)
}
