/**
 * create, snapshot, clone, exists and list on the simulator's state. Each operation checks
 * everything first and changes the state only when it will succeed (all or nothing).
 */
import * as E from 'fp-ts/lib/Either.js'
import {
  err,
  type AnyName,
  type DatasetInfo,
  type DatasetName,
  type SnapshotName,
  type SettableNative,
  type StorageError,
} from '@stratum/core'
import { emptyObjSet } from './objset.js'
import { checkNative, initNative } from './native.js'
import { checkValues, effectiveProps, setLocal, type Target } from './props.js'
import {
  addDataset,
  allocOf,
  clonesOf,
  descendants,
  dsByName,
  poolOfName,
  snapByName,
  snapFullName,
  snapsOf,
  splitSnap,
  type DatasetRec,
  type State,
} from './state.js'

type Props = Readonly<Record<string, string>>
const parentName = (n: string): string => n.slice(0, n.lastIndexOf('/'))

/**
 * zfs check_parents for a new dataset `name`: a pool root cannot be made (InvalidName), the
 * pool and, unless `parents`, the parent must exist (ParentNotFound, naming `name`).
 */
export const checkParents = (st: State, name: string, parents: boolean): Result => {
  if (!st.pools.includes(poolOfName(name))) return E.left(err('ParentNotFound', { name }))
  if (!name.includes('/')) return E.left(err('InvalidName', { name, reason: 'missing dataset name' }))
  if (!parents && dsByName(st, parentName(name)) === undefined) return E.left(err('ParentNotFound', { name }))
  return E.right(undefined)
}

/** Creates the missing ancestors of `name` (empty, no properties). */
export const createAncestors = (st: State, name: string): void => {
  const parts = name.split('/')
  for (let i = 2; i < parts.length; i++) {
    const anc = parts.slice(0, i).join('/')
    if (dsByName(st, anc) === undefined) addDataset(st, anc, emptyObjSet(allocOf(st)), null)
  }
}

/** What a namespace change returns: nothing, or why it was refused (nothing changed then). */
type Result = E.Either<StorageError, void>

export const create = (
  st: State,
  name: DatasetName,
  parents: boolean,
  props: Props,
  native?: SettableNative,
): Result => {
  if (parents && dsByName(st, name) !== undefined) return E.right(undefined)
  const bad = checkParents(st, name, parents)
  if (E.isLeft(bad)) return bad
  if (dsByName(st, name) !== undefined) return E.left(err('DatasetExists', { name }))
  const okProps = E.flatMap(() => checkNative(name, native ?? {}))(checkValues(name, props))
  if (E.isLeft(okProps)) return okProps
  if (parents) createAncestors(st, name)
  const rec = addDataset(st, name, emptyObjSet(allocOf(st)), null)
  setLocal({ kind: 'ds', rec }, props)
  initNative(st, rec, native)
  return E.right(undefined)
}

/** Snapshots `name` (and with `recursive` every descendant) atomically: one existing snapshot means none is made. */
export const snapshot = (st: State, name: SnapshotName, recursive: boolean, props: Props): Result => {
  const [dsName, short] = splitSnap(name)
  const ds = dsByName(st, dsName)
  if (ds === undefined) return E.left(err('DatasetNotFound', { name: dsName }))
  const targets = recursive ? [ds, ...descendants(st, dsName)] : [ds]
  for (const t of targets) {
    const full = `${t.name}@${short}`
    if (snapByName(st, full) !== undefined) return E.left(err('DatasetExists', { name: full }))
  }
  const okProps = checkValues(name, props)
  if (E.isLeft(okProps)) return okProps
  const txg = ++st.txg
  for (const t of targets) {
    const rec = { guid: st.nextGuid++, ds: t.guid, short, objset: t.objset, props: new Map(Object.entries(props)), txg }
    st.snaps.set(rec.guid, rec)
    t.snaps.push(rec.guid)
  }
  return E.right(undefined)
}

export const clone = (
  st: State,
  origin: SnapshotName,
  target: DatasetName,
  props: Props,
  native?: SettableNative,
): Result => {
  const snap = snapByName(st, origin)
  if (snap === undefined) return E.left(err('DatasetNotFound', { name: origin }))
  const bad = checkParents(st, target, false)
  if (E.isLeft(bad)) return bad
  if (dsByName(st, target) !== undefined) return E.left(err('DatasetExists', { name: target }))
  if (poolOfName(origin) !== poolOfName(target)) {
    return E.left(err('InvalidName', { name: target, reason: 'source and target pools differ' }))
  }
  const okProps = E.flatMap(() => checkNative(target, native ?? {}))(checkValues(target, props))
  if (E.isLeft(okProps)) return okProps
  const rec = addDataset(st, target, snap.objset, snap.guid)
  setLocal({ kind: 'ds', rec }, props)
  initNative(st, rec, native)
  return E.right(undefined)
}

export const exists = (st: State, name: AnyName): boolean =>
  name.includes('@') ? snapByName(st, name) !== undefined : dsByName(st, name) !== undefined

const propsRecord = (st: State, t: Target): Record<string, string> =>
  Object.fromEntries([...effectiveProps(st, t)].map(([k, v]) => [k, v.value]))

const infos = (st: State, d: DatasetRec): DatasetInfo[] => [
  {
    name: d.name as DatasetName,
    type: 'filesystem',
    origin: d.origin === null ? null : snapFullName(st, st.snaps.get(d.origin)!),
    clones: [],
    properties: propsRecord(st, { kind: 'ds', rec: d }),
  },
  ...snapsOf(st, d).map(
    (s): DatasetInfo => ({
      name: snapFullName(st, s),
      type: 'snapshot',
      origin: null,
      clones: clonesOf(st, s.guid).map((c) => c.name as DatasetName),
      properties: propsRecord(st, { kind: 'snap', rec: s }),
    }),
  ),
]

/** `root`, its descendants and all their snapshots in zfs list order. */
export const list = (st: State, root: DatasetName): E.Either<StorageError, readonly DatasetInfo[]> => {
  const ds = dsByName(st, root)
  if (ds === undefined) return E.left(err('DatasetNotFound', { name: root }))
  return E.right([ds, ...descendants(st, root)].flatMap((d) => infos(st, d)))
}
