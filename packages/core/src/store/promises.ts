/**
 * The store for callers who do not use fp-ts: the same operations returning Promises that
 * resolve to the result or reject with the `StorageError` value (never an Error), and run at
 * once when called (no trailing `()` to forget).
 */
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { Driver } from '../driver.js'
import type { StorageError } from '../errors.js'
import type { DatasetName } from '../names.js'
import type { StoreOptions } from './context.js'
import { openLayerStore } from './open.js'
import type { LayerStore } from './types.js'

/**
 * Runs `task`: resolves to its result, or rejects with its `StorageError` value.
 * @example
 * ```ts
 * const layers = await runTask(store.listLayers())
 * ```
 */
export const runTask = async <A>(task: TaskEither<StorageError, A>): Promise<A> => {
  const r = await task()
  if (E.isLeft(r)) throw r.left
  return r.right
}

/** A `LayerStore` whose operations return Promises (rejecting with a `StorageError`) instead of TaskEithers. */
export type PromiseLayerStore = {
  readonly [K in keyof LayerStore]: LayerStore[K] extends (...args: infer A) => TaskEither<StorageError, infer R>
    ? (...args: A) => Promise<R>
    : LayerStore[K]
}

/** `store` with every operation run at once as a Promise. */
export const promiseStore = (store: LayerStore): PromiseLayerStore => {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(store))
    out[key] =
      typeof value === 'function'
        ? (...args: unknown[]) => runTask((value as (...a: unknown[]) => TaskEither<StorageError, unknown>)(...args))
        : value
  return out as PromiseLayerStore
}

/**
 * `openLayerStore` as a Promise: the store under `base` on `driver`, recovered, its operations
 * returning Promises. Rejects with the `StorageError` opening met (e.g. `ParentNotFound` when
 * the pool does not exist).
 * @example
 * ```ts
 * const store = await openStore(createSimDriver({ pools: ['tank'] }), datasetName('tank/stratum'))
 * try {
 *   const image = await store.extractImage('./image', 'latest')
 * } catch (e) {
 *   if (isStorageError(e)) console.error(describeError(e))
 * }
 * ```
 */
export const openStore = async (
  driver: Driver,
  base: DatasetName,
  options: StoreOptions = {},
): Promise<PromiseLayerStore> => promiseStore(await runTask(openLayerStore(driver, base, options)))
