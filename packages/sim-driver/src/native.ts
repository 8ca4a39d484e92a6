/**
 * Native properties and mounts, modelled: the settable ones are local values in a dataset's
 * `props` under their zfs names (user properties always hold a ':', these never do), so
 * they persist and follow renames like user properties. `mounted` is kept there too, as
 * 'no' when unmounted (absent: mounted, as every dataset of an older state file was).
 */
import * as E from 'fp-ts/lib/Either.js'
import {
  err,
  nativeValueText,
  settableProblem,
  type CanMount,
  type NativeProperties,
  type SettableNative,
  type StorageError,
} from '@stratum/core'
import { descendants, dsByName, type DatasetRec, type State } from './state.js'

const SETTABLE = ['mountpoint', 'canmount', 'readonly', 'quota', 'refquota'] as const
const MOUNTED = 'mounted'

/** True for the keys of `props` that are user properties. */
export const isUserKey = (k: string): boolean => k.includes(':')

export const parentOf = (st: State, d: DatasetRec): DatasetRec | undefined =>
  d.name.includes('/') ? dsByName(st, d.name.slice(0, d.name.lastIndexOf('/'))) : undefined

/** zfs's inherited mountpoint: the parent's plus '/' and the last component; legacy and none as they are. */
export const mountpointOf = (st: State, d: DatasetRec): string => {
  const local = d.props.get('mountpoint')
  if (local !== undefined) return local
  const p = parentOf(st, d)
  if (p === undefined) return `/${d.name}`
  const pm = mountpointOf(st, p)
  if (pm === 'legacy' || pm === 'none') return pm
  return `${pm === '/' ? '' : pm}/${d.name.slice(d.name.lastIndexOf('/') + 1)}`
}

/** readonly is inherited along the namespace. */
export const readonlyOf = (st: State, d: DatasetRec): boolean => {
  for (let cur: DatasetRec | undefined = d; cur !== undefined; cur = parentOf(st, cur)) {
    const v = cur.props.get('readonly')
    if (v !== undefined) return v === 'on'
  }
  return false
}

const quotaOf = (d: DatasetRec, k: 'quota' | 'refquota'): number | null => {
  const v = d.props.get(k)
  return v === undefined || v === 'none' || v === '0' ? null : Number(v)
}

export const isMounted = (d: DatasetRec): boolean => d.props.get(MOUNTED) !== 'no'
const isPath = (mp: string): boolean => mp.startsWith('/')

export const nativeOf = (st: State, d: DatasetRec): NativeProperties => ({
  mountpoint: mountpointOf(st, d),
  canmount: (d.props.get('canmount') ?? 'on') as CanMount,
  mounted: isMounted(d),
  readonly: readonlyOf(st, d),
  quota: quotaOf(d, 'quota'),
  refquota: quotaOf(d, 'refquota'),
})

export const quotasOf = (d: DatasetRec): { quota: number | null; refquota: number | null } => ({
  quota: quotaOf(d, 'quota'),
  refquota: quotaOf(d, 'refquota'),
})

const setMounted = (d: DatasetRec, yes: boolean): void => {
  if (yes) d.props.delete(MOUNTED)
  else d.props.set(MOUNTED, 'no')
}

export const checkNative = (name: string, n: SettableNative): E.Either<StorageError, void> => {
  const p = settableProblem(n)
  return p === undefined ? E.right(undefined) : E.left(err('InvalidName', { name, reason: p }))
}

/** Sets the values; a dataset (or descendant) whose mountpoint is no longer a path is unmounted, canmount=off unmounts. */
export const applyNative = (st: State, d: DatasetRec, n: SettableNative): void => {
  for (const k of SETTABLE) if (n[k] !== undefined) d.props.set(k, nativeValueText(k, n[k]))
  if (n.canmount === 'off') setMounted(d, false)
  if (n.mountpoint !== undefined)
    for (const x of [d, ...descendants(st, d.name)]) if (!isPath(mountpointOf(st, x))) setMounted(x, false)
}

/** A new filesystem: its native values, and mounted when canmount=on and its mountpoint is a path. */
export const initNative = (st: State, d: DatasetRec, n: SettableNative | undefined): void => {
  applyNative(st, d, n ?? {})
  setMounted(d, (n?.canmount ?? 'on') === 'on' && isPath(mountpointOf(st, d)))
}

/** zfs mount's refusals, in its order (share_mount_one); idempotent otherwise. */
export const mount = (st: State, d: DatasetRec): E.Either<StorageError, void> => {
  const mp = mountpointOf(st, d)
  const refusal =
    mp === 'legacy'
      ? 'legacy mountpoint'
      : mp === 'none'
        ? 'no mountpoint set'
        : d.props.get('canmount') === 'off'
          ? "'canmount' property is set to 'off'"
          : undefined
  if (refusal !== undefined) return E.left(err('Unsupported', { what: `mount of '${d.name}': ${refusal}` }))
  setMounted(d, true)
  return E.right(undefined)
}

/** zfs unmount: the dataset and every descendant (zfs_unmountall); idempotent. */
export const unmount = (st: State, d: DatasetRec): E.Either<StorageError, void> => {
  if (mountpointOf(st, d) === 'legacy')
    return E.left(err('Unsupported', { what: `unmount of '${d.name}': legacy mountpoint` }))
  for (const x of [d, ...descendants(st, d.name)]) setMounted(x, false)
  return E.right(undefined)
}
