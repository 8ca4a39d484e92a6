/**
 * The store's skeleton: the datasets `openLayerStore` creates when missing (base, storage/,
 * storage/empty@extracted, runtime/, tmp/) and the properties they are created with. The base
 * gets `com.sun:auto-snapshot=false` (zfs-auto-snapshot and sanoid's default templates honour it),
 * so those tools leave the store alone; every dataset under it inherits the value, so listings
 * report it (see docs/DESIGN.md "Data others make").
 */
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { DatasetInfo, Driver } from '../driver.js'
import type { StorageError } from '../errors.js'
import { type AnyName, type DatasetName, isSnapshotName, type PropertyName } from '../names.js'
import { type LayerState, PROP, type StoreLayout } from './layout.js'
import { createDataset, createSnapshot } from './ops.js'
import { must, steps } from './steps.js'

/** The property zfs-auto-snapshot (and sanoid's templates) read to skip a dataset and those below it. */
export const AUTO_SNAPSHOT = 'com.sun:auto-snapshot' as PropertyName

/** What `stratum:state` work in each area inherits: tmp/ is extracting, storage/ is ready (layout.ts). */
const areaStates = (layout: StoreLayout): readonly (readonly [DatasetName, LayerState])[] => [
  [layout.storage, 'ready'],
  [layout.tmp, 'extracting'],
]

const createProps = (layout: StoreLayout, n: AnyName): Record<string, string> =>
  n === layout.base
    ? { [AUTO_SNAPSHOT]: 'false' }
    : Object.fromEntries(areaStates(layout).flatMap(([area, state]) => (area === n ? [[PROP.state, state]] : [])))

/**
 * Creates what of the skeleton `listing` (of the base) lacks; true when something was missing.
 * A store being made on a base that already existed gets `com.sun:auto-snapshot=false` set (one
 * zfs set, at that first open only: an admin may change it later); a store made before the
 * areas carried their state gets it.
 */
export const ensureSkeleton = (
  d: Driver,
  layout: StoreLayout,
  listing: readonly DatasetInfo[],
): TE.TaskEither<StorageError, boolean> =>
  steps(async () => {
    const have = new Map(listing.map((i) => [i.name as string, i.properties]))
    const wanted: readonly AnyName[] = [
      layout.base,
      layout.storage,
      layout.layer('empty'),
      layout.layerSnap('empty'),
      layout.runtime,
      layout.tmp,
    ]
    const missing = wanted.filter((n) => !have.has(n))
    for (const n of missing)
      await must(isSnapshotName(n) ? createSnapshot(d, n) : createDataset(d, n as DatasetName, createProps(layout, n)))
    const base = have.get(layout.base)
    if (base !== undefined && missing.includes(layout.storage) && base[AUTO_SNAPSHOT] !== 'false')
      await must(d.setProperty(layout.base, AUTO_SNAPSHOT, 'false'))
    for (const [area, state] of areaStates(layout))
      if (have.has(area) && have.get(area)?.[PROP.state] !== state) await must(d.setProperty(area, PROP.state, state))
    return missing.length > 0
  })
