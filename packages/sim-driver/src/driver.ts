/**
 * The simulator as a `Driver`: each call runs its state change synchronously inside the
 * task (so concurrent calls never interleave half-way), then, for a persistent driver,
 * saves the state before it reports success.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { err, type Capabilities, type Driver, type StorageError } from '@stratum/core'
import { destroy } from './destroy.js'
import { diff } from './diff.js'
import { clone, create, exists, list, snapshot } from './namespace.js'
import type { ObjSet } from './objset.js'
import { promote } from './promote.js'
import { checkValues, effectiveProps, findTarget, type Target } from './props.js'
import { renameDataset, renameSnapshot } from './rename.js'
import { saveState } from './persist.js'
import { allocOf, type State } from './state.js'
import { createTree, snapshotRootIno } from './tree.js'

export interface SimDriver extends Driver {
  /** Writes the whole state to `file` atomically. */
  saveState(file: string): TE.TaskEither<StorageError, void>
}

export const SIM_CAPABILITIES: Capabilities = { xattrs: true, deviceNodes: true, chown: true, atomicBatch: false }

/** Saves after each successful change, one save at a time and in order. */
type Persist = (st: State) => TE.TaskEither<StorageError, void>

export const makeDriver = (st: State, persist?: Persist): SimDriver => {
  let saving: Promise<unknown> = Promise.resolve()
  const afterChange = (): Promise<E.Either<StorageError, void>> => {
    if (persist === undefined) return Promise.resolve(E.right(undefined))
    const next = saving.then(() => persist(st)())
    saving = next
    return next
  }
  const query = <A>(f: () => E.Either<StorageError, A>): TE.TaskEither<StorageError, A> => () => Promise.resolve(f())
  const mutate = (f: () => E.Either<StorageError, void>): TE.TaskEither<StorageError, void> => async () => {
    const r = f()
    return E.isLeft(r) ? r : afterChange()
  }
  const alloc = allocOf(st)

  const fs: Driver['fs'] = (name) => query(() => E.map((t: Target) => {
    if (t.kind === 'snap') {
      const snap = t.rec
      return createTree({
        readOnly: true, alloc, rootIno: snapshotRootIno(snap.guid),
        current: () => (st.snaps.get(snap.guid) === snap ? E.right(snap.objset) : E.left(err('DatasetNotFound', { name }))),
        update: () => TE.left(err('DatasetNotFound', { name })),
      })
    }
    const ds = t.rec
    const current = (): E.Either<StorageError, ObjSet> =>
      st.datasets.get(ds.guid) === ds ? E.right(ds.objset) : E.left(err('DatasetNotFound', { name }))
    return createTree({
      readOnly: false, alloc, current,
      update: (f) => mutate(() => E.map((os: ObjSet) => { ds.objset = os })(E.flatMap(f)(current()))),
    })
  })(findTarget(st, name)))

  return {
    capabilities: SIM_CAPABILITIES,
    create: (name, opts = {}) => mutate(() => create(st, name, opts.parents === true, opts.properties ?? {})),
    snapshot: (name, opts = {}) => mutate(() => snapshot(st, name, opts.recursive === true, opts.properties ?? {})),
    clone: (origin, target, opts = {}) => mutate(() => clone(st, origin, target, opts.properties ?? {})),
    promote: (name) => mutate(() => promote(st, name)),
    rename: (from, to, opts = {}) => mutate(() => renameDataset(st, from, to, opts.parents === true)),
    renameSnapshot: (from, to) => mutate(() => renameSnapshot(st, from, to)),
    destroy: (name, opts = {}) => mutate(() => destroy(st, name, opts)),
    exists: (name) => query(() => E.right(exists(st, name))),
    list: (root) => query(() => list(st, root)),
    getProperty: (name, prop) => query(() => E.map((t: Target) =>
      effectiveProps(st, t).get(prop))(findTarget(st, name))),
    setProperty: (name, prop, value) => mutate(() => E.flatMap((t: Target) =>
      E.map(() => { t.rec.props.set(prop, value) })(checkValues(name, { [prop]: value })))(findTarget(st, name))),
    inheritProperty: (name, prop) => mutate(() => E.map((t: Target) => {
      t.rec.props.delete(prop)
    })(findTarget(st, name))),
    diff: (from, to) => query(() => diff(st, from, to)),
    fs,
    saveState: (file) => saveState(file, st),
  }
}
