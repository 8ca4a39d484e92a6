/**
 * The conformance process checks against real OpenZFS: LayerStore processes SIGKILLed at
 * random moments (their zfs commands with them) recover, and processes extracting images that
 * share layers at once all succeed with one dataset per chainID while another is killed.
 * Runs only where STRATUM_ZFS_POOL names a pool (the qemu guest of vm/ sets it), in a fresh
 * `<pool>/procs-<uuid>` destroyed recursively at the end. Under emulation, size the time
 * bounds with STRATUM_KILL_SCALE / STRATUM_KILL_DELAY_SCALE (see conformance's processes/settings.ts).
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
  const { runProcessChecks } = await import('@stratum/conformance')
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
    if (E.isLeft(r) && r.left._tag !== 'DatasetNotFound') throw new Error(`cleanup of ${root}: ${JSON.stringify(r.left)}`)
  }
  runProcessChecks({
    name: `zfs-driver on pool ${pool}`,
    childScript: join(import.meta.dirname, 'fixtures', 'process-child.ts'),
    driverSpec: () => ZFS_SPEC,
    openDriver: openZfsForProcesses,
    base: (check) => datasetName(`${root}/${check}`),
    setup,
    cleanup,
  })
}
