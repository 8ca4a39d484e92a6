import { createSimDriver } from '@stratum/sim-driver'
import { describe, expect, it } from 'vitest'
import { datasetName, snapshotName } from '../../src/names.js'
import { openLayerStore } from '../../src/store/open.js'
import { BASE, fail, ok } from './helpers.js'

const c1 = `${BASE}/runtime/c1`

describe('snapshots others made on a container (zfs-auto-snapshot, an admin)', () => {
  it('rm refuses with HasChildren naming them and keeps the container unlocked; force destroys them', async () => {
    const d = createSimDriver()
    const s = await ok(openLayerStore(d, BASE))
    await ok(s.start('c1', 'empty'))
    await ok(d.snapshot(snapshotName(`${c1}@autosnap_hourly`)))
    expect(await fail(s.removeContainer('c1'))).toMatchObject({
      _tag: 'HasChildren',
      name: c1,
      dependents: [`${c1}@autosnap_hourly`],
    })
    // nothing lost, the lock released: the container and its snapshot are as before
    expect((await ok(s.listContainers())).map((c) => c.id)).toEqual(['c1'])
    expect(await ok(d.exists(snapshotName(`${c1}@autosnap_hourly`)))).toBe(true)
    expect(await ok(d.exists(snapshotName(`${c1}@extracted`)))).toBe(false)
    await ok(s.removeContainer('c1', { force: true }))
    expect(await ok(s.listContainers())).toEqual([])
    expect(await ok(d.exists(datasetName(c1)))).toBe(false)
  })
})
