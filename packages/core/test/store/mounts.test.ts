// Mount holds of container roots: reference counts in the pool, the last release unmounts,
// holds of gone processes released by recover, store operations remount an unmounted root.
import { createSimDriver } from '@stratum/sim-driver'
import { describe, expect, it } from 'vitest'
import type { Driver } from '../../src/driver.js'
import { datasetName, type DatasetName } from '../../src/names.js'
import { HOLDERS, parseHolds } from '../../src/store/mounts.js'
import { openLayerStore } from '../../src/store/open.js'
import { ownerHost } from '../../src/store/owner.js'
import { BASE, fail, ok } from './helpers.js'
import { makeTar, once } from './tar.js'

import * as TE from 'fp-ts/lib/TaskEither.js'

/** The simulator with host paths `/sim/<dataset>` (it has none of its own), to drive the store's mount logic. */
const withPaths = (d: Driver): Driver => ({
  ...d,
  capabilities: { ...d.capabilities, hostPaths: true },
  hostPath: (name) => TE.map(() => `/sim/${name}`)(d.getNative(name)),
})

const C = datasetName(`${BASE}/runtime/c`)
const setup = async () => {
  const driver = withPaths(createSimDriver({ pools: ['testpool'] }))
  const store = await ok(openLayerStore(driver, BASE))
  await ok(store.start('c', 'empty'))
  return { driver, store }
}
const holders = async (d: Driver, c: DatasetName) =>
  parseHolds((await ok(d.getProperty(c, HOLDERS)))?.value).map((h) => h.holder)
const mounted = async (d: Driver, c: DatasetName) => (await ok(d.getNative(c))).mounted

describe('store mount holds', () => {
  it('mount gives the host path; the same holder twice is one hold; the last release unmounts', async () => {
    const { driver, store } = await setup()
    expect(await ok(store.mount('c', 'a'))).toBe(`/sim/${C}`)
    await ok(store.mount('c', 'a'))
    await ok(store.mount('c', 'b'))
    expect(await holders(driver, C)).toEqual(['a', 'b'])
    await ok(store.unmount('c', 'a'))
    expect(await mounted(driver, C)).toBe(true)
    await ok(store.unmount('c', 'b'))
    expect(await holders(driver, C)).toEqual([])
    expect(await mounted(driver, C)).toBe(false)
    await ok(store.unmount('c', 'b'))
  })

  it('a driver without host paths: Unsupported, and no hold is recorded', async () => {
    const driver = createSimDriver({ pools: ['testpool'] })
    const store = await ok(openLayerStore(driver, BASE))
    await ok(store.start('c', 'empty'))
    expect(await fail(store.mount('c'))).toMatchObject({ _tag: 'Unsupported' })
    expect(await holders(driver, C)).toEqual([])
  })

  it('a missing container: DatasetNotFound; a holder with a tab: InvalidName', async () => {
    const { store } = await setup()
    expect(await fail(store.mount('nope'))).toMatchObject({ _tag: 'DatasetNotFound' })
    expect(await fail(store.mount('c', 'a\tb'))).toMatchObject({ _tag: 'InvalidName' })
  })

  it("recover releases a gone process's hold (and unmounts), keeps named holds", async () => {
    const { driver, store } = await setup()
    const dead = `${ownerHost()}/2147483646/s1-dead`
    await ok(store.mount('c', dead))
    await ok(store.mount('c', 'cli'))
    const report = await ok(store.recover())
    expect(report.released).toEqual([`${C} ${dead}`])
    expect(await holders(driver, C)).toEqual(['cli'])
    await ok(store.unmount('c', 'cli'))
    await ok(store.mount('c', dead))
    await ok(openLayerStore(driver, BASE)) // opening recovers
    expect(await holders(driver, C)).toEqual([])
    expect(await mounted(driver, C)).toBe(false)
  })

  it('this process holds by default, and recover leaves a live hold alone', async () => {
    const { driver, store } = await setup()
    await ok(store.mount('c'))
    expect((await ok(store.recover())).released).toEqual([])
    expect(await holders(driver, C)).toHaveLength(1)
  })

  it('apply and commit remount a root whose last hold was released; the layer packages', async () => {
    const { driver, store } = await setup()
    await ok(store.mount('c', 'x'))
    await ok(store.unmount('c', 'x'))
    expect(await mounted(driver, C)).toBe(false)
    await ok(store.apply('c', once(await makeTar([{ path: 'f', content: 'hello' }]))))
    await ok(store.unmount('c', 'x'))
    const committed = await ok(store.commit('c', { keep: false }))
    const packaged = await ok(store.packageLayer(committed.chainId))
    expect(packaged.diffId).toBe(committed.diffId)
  })
})

describe('start options', () => {
  it('refquota, quota and readonly are set by the clone itself; a bad value is InvalidName and starts nothing', async () => {
    const driver = createSimDriver({ pools: ['testpool'] })
    const store = await ok(openLayerStore(driver, BASE))
    await ok(store.start('c', 'empty', { refquota: 1 << 20, quota: 2 << 20, readonly: true }))
    expect(await ok(driver.getNative(C))).toMatchObject({ refquota: 1 << 20, quota: 2 << 20, readonly: true })
    expect(await fail(store.start('d', 'empty', { refquota: -1 }))).toMatchObject({ _tag: 'InvalidName' })
    expect(await ok(driver.exists(datasetName(`${BASE}/runtime/d`)))).toBe(false)
  })
})
