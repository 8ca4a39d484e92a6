/**
 * `zfs list -H -p -o name,type,origin,createtxg,clones -t filesystem,snapshot -r <root>`
 * rows, and zfs's own order (cmd/zfs/zfs_iter.c zfs_compare): byte order of the dataset
 * part, a filesystem before its snapshots, snapshots by createtxg.
 */
import * as A from 'fp-ts/lib/Array.js'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import type { AnyName, DatasetName, DatasetType, SnapshotName, StorageError } from '@stratum/core'
import { AnyNameC, IntegerC, NameListC, OriginC, badOutput, decodeWith, outputLines } from './rows.js'

/** One row of `zfs list -Hp` output. */
export interface ListRow {
  readonly name: AnyName
  readonly type: DatasetType
  readonly origin: SnapshotName | null
  readonly createtxg: number
  /** as printed (the property is cut at 8 KiB by zfs list) */
  readonly clones: readonly DatasetName[]
}

const TypeC = t.keyof({ filesystem: null, snapshot: null })
const RowC = t.tuple([AnyNameC, TypeC, OriginC, IntegerC, NameListC])

const decodeRow =
  (subject: string) =>
  (line: string): E.Either<StorageError, ListRow> =>
    pipe(
      line.split('\t'),
      decodeWith(RowC, 'zfs list', subject, line),
      E.flatMap(([name, type, origin, createtxg, clones]) =>
        (type === 'snapshot') === name.includes('@')
          ? E.right({ name, type, origin, createtxg, clones })
          : E.left(badOutput('zfs list', subject, line, `type '${type}' does not match the name`)),
      ),
    )

/** Parses `zfs list -Hp` output about `subject`: Io (EIO) on malformed output. */
export const parseList = (subject: string, text: string): E.Either<StorageError, ListRow[]> =>
  pipe(outputLines(text), A.traverse(E.Applicative)(decodeRow(subject)))

const datasetPart = (n: string): Buffer => Buffer.from(n.includes('@') ? n.slice(0, n.indexOf('@')) : n, 'utf8')

/** zfs_compare: dataset part in byte order, the filesystem first, then its snapshots by createtxg. */
export const compareZfsOrder = (a: ListRow, b: ListRow): number => {
  const byDataset = Buffer.compare(datasetPart(a.name), datasetPart(b.name))
  if (byDataset !== 0) return byDataset
  const aSnap = a.type === 'snapshot' ? 1 : 0
  const bSnap = b.type === 'snapshot' ? 1 : 0
  if (aSnap !== bSnap) return aSnap - bSnap
  if (a.createtxg !== b.createtxg) return a.createtxg - b.createtxg
  return Buffer.compare(Buffer.from(a.name), Buffer.from(b.name))
}

/** The rows in zfs's own order: each dataset before its children, snapshots by creation. */
export const sortZfsOrder = (rows: readonly ListRow[]): ListRow[] => [...rows].sort(compareZfsOrder)
