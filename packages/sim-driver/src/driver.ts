/**
 * The simulator as a `Driver` over a `Backing` that holds the state: each call runs its state
 * change synchronously on the backing's current state (so calls never interleave half-way),
 * and a persistent backing makes a change durable before the call reports success.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { err, ioError, type Capabilities, type Driver, type FileTree, type StorageError } from '@stratum/core'
import { destroy } from './destroy.js'
import { diff } from './diff.js'
import { clone, create, exists, list, snapshot } from './namespace.js'
import type { ObjSet } from './objset.js'
import { isMounted, readonlyOf } from './native.js'
import { nativeOps, notMounted } from './native-ops.js'
import { promote } from './promote.js'
import { quotaProblem } from './quota.js'
import { checkValues, effectiveProps, findTarget, type Target } from './props.js'
import { renameDataset, renameSnapshot } from './rename.js'
import type { State } from './state.js'
import { createTree, snapshotRootIno } from './tree.js'

/** The in-memory simulator: a `Driver` whose state can be saved to a file. */
export interface SimDriver extends Driver {
  /** Writes the whole state to a new state file `file`, atomically. */
  saveState(file: string): TE.TaskEither<StorageError, void>
}

/** What the simulator supports: everything but atomic batches and host paths. */
export const SIM_CAPABILITIES: Capabilities = {
  xattrs: true,
  deviceNodes: true,
  chown: true,
  hostPaths: false,
}

/** What a change touches: only a dataset's file tree, or the namespace (datasets, snapshots, properties). */
export type ChangeKind = 'tree' | 'namespace'

export interface Backing {
  /** runs `f` on the current state */
  readonly read: <A>(f: (st: State) => E.Either<StorageError, A>) => TE.TaskEither<StorageError, A>
  /** runs `f` on the current state, all or nothing, and persists what it changed */
  readonly write: (
    kind: ChangeKind,
    f: (st: State) => E.Either<StorageError, void>,
  ) => TE.TaskEither<StorageError, void>
  readonly saveState: (file: string) => TE.TaskEither<StorageError, void>
}

/** A backing on one in-memory state. */
export const memoryBacking = (st: State, saveState: Backing['saveState']): Backing => ({
  read: (f) => () => Promise.resolve(f(st)),
  write: (_kind, f) => () => Promise.resolve(f(st)),
  saveState,
})

export const makeDriver = (b: Backing): SimDriver => {
  const query = <A>(f: (st: State) => E.Either<StorageError, A>): TE.TaskEither<StorageError, A> => b.read(f)
  const mutate = (f: (st: State) => E.Either<StorageError, void>): TE.TaskEither<StorageError, void> =>
    b.write('namespace', f)
  let state: State | undefined // the state of the call running now, for the allocator
  const alloc = { obj: () => state!.nextObj++, gen: () => ++state!.txg, now: () => Date.now() }
  const inCall =
    <A>(f: (st: State) => A) =>
    (st: State): A => {
      state = st
      return f(st)
    }

  // A tree finds its dataset or snapshot by guid in the state current at each of its calls
  // (guids are never reused), so it follows renames and sees other processes' changes.
  const fs: Driver['fs'] = (name) =>
    query((st) =>
      E.flatMap((t: Target): E.Either<StorageError, FileTree> => {
        const ds = t.kind === 'snap' ? st.datasets.get(t.rec.ds)! : t.rec
        if (!isMounted(ds)) return E.left(notMounted(st, name, ds))
        const guid = t.rec.guid
        if (t.kind === 'snap') {
          const gone = () => E.left(err('DatasetNotFound', { name }))
          return E.right(
            createTree({
              readOnly: true,
              alloc,
              rootIno: snapshotRootIno(guid),
              read: (f) =>
                query((now) => {
                  const s = now.snaps.get(guid)
                  return s === undefined ? gone() : f(s.objset)
                }),
              update: () => TE.left(err('DatasetNotFound', { name })),
            }),
          )
        }
        const current = (now: State): E.Either<StorageError, ObjSet> => {
          const d = now.datasets.get(guid)
          return d === undefined ? E.left(err('DatasetNotFound', { name })) : E.right(d.objset)
        }
        const writable = (now: State, path: string): E.Either<StorageError, void> => {
          const d = now.datasets.get(guid)
          return d !== undefined && readonlyOf(now, d)
            ? E.left(ioError('EROFS', path, `'${d.name}' has readonly=on`))
            : E.right(undefined)
        }
        return E.right(
          createTree({
            readOnly: false,
            alloc,
            read: (f) => query((now) => E.flatMap(f)(current(now))),
            update: (path, f) =>
              b.write(
                'tree',
                inCall((now) =>
                  E.flatMap((os: ObjSet): E.Either<StorageError, void> => {
                    const d = now.datasets.get(guid)!
                    const over = quotaProblem(now, d, os, path)
                    if (over !== undefined) return E.left(over)
                    d.objset = os
                    return E.right(undefined)
                  })(E.flatMap(f)(E.flatMap(() => current(now))(writable(now, path)))),
                ),
              ),
          }),
        )
      })(findTarget(st, name)),
    )

  return {
    capabilities: SIM_CAPABILITIES,
    create: (name, opts = {}) =>
      mutate((st) =>
        create(
          st,
          name,
          opts.parents === true,
          opts.properties ?? {},
          // noFiles: never mounted, as zfs's canmount=off
          opts.noFiles === true ? { ...opts.native, canmount: 'off' } : opts.native,
        ),
      ),
    snapshot: (name, opts = {}) => mutate((st) => snapshot(st, name, opts.recursive === true, opts.properties ?? {})),
    clone: (origin, target, opts = {}) => mutate((st) => clone(st, origin, target, opts.properties ?? {}, opts.native)),
    promote: (name) => mutate((st) => promote(st, name)),
    rename: (from, to, opts = {}) => mutate((st) => renameDataset(st, from, to, opts.parents === true)),
    renameSnapshot: (from, to) => mutate((st) => renameSnapshot(st, from, to)),
    destroy: (name, opts = {}) => mutate((st) => destroy(st, name, opts)),
    exists: (name) => query((st) => E.right(exists(st, name))),
    list: (root) => query((st) => list(st, root)),
    getProperty: (name, prop) =>
      query((st) => E.map((t: Target) => effectiveProps(st, t).get(prop))(findTarget(st, name))),
    setProperty: (name, prop, value) =>
      mutate((st) =>
        E.flatMap((t: Target) =>
          E.map(() => {
            t.rec.props.set(prop, value)
          })(checkValues(name, { [prop]: value })),
        )(findTarget(st, name)),
      ),
    inheritProperty: (name, prop) =>
      mutate((st) =>
        E.map((t: Target) => {
          t.rec.props.delete(prop)
        })(findTarget(st, name)),
      ),
    ...nativeOps(query, mutate),
    diff: (from, to) => query((st) => diff(st, from, to)),
    fs,
    saveState: (file) => b.saveState(file),
  }
}
