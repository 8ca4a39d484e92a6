/** The file side of an oracle: what the file-tree commands (fs.ts) ask of it (types only). */
import type { FileTree, FsCode, StorageError } from '@stratum/core'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { FsOp } from '../fs-op.js'
import type * as T from '../model/tree.js'

/** An operation on one tree: the driver's call and the reference model's (its errno, undefined for success). */
export interface TreeCall {
  readonly side: (t: FileTree) => TaskEither<StorageError, unknown>
  readonly model: (t: T.Tree, c: T.Clock) => FsCode | undefined
}

/** Where an operation on dataset #ds lands: the dataset and its resolved paths. */
export interface FsTarget {
  readonly rel: string
  readonly path: string
  readonly from: string | undefined
}

/** The file side of an oracle. */
export interface FsOracle {
  /** whether an operation on dataset #ds is generated (the model leaves out what it does not model) */
  allows(ds: number, op: FsOp): boolean
  /** whether a write of `name` into snapshot #snap is generated */
  allowsSnapshotWrite(snap: number, name: string): boolean
  /** the dataset #ds and the paths of `op` there; undefined when its tree could be read on no side */
  resolve(ds: number, op: FsOp): Promise<FsTarget | undefined>
  /** the call on the tree of `rel`, checked */
  call(rel: string, what: string, c: TreeCall): Promise<void>
  /** symlink targets to pick from */
  readonly linkTargets: readonly string[]
  /** owners are set and compared */
  readonly chown: boolean
}
