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

describe('commit and rmi never destroy snapshots others made (docs/DESIGN.md "Data others make")', () => {
  const snap = (n: string) => snapshotName(n)

  it('a not-kept commit moves a container snapshot onto the new layer and reports it there', async () => {
    const d = createSimDriver()
    const s = await ok(openLayerStore(d, BASE))
    await ok(s.start('c1', 'empty'))
    await ok(d.snapshot(snap(`${c1}@autosnap_hourly`)))
    const r = await ok(s.commit('c1', { keep: false }))
    const moved = `${s.layout.layer(r.chainId)}@autosnap_hourly`
    expect(r).toMatchObject({ deduped: false, foreign: [moved] })
    expect(r.containerKept).toBeUndefined()
    expect(await ok(d.exists(snap(moved)))).toBe(true)
    expect((await ok(s.listLayers())).map((l) => l.chainId)).toEqual([r.chainId])
  })

  it('a kept commit moves it onto the layer by the promote; the container stays a clone of the layer', async () => {
    const d = createSimDriver()
    const s = await ok(openLayerStore(d, BASE))
    await ok(s.start('c1', 'empty'))
    await ok(d.snapshot(snap(`${c1}@autosnap_hourly`)))
    const r = await ok(s.commit('c1', { keep: true }))
    const moved = `${s.layout.layer(r.chainId)}@autosnap_hourly`
    expect(r.foreign).toEqual([moved])
    expect(await ok(d.exists(snap(moved)))).toBe(true)
    expect((await ok(s.listContainers())).map((c) => c.parent)).toEqual([r.chainId])
  })

  it('a not-kept commit that dedupes keeps the container holding one, unlocked, and says so', async () => {
    const d = createSimDriver()
    const s = await ok(openLayerStore(d, BASE))
    await ok(s.start('c1', 'empty'))
    await ok(s.start('c2', 'empty'))
    const first = await ok(s.commit('c1', { keep: false }))
    const c2 = `${BASE}/runtime/c2`
    await ok(d.snapshot(snap(`${c2}@autosnap_daily`)))
    const r = await ok(s.commit('c2', { keep: false }))
    expect(r).toMatchObject({ chainId: first.chainId, deduped: true, foreign: [`${c2}@autosnap_daily`] })
    expect(r.containerKept).toBe(true)
    expect(await ok(d.exists(snap(`${c2}@autosnap_daily`)))).toBe(true)
    expect(await ok(d.exists(snap(`${c2}@extracted`)))).toBe(false)
    expect((await ok(s.listContainers())).map((c) => c.id)).toEqual(['c2'])
    // the store is consistent: nothing for recover to do
    expect(await ok(s.recover())).toMatchObject({ destroyed: [], rolledBack: [], completed: [] })
  })

  it('rmi of a layer holding one refuses with HasChildren naming it, and destroys nothing', async () => {
    const d = createSimDriver()
    const s = await ok(openLayerStore(d, BASE))
    await ok(s.start('c1', 'empty'))
    const { chainId } = await ok(s.commit('c1', { keep: false }))
    const foreign = `${s.layout.layer(chainId)}@zfs-auto-snap_hourly-2026-12-01-1200`
    await ok(d.snapshot(snap(foreign)))
    expect(await fail(s.removeLayer(chainId))).toMatchObject({
      _tag: 'HasChildren',
      name: s.layout.layer(chainId),
      dependents: [foreign],
    })
    expect(await ok(d.exists(snap(foreign)))).toBe(true)
    expect((await ok(s.listLayers())).map((l) => l.chainId)).toEqual([chainId])
  })
})
