/**
 * The conformance process checks against real OpenZFS: LayerStore processes SIGKILLed at
 * random moments (their zfs commands with them) recover, and processes extracting images that
 * share layers at once all succeed with one dataset per chainID while another is killed.
 * Runs only where STRATUM_ZFS_POOL names a pool (the qemu guest of vm/ sets it), in a fresh
 * `<pool>/procs-<uuid>` destroyed recursively at the end. Real zfs commands are slow (in the
 * emulated guest, ~150-300 ms each, a Node start 1-2 s), so unless the environment says
 * otherwise: 3 kill runs, time bounds x10, kill delays x40 (0.8-12.8 s after 'ready', to land
 * inside a later churn cycle); see conformance's processes/settings.ts for STRATUM_KILL_*.
 */
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { datasetName } from '@stratum/core'
import * as E from 'fp-ts/lib/Either.js'
import { it } from 'vitest'
import { openZfsForProcesses, ZFS_SPEC } from './fixtures/process-driver.js'

const pool = process.env.STRATUM_ZFS_POOL ?? ''

if (pool === '') {
  it.skip('real ZFS process checks (SIGKILLed and concurrent store processes): set STRATUM_ZFS_POOL (runs in the qemu guest, see vm/)', () => {})
} else {
  const { budgetFromEnv, runProcessChecks } = await import('@stratum/conformance')
  const root = datasetName(`${pool}/procs-${randomUUID()}`)
  const driver = async () => {
    const d = await openZfsForProcesses(ZFS_SPEC)()
    if (E.isLeft(d)) throw new Error(JSON.stringify(d.left))
    return d.right
  }
  const setup = async (): Promise<void> => {
    const r = await (await driver()).create(root)()
    if (E.isLeft(r)) throw new Error(`create ${root}: ${JSON.stringify(r.left)}`)
  }
  const cleanup = async (): Promise<void> => {
    const r = await (await driver()).destroy(root, { recursive: true, dependents: true })()
    if (E.isLeft(r) && r.left._tag !== 'DatasetNotFound')
      throw new Error(`cleanup of ${root}: ${JSON.stringify(r.left)}`)
  }
  runProcessChecks({
    name: `zfs-driver on pool ${pool}`,
    childScript: join(import.meta.dirname, 'fixtures', 'process-child.ts'),
    driverSpec: () => ZFS_SPEC,
    openDriver: openZfsForProcesses,
    base: (check) => datasetName(`${root}/${check}`),
    settings: budgetFromEnv({
      STRATUM_KILL_RUNS: '3',
      STRATUM_KILL_SCALE: '10',
      STRATUM_KILL_DELAY_SCALE: '40',
      ...process.env,
    }).kill,
    setup,
    cleanup,
  })
}
