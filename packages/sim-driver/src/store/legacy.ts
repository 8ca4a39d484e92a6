/**
 * State files of the earlier format (version 1: the whole state v8-serialized in one file).
 * They are read once, checked, and converted to the record format in place (open.ts).
 */
import * as v8 from 'node:v8'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import { ioError, type FsCode, type StorageError } from '@stratum/core'
import type { State } from '../state.js'
import { checkState } from './check.js'

const codeOf = (cause: unknown): FsCode => {
  const c = (cause as { code?: unknown } | null)?.code
  return c === 'ENOENT' || c === 'EACCES' || c === 'EISDIR' || c === 'ENOTDIR' ? (c === 'EACCES' ? 'EIO' : c) : 'EIO'
}

export const ioFail =
  (file: string, what: string) =>
  (cause: unknown): StorageError =>
    ioError(codeOf(cause), file, `${what}: ${cause instanceof Error ? cause.message : String(cause)}`, cause)

const isMap = (u: unknown): u is Map<unknown, unknown> => u instanceof Map
const MapC = new t.Type<Map<unknown, unknown>>(
  'Map',
  isMap,
  (u, c) => (isMap(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
)

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
  guid: t.number,
  name: t.string,
  origin: t.union([t.number, t.null]),
  props: MapC,
  snaps: t.array(t.number),
  objset: t.type({ objects: t.type({ size: t.number }), rootObj: t.number }),
})
const SnapShape = t.type({
  guid: t.number,
  ds: t.number,
  short: t.string,
  props: MapC,
  txg: t.number,
  objset: t.type({ objects: t.type({ size: t.number }), rootObj: t.number }),
})

/** Checks the decoded value's shape: the top level and every dataset and snapshot record. */
const validate = (u: unknown): u is State => {
  if (!StateShape.is(u)) return false
  for (const d of u.datasets.values()) if (!DatasetShape.is(d) || u.byName.get(d.name) !== d.guid) return false
  for (const s of u.snaps.values()) if (!SnapShape.is(s) || !u.datasets.has(s.ds)) return false
  return true
}

/** The state in a version-1 file, checked for shape and consistency; an `Io` error naming the file otherwise. */
export const decodeLegacy = (file: string, data: Buffer): E.Either<StorageError, State> => {
  const value = E.tryCatch(() => v8.deserialize(data) as unknown, ioFail(file, 'corrupt simulator state'))
  return pipe(
    value,
    E.flatMap((u) => {
      if (!validate(u)) return E.left(ioError('EIO', file, 'corrupt simulator state: not a simulator state file'))
      const bad = checkState(u, u.datasets.size)
      return bad === undefined ? E.right(u) : E.left(ioError('EIO', file, `inconsistent simulator state: ${bad}`))
    }),
  )
}
