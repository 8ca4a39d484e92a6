/**
 * The model-run world: the model side (reference model + what the suite compares) and the
 * real side (the driver), and the base every command builds on. Commands hold indexes into
 * the model's current lists, never names: a name is chosen at run time from what exists.
 */
import type { Capabilities, DatasetName, Driver, StorageError } from '@stratum/core'
import { describeError } from '@stratum/core'
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import { expect } from 'vitest'
import {
  type MDataset,
  type MSnapshot,
  type Model,
  type Outcome,
  datasetList,
  snapName,
  snapshotList,
} from '../model/state.js'

export interface World {
  readonly m: Model
  readonly caps: Capabilities
}

export interface Real {
  readonly driver: Driver
  readonly base: DatasetName
}

/** Only user properties in this module are compared: a backend may set its own elsewhere. */
export const PROPS = ['conformance:a', 'conformance:b'] as const
export const ownProp = (k: string): boolean => k.startsWith('conformance:')

export { pick } from '../commands/oracle.js'

export const datasets = (m: Model): MDataset[] => datasetList(m)
/** every dataset but the fixture's base, which the suite never renames or destroys */
export const movable = (m: Model): MDataset[] => datasetList(m).filter((d) => d.name !== m.base)
export const snapshots = (m: Model): MSnapshot[] => snapshotList(m)
/** datasets then snapshots, by name */
export const anyNames = (m: Model): string[] => [
  ...movable(m).map((d) => d.name),
  ...snapshots(m).map((s) => snapName(m, s)),
]

export const outcomeOf = (r: E.Either<StorageError, unknown>): Outcome =>
  E.isRight(r) ? 'ok' : r.left._tag === 'Io' ? `Io:${r.left.code}` : r.left._tag

/** Runs the driver call and asserts its outcome is the model's. */
export const same = async <A>(
  what: string,
  expected: Outcome,
  te: TaskEither<StorageError, A>,
): Promise<A | undefined> => {
  const r = await te()
  const got = outcomeOf(r)
  expect(got, `${what}: model says ${expected}, driver says ${E.isLeft(r) ? describeError(r.left) : 'ok'}`).toBe(
    expected,
  )
  return E.isRight(r) ? r.right : undefined
}
