/**
 * Opening a state file: `openSimDriver` for the persistent, multi-process simulator (a missing
 * file is created, an old-format file converted once), `loadSimDriver` for a private
 * in-memory copy of a file's newest state.
 */
import { openSync, readFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { ioError, type StorageError } from '@stratum/core'
import { makeDriver, memoryBacking, type SimDriver } from '../driver.js'
import { CorruptState } from '../lazy.js'
import { newState, type State } from '../state.js'
import { type FileBacking, fileBacking } from './backing.js'
import { StoreFile } from './file.js'
import { writeFreshStore } from './fresh.js'
import { type Lease, leaseOf } from './lease.js'
import { decodeLegacy, ioFail } from './legacy.js'
import { removeDeadTemps, resolveStateFile } from './paths.js'

/** Options of `openSimDriver`. */
export interface SimFileOptions {
  readonly stateFile: string
  /** pools of a new state, when the file does not exist yet */
  readonly pools?: readonly string[]
  /** how long a change waits for another process's lock before `Busy`; default 60 s */
  readonly timeoutMs?: number
}

const code = (e: unknown): string | undefined => (e as { code?: string } | null)?.code

const attempt = <A>(file: string, what: string, f: () => A): E.Either<StorageError, A> => {
  try {
    return E.right(f())
  } catch (e) {
    if (e instanceof CorruptState) return E.left(ioError('EIO', file, `${what}: ${e.message}`, e))
    return E.left(ioFail(file, what)(e))
  }
}

const save = (st: State, file: string): E.Either<StorageError, void> =>
  attempt(file, 'saving simulator state', () => writeFreshStore(resolveStateFile(file), st))

/** The store at `file`, or undefined when there is no file; an old-format file comes back as its state. */
const openStore = (file: string, flags: 'r' | 'r+'): StoreFile | State | undefined => {
  let fd: number
  try {
    fd = openSync(file, flags)
  } catch (e) {
    if (code(e) === 'ENOENT') return undefined
    throw e
  }
  const store = new StoreFile(file, fd)
  if (store.isStore()) return store
  store.close()
  const legacy = decodeLegacy(file, readFileSync(file))
  if (E.isLeft(legacy))
    throw new CorruptState(legacy.left._tag === 'Io' ? legacy.left.message : 'not a simulator state file')
  return legacy.right
}

/** One backing per state file in a process, shared by its drivers, so they never hide changes from each other. */
const backings = new Map<string, FileBacking>()

const backingOf = (path: string, store: StoreFile, lease: Lease): FileBacking => {
  let b = backings.get(path)
  if (b === undefined) {
    b = fileBacking(store, lease, save)
    backings.set(path, b)
  } else store.close()
  return b
}

/** A private copy of a state's namespace (object sets are immutable and stay shared). */
const copyState = (st: State): State => ({
  ...st,
  pools: [...st.pools],
  datasets: new Map([...st.datasets].map(([g, d]) => [g, { ...d, props: new Map(d.props), snaps: [...d.snaps] }])),
  snaps: new Map([...st.snaps].map(([g, s]) => [g, { ...s, props: new Map(s.props) }])),
  byName: new Map(st.byName),
})

/**
 * The simulator persisted in `stateFile`, shared by every process that opens it: created when
 * missing, each change taken under the file's lock (Busy after `timeoutMs`). Io when the file
 * cannot be read or written.
 *
 * @example
 * ```ts
 * const driver = await openSimDriver({ stateFile: './state.json', pools: ['tank'] })()
 * ```
 */
export const openSimDriver = (opts: SimFileOptions): TE.TaskEither<StorageError, SimDriver> => {
  const file = E.tryCatch(() => resolveStateFile(opts.stateFile), ioFail(opts.stateFile, 'resolving the state file'))
  if (E.isLeft(file)) return TE.left(file.left)
  const path = file.right
  const lease = leaseOf(`${path}.lock`, opts.timeoutMs)
  const opened = (): E.Either<StorageError, StoreFile | State | undefined> =>
    attempt(path, 'opening simulator state', () => openStore(path, 'r+'))
  // a missing or old-format file is written whole under the lock, then opened again
  const create = (): Promise<E.Either<StorageError, StoreFile>> =>
    lease.run(() =>
      pipe(
        opened(),
        E.flatMap((o) =>
          o instanceof StoreFile
            ? E.right(o)
            : pipe(
                save(o ?? newState(opts.pools ?? ['testpool']), path),
                E.flatMap(() => opened()),
                E.flatMap((again) =>
                  again instanceof StoreFile
                    ? E.right(again)
                    : E.left(ioError('EIO', path, 'simulator state: not written')),
                ),
              ),
        ),
      ),
    )
  return pipe(
    TE.fromEither(opened()),
    TE.tap(() => TE.fromIO(() => removeDeadTemps(path))),
    TE.flatMap((o) => (o instanceof StoreFile ? TE.right(o) : () => create())),
    TE.flatMap((store) => {
      const b = backingOf(path, store, lease)
      return pipe(
        b.read(() => E.right(undefined)),
        TE.map(() => makeDriver(b)),
      )
    }),
  )
}

/** A private in-memory copy of the newest state in `stateFile` (its changes are not saved): Io when it cannot be read or is not a state file. */
export const loadSimDriver = (stateFile: string): TE.TaskEither<StorageError, SimDriver> => {
  const path = resolveStateFile(stateFile)
  return pipe(
    TE.fromEither(attempt(path, 'reading simulator state', () => openStore(path, 'r'))),
    TE.flatMap((o) =>
      o === undefined ? TE.left(ioError('ENOENT', path, 'reading simulator state: no such file')) : TE.right(o),
    ),
    TE.flatMap((o) => {
      if (!(o instanceof StoreFile)) return TE.right(makeDriver(memoryBacking(o, (f) => TE.fromEither(save(o, f)))))
      const b = backingOf(path, o, leaseOf(`${path}.lock`))
      return pipe(
        TE.fromEither(attempt(path, 'reading simulator state', () => copyState(b.state()))),
        TE.map((st) => makeDriver(memoryBacking(st, (f) => TE.fromEither(save(st, f))))),
      )
    }),
  )
}
