/**
 * The shared conformance suite against real OpenZFS, one part per test file (algebra, layers,
 * hostile, crash) so that a guest with two CPUs runs them side by side. Runs only where a pool is named
 * in STRATUM_ZFS_POOL (the qemu guest of vm/ sets it); STRATUM_ZFS_OTHER_POOL, when set, names
 * a second pool for the cross-pool checks. Each test gets a fresh `<pool>/stratum-test-<uuid>`
 * base, created with LAYER_STORE_PROPERTIES (children inherit them), destroyed with -r -R after.
 */
import { randomUUID } from 'node:crypto'
import { it } from 'vitest'
import { datasetName, type DatasetName, type Driver } from '@stratum/core'
import type { Part } from '@stratum/conformance'
import { createZfsDriver, LAYER_STORE_PROPERTIES } from '../../src/index.js'

const pool = process.env.STRATUM_ZFS_POOL ?? ''
const otherPool = process.env.STRATUM_ZFS_OTHER_POOL ?? ''

const mustRun = async <A>(
  what: string,
  te: () => Promise<{ _tag: 'Left'; left: unknown } | { _tag: 'Right'; right: A }>,
): Promise<A> => {
  const r = await te()
  if (r._tag === 'Left') throw new Error(`${what}: ${JSON.stringify(r.left)}`)
  return r.right
}

const freshBase = async (poolName: string): Promise<DatasetName> => {
  const base = datasetName(`${poolName}/stratum-test-${randomUUID()}`)
  await mustRun(`create ${base}`, createZfsDriver({ createProperties: LAYER_STORE_PROPERTIES }).create(base))
  return base
}

const destroyAll = async (driver: Driver, base: DatasetName): Promise<void> => {
  const r = await driver.destroy(base, { recursive: true, dependents: true })()
  if (r._tag === 'Left' && r.left._tag !== 'DatasetNotFound')
    throw new Error(`cleanup of ${base}: ${JSON.stringify(r.left)}`)
}

/** Registers one part of the suite on the pool, or one visible skip naming STRATUM_ZFS_POOL. */
export const conformanceOnPool = async (part: Part): Promise<void> => {
  if (pool === '') {
    it.skip(`real ZFS conformance (${part}): set STRATUM_ZFS_POOL (runs in the qemu guest, see vm/)`, () => {})
    return
  }
  const { budgetFromEnv, runConformance } = await import('@stratum/conformance')
  runConformance({
    name: `zfs-driver on pool ${pool}`,
    budget: budgetFromEnv(),
    parts: [part],
    factory: async () => {
      const driver = createZfsDriver()
      const base = await freshBase(pool)
      const other = otherPool === '' ? undefined : await freshBase(otherPool)
      return {
        driver,
        base,
        ...(other === undefined ? {} : { otherPool: other }),
        cleanup: async () => {
          await destroyAll(driver, base)
          if (other !== undefined) await destroyAll(driver, other)
        },
      }
    },
  })
}
