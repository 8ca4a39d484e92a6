/**
 * The simulator state kept in a state file, shared by every process that opens it. A read
 * runs on the newest commit (re-read only when the uberblock changed; nodes load lazily)
 * without any lock. A change runs under the file's lock (lease.ts) on the newest commit. A
 * namespace change appends one commit at once: the nodes made since the last commit, a
 * namespace record, then the uberblock, fsynced before and after it. File-tree changes are
 * kept in memory and committed together (new nodes, a delta record, the uberblock; no fsync)
 * before the lock is let go, every FLUSH_CALLS calls or FLUSH_MS, or with the next namespace
 * change: like a txg, a process killed before then loses them. A commit's boot id tells a
 * later boot that unsynced commits may be torn: it then opens the newest synced commit.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { ioError, type StorageError } from '@stratum/core'
import type { Backing, ChangeKind } from '../driver.js'
import type { State } from '../state.js'
import { Batch, type ObjSetRef } from './codec.js'
import type { StoreFile } from './file.js'
import { BOOT, bootKnown, KIND, type Uber } from './format.js'
import type { Lease } from './lease.js'
import { deltaBase, readNamespace, writeDelta, writeNamespace } from './namespace.js'

const FLUSH_CALLS = 2000
const FLUSH_MS = 200

/** The commit to open: the newest, unless it is unsynced and from another boot. */
const usable = (u: Uber): Uber =>
  bootKnown() && !u.boot.equals(BOOT) && u.off !== u.syncedOff ? { ...u, off: u.syncedOff, end: u.syncedEnd } : u

export interface FileBacking extends Backing {
  readonly state: () => State
}

export const fileBacking = (
  store: StoreFile,
  lease: Lease,
  saveState: (st: State, file: string) => E.Either<StorageError, void>,
): FileBacking => {
  let st: State | undefined
  let seq = -1
  let end = 0
  let synced = { off: 0, end: 0 }
  let ns = { off: 0, roots: new Map<number, ObjSetRef>() }
  let seen: number | undefined // the holding of the lock in which `st` was last read or written
  let dirty = { calls: 0, since: 0 } // file-tree changes not yet committed

  /** The state: unchanged by others while this process holds the lock and has seen it in this holding. */
  const refresh = (): State => {
    const h = lease.holding()
    if (st !== undefined && (dirty.calls > 0 || (h !== undefined && h === seen))) return st
    seen = h
    const u = usable(store.uber())
    if (st !== undefined && u.seq === seq) return st
    const rec = store.commitRecord(u.off)
    const loaded =
      rec.kind === KIND.namespace
        ? readNamespace(store, u.off, rec.payload)
        : (() => {
            const base = deltaBase(u.off, rec.payload)
            return readNamespace(store, base, store.record(base, KIND.namespace, 4096), rec.payload)
          })()
    st = loaded.st
    seq = u.seq
    end = u.end
    synced = { off: u.syncedOff, end: u.syncedEnd }
    ns = { off: loaded.base, roots: loaded.baseRoots }
    return st
  }

  const commit = (kind: ChangeKind, now: State): void => {
    const b = new Batch(store, end)
    let off = kind === 'tree' ? writeDelta(b, now, ns.off, ns.roots) : undefined
    if (off === undefined) {
      const w = writeNamespace(b, now)
      off = w.off
      ns = { off, roots: w.roots }
    }
    store.append(end, b.bufs)
    const sync = kind === 'namespace' || !bootKnown()
    if (sync) store.sync()
    const u: Uber = {
      seq: seq + 1,
      off,
      end: b.end,
      syncedOff: sync ? off : synced.off,
      syncedEnd: sync ? b.end : synced.end,
      boot: BOOT,
    }
    store.writeUber(u)
    if (sync) store.sync()
    seq = u.seq
    end = u.end
    synced = { off: u.syncedOff, end: u.syncedEnd }
    dirty = { calls: 0, since: 0 }
  }

  const flush = (): void => {
    if (dirty.calls > 0 && st !== undefined) commit('tree', st)
  }

  /** Runs `f`; anything thrown (a record that does not decode, an I/O error) is an `Io` error naming the file, and the next call re-reads the file. */
  const guarded = <A>(f: () => E.Either<StorageError, A>): E.Either<StorageError, A> => {
    try {
      return f()
    } catch (e) {
      st = undefined
      dirty = { calls: 0, since: 0 }
      return E.left(ioError('EIO', store.path, `simulator state: ${e instanceof Error ? e.message : String(e)}`, e))
    }
  }

  lease.beforeRelease(() => {
    guarded(() => E.right(flush()))
  })

  return {
    state: () => refresh(),
    read: (f) => () => Promise.resolve(guarded(() => f(refresh()))),
    write: (kind, f) => () =>
      lease.run(() =>
        guarded(() => {
          const now = refresh()
          const r = f(now)
          if (E.isLeft(r)) return r
          if (kind === 'namespace') commit(kind, now)
          else {
            if (dirty.calls++ === 0) dirty.since = Date.now()
            if (dirty.calls >= FLUSH_CALLS || Date.now() - dirty.since > FLUSH_MS) commit(kind, now)
          }
          return r
        }),
      ),
    saveState: (file) => TE.fromEither(guarded(() => saveState(refresh(), file))),
  }
}
