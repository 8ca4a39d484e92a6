/**
 * A simulator shared by several processes through one state file. Every call takes the
 * file's exclusive lock (shared-lock.ts: lock files `<file>.lock.<n>` beside it; a dead
 * process's lock is taken over, a live one is never moved or removed), reloads the state if
 * the file changed since this process last saw it (a save renames a new file into place, so
 * the file's identity changes), runs the call on the in-memory model, saves (atomically, as
 * `openSimDriver` does) if it changed anything, and unlocks. A FileTree names its dataset or snapshot by guid and finds
 * it again in the state current at each call; content to write is read before the lock is
 * taken, so a stream that itself uses the driver cannot deadlock.
 */
import { stat } from 'node:fs/promises'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { type AnyName, type Content, type Driver, err, type FileTree, ioError, type StorageError } from '@stratum/core'
import { makeDriver, SIM_CAPABILITIES, type SimDriver } from './driver.js'
import { loadState, saveState } from './persist.js'
import { findTarget } from './props.js'
import { fileLock, type LockOptions } from './shared-lock.js'
import { newState, snapFullName, type State } from './state.js'

export interface SharedSimOptions extends LockOptions {
  readonly stateFile: string
  /** pools of a new state, when the file does not exist yet */
  readonly pools?: readonly string[]
}

interface Holder { st: State; driver: SimDriver; stamp: string | undefined }

const stampOf = async (file: string): Promise<string | undefined> => {
  try {
    const s = await stat(file, { bigint: true })
    return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return undefined
    throw e
  }
}

const DATASET_CALLS = [
  'create', 'snapshot', 'clone', 'promote', 'rename', 'renameSnapshot', 'destroy', 'exists', 'list',
  'getProperty', 'setProperty', 'inheritProperty', 'diff',
] as const

const TREE_CALLS = [
  'lstat', 'readdir', 'readlink', 'read', 'mkdir', 'symlink', 'link', 'mknod', 'unlink', 'rmdir',
  'rename', 'chmod', 'chown', 'utimes', 'listXattrs', 'getXattr', 'setXattr', 'removeXattr',
] as const

type Call = (...args: unknown[]) => TE.TaskEither<StorageError, unknown>

const collect = async (content: Content): Promise<Uint8Array> => {
  if (content instanceof Uint8Array) return content
  const parts: Uint8Array[] = []
  for await (const c of content) parts.push(c)
  return new Uint8Array(Buffer.concat(parts))
}

export const openSharedSimDriver = (opts: SharedSimOptions): TE.TaskEither<StorageError, SimDriver> => {
  const file = opts.stateFile
  const lock = fileLock(`${file}.lock`, opts)
  const persist = (st: State) => saveState(file, st)
  const h: Holder = { st: newState(opts.pools ?? ['testpool']), driver: undefined as never, stamp: undefined }
  const install = (st: State) => { h.st = st; h.driver = makeDriver(st, persist) }

  /** Brings `h` up to date with the file (creating it when missing); call with the lock held. */
  const refresh = async (): Promise<E.Either<StorageError, void>> => {
    const now = await stampOf(file)
    if (now === undefined) {
      install(newState(opts.pools ?? ['testpool']))
      const saved = await persist(h.st)()
      if (E.isLeft(saved)) return saved
    } else if (now !== h.stamp || h.driver === undefined) {
      const loaded = await loadState(file)()
      if (E.isLeft(loaded)) return loaded
      install(loaded.right)
    }
    h.stamp = await stampOf(file)
    return E.right(undefined)
  }

  const locked = <A>(body: () => Promise<E.Either<StorageError, A>>): TE.TaskEither<StorageError, A> => () =>
    lock.run(async () => {
      try {
        const fresh = await refresh()
        if (E.isLeft(fresh)) return fresh
        const r = await body()
        h.stamp = await stampOf(file)
        return r
      } catch (e) {
        return E.left(ioError('EIO', file, `shared simulator state: ${String(e)}`, e))
      }
    })

  /** The current name of the dataset or snapshot with this guid. */
  const nameNow = (kind: 'ds' | 'snap', guid: number): E.Either<StorageError, AnyName> => {
    if (kind === 'ds') {
      const d = h.st.datasets.get(guid)
      return d === undefined ? E.left(err('DatasetNotFound', { name: `(guid ${guid})` })) : E.right(d.name as AnyName)
    }
    const s = h.st.snaps.get(guid)
    return s === undefined ? E.left(err('DatasetNotFound', { name: `(guid ${guid})` })) : E.right(snapFullName(h.st, s))
  }

  const sharedTree = (kind: 'ds' | 'snap', guid: number, readOnly: boolean): FileTree => {
    const onTree = <A>(f: (t: FileTree) => TE.TaskEither<StorageError, A>): TE.TaskEither<StorageError, A> =>
      locked(() => pipe(TE.fromEither(nameNow(kind, guid)), TE.flatMap((n) => h.driver.fs(n)), TE.flatMap(f))())
    const out: Record<string, unknown> = { readOnly }
    for (const m of TREE_CALLS) out[m] = (...args: unknown[]) => onTree((t) => (t[m] as Call)(...args))
    out['writeFile'] = (path: string, content: Content, o?: unknown) => pipe(
      TE.tryCatch(() => collect(content), (e) => ioError('EIO', path, `reading content: ${String(e)}`, e)),
      TE.flatMap((bytes) => onTree((t) => t.writeFile(path, bytes, o as never))),
    )
    return out as unknown as FileTree
  }

  const driver: Record<string, unknown> = {
    capabilities: SIM_CAPABILITIES,
    fs: (name: AnyName) => locked(async () => E.map((t: ReturnType<typeof findTarget> extends E.Either<unknown, infer T> ? T : never) =>
      sharedTree(t.kind, t.rec.guid, t.kind === 'snap'))(findTarget(h.st, name))),
    saveState: (target: string) => locked(() => saveState(target, h.st)()),
  }
  for (const m of DATASET_CALLS) driver[m] = (...args: unknown[]) => locked(() => (h.driver[m] as Call)(...args)())

  return pipe(locked(async () => E.right(undefined)), TE.map(() => driver as unknown as SimDriver & Driver))
}
