/**
 * User properties: local values on datasets and snapshots; a dataset inherits along its
 * namespace parents, a snapshot from its dataset; never from a clone's origin.
 */
import * as E from 'fp-ts/lib/Either.js'
import { err, MAX_PROPERTY_VALUE, type DatasetName, type PropertyValue, type StorageError } from '@stratum/core'
import { isUserKey } from './native.js'
import { dsByName, snapByName, type DatasetRec, type SnapRec, type State } from './state.js'

export type Target =
  | { readonly kind: 'ds'; readonly rec: DatasetRec }
  | { readonly kind: 'snap'; readonly rec: SnapRec }

/** The dataset or snapshot called `name` (DatasetNotFound naming it, as zfs_open does). */
export const findTarget = (st: State, name: string): E.Either<StorageError, Target> => {
  if (!name.includes('@')) {
    const rec = dsByName(st, name)
    return rec === undefined ? E.left(err('DatasetNotFound', { name })) : E.right({ kind: 'ds', rec })
  }
  const rec = snapByName(st, name)
  return rec === undefined ? E.left(err('DatasetNotFound', { name })) : E.right({ kind: 'snap', rec })
}

const parentName = (n: string): string | undefined => (n.includes('/') ? n.slice(0, n.lastIndexOf('/')) : undefined)

/** Effective user properties of a dataset: local ones, then inherited from the nearest ancestor. */
const datasetProps = (st: State, ds: DatasetRec, out: Map<string, PropertyValue>, selfIsLocal: boolean): void => {
  let cur: DatasetRec | undefined = ds
  let local = selfIsLocal
  while (cur !== undefined) {
    for (const [k, value] of cur.props) {
      if (out.has(k) || !isUserKey(k)) continue
      out.set(k, { value, source: local ? { kind: 'local' } : { kind: 'inherited', from: cur.name as DatasetName } })
    }
    local = false
    const p = parentName(cur.name)
    cur = p === undefined ? undefined : dsByName(st, p)
  }
}

export const effectiveProps = (st: State, t: Target): Map<string, PropertyValue> => {
  const out = new Map<string, PropertyValue>()
  if (t.kind === 'ds') {
    datasetProps(st, t.rec, out, true)
  } else {
    for (const [k, value] of t.rec.props) if (isUserKey(k)) out.set(k, { value, source: { kind: 'local' } })
    datasetProps(st, st.datasets.get(t.rec.ds)!, out, false)
  }
  return out
}

/** A value of 8192 bytes or more is LimitExceeded (zfs: property value too long). */
export const checkValues = (name: string, props: Readonly<Record<string, string>>): E.Either<StorageError, void> => {
  for (const [k, v] of Object.entries(props)) {
    if (Buffer.byteLength(v) >= MAX_PROPERTY_VALUE) {
      return E.left(err('LimitExceeded', { what: `value of property ${k} on ${name}`, limit: MAX_PROPERTY_VALUE }))
    }
  }
  return E.right(undefined)
}

export const setLocal = (t: Target, props: Readonly<Record<string, string>>): void => {
  for (const [k, v] of Object.entries(props)) t.rec.props.set(k, v)
}
