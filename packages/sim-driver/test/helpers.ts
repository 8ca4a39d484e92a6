import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import { datasetName, describe as describeError, propertyName, snapshotName, type StorageError } from '@stratum/core'

/** Runs a task that must succeed. */
export const ok = async <A>(te: TaskEither<StorageError, A>): Promise<A> => {
  const r = await te()
  if (E.isLeft(r)) throw new Error(`expected success, got ${describeError(r.left)}`)
  return r.right
}

/** Runs a task that must fail, returning its error. */
export const bad = async <A>(te: TaskEither<StorageError, A>): Promise<StorageError> => {
  const r = await te()
  if (E.isRight(r)) throw new Error(`expected failure, got ${JSON.stringify(r.right)}`)
  return r.left
}

export const ds = datasetName
export const sn = snapshotName
export const prop = propertyName
export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s)
export const text = async (it: AsyncIterable<Uint8Array>): Promise<string> => {
  const parts: Uint8Array[] = []
  for await (const c of it) parts.push(c)
  return Buffer.concat(parts).toString()
}
