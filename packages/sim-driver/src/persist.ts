/**
 * Saving and loading the whole state. `v8.serialize` keeps shared references, so snapshots
 * and clones stay shared after a load. A save writes `<file>.tmp-<pid>-<rand>`, fsyncs it,
 * renames it over `<file>` and fsyncs the directory: a crash leaves the old or the new file.
 * A file that does not decode to a state is an `Io` error naming it.
 */
import { randomBytes } from 'node:crypto'
import { open, readFile, rename, unlink } from 'node:fs/promises'
import { dirname } from 'node:path'
import * as v8 from 'node:v8'
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import { ioError, type FsCode, type StorageError } from '@stratum/core'
import type { State } from './state.js'

const codeOf = (cause: unknown): FsCode => {
  const c = (cause as { code?: unknown } | null)?.code
  return c === 'ENOENT' || c === 'EACCES' || c === 'EISDIR' || c === 'ENOTDIR' ? (c === 'EACCES' ? 'EIO' : c) : 'EIO'
}

const fail = (file: string, what: string) => (cause: unknown): StorageError =>
  ioError(codeOf(cause), file, `${what}: ${cause instanceof Error ? cause.message : String(cause)}`, cause)

const fsyncDir = async (dir: string): Promise<void> => {
  const fh = await open(dir, 'r')
  try { await fh.sync() } finally { await fh.close() }
}

export const saveState = (file: string, st: State): TE.TaskEither<StorageError, void> => {
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`
  return TE.tryCatch(async () => {
    const data = v8.serialize(st)
    try {
      const fh = await open(tmp, 'w', 0o600)
      try {
        await fh.writeFile(data)
        await fh.sync()
      } finally { await fh.close() }
      await rename(tmp, file)
    } catch (e) {
      await unlink(tmp).catch(() => undefined)
      throw e
    }
    await fsyncDir(dirname(file))
  }, fail(file, 'saving simulator state'))
}

const isMap = (u: unknown): u is Map<unknown, unknown> => u instanceof Map
const MapC = new t.Type<Map<unknown, unknown>>('Map', isMap, (u, c) => (isMap(u) ? t.success(u) : t.failure(u, c)), t.identity)

const StateShape = t.type({
  version: t.literal(1),
  pools: t.array(t.string),
  datasets: MapC,
  snaps: MapC,
  byName: MapC,
  nextGuid: t.number,
  nextObj: t.number,
  txg: t.number,
})
const DatasetShape = t.type({
  guid: t.number, name: t.string, origin: t.union([t.number, t.null]), props: MapC, snaps: t.array(t.number),
  objset: t.type({ objects: t.type({ size: t.number }), rootObj: t.number }),
})
const SnapShape = t.type({
  guid: t.number, ds: t.number, short: t.string, props: MapC, txg: t.number,
  objset: t.type({ objects: t.type({ size: t.number }), rootObj: t.number }),
})

/** Checks the decoded value's shape: the top level and every dataset and snapshot record. */
const validate = (u: unknown): u is State => {
  if (!StateShape.is(u)) return false
  for (const d of u.datasets.values()) if (!DatasetShape.is(d) || u.byName.get(d.name) !== d.guid) return false
  for (const s of u.snaps.values()) if (!SnapShape.is(s) || !u.datasets.has(s.ds)) return false
  return true
}

export const decodeState = (file: string, data: Buffer): E.Either<StorageError, State> => {
  const value = E.tryCatch(() => v8.deserialize(data) as unknown, fail(file, 'corrupt simulator state'))
  return pipe(value, E.flatMap((u) => (validate(u)
    ? E.right(u)
    : E.left(ioError('EIO', file, 'corrupt simulator state: not a simulator state file')))))
}

export const loadState = (file: string): TE.TaskEither<StorageError, State> =>
  pipe(TE.tryCatch(() => readFile(file), fail(file, 'reading simulator state')), TE.flatMap((d) => TE.fromEither(decodeState(file, d))))
