// init (the first open of a store) turns zfs-auto-snapshot off for the store's datasets.
import { createSimDriver } from '@stratum/sim-driver'
import { describe, expect, it } from 'vitest'
import { openLayerStore } from '../../src/store/open.js'
import { AUTO_SNAPSHOT } from '../../src/store/skeleton.js'
import { BASE, ok } from './helpers.js'

const autoSnapshot = async (d: ReturnType<typeof createSimDriver>, name = BASE) =>
  (await ok(d.getProperty(name, AUTO_SNAPSHOT)))?.value

describe('com.sun:auto-snapshot on the base', () => {
  it('a new base is created with it false, and every dataset of the store inherits it', async () => {
    const d = createSimDriver()
    const s = await ok(openLayerStore(d, BASE))
    await ok(s.start('web', 'empty'))
    expect(await autoSnapshot(d)).toBe('false')
    const listed = await ok(d.list(BASE))
    expect(listed.filter((i) => i.properties[AUTO_SNAPSHOT] !== 'false').map((i) => i.name)).toEqual([])
  })

  it("a base that existed gets it set at the store's creation only: an admin's later choice stays", async () => {
    const d = createSimDriver()
    await ok(d.create(BASE))
    expect(await autoSnapshot(d)).toBeUndefined()
    await ok(openLayerStore(d, BASE))
    expect(await autoSnapshot(d)).toBe('false')
    await ok(d.setProperty(BASE, AUTO_SNAPSHOT, 'true'))
    await ok(openLayerStore(d, BASE))
    expect(await autoSnapshot(d)).toBe('true')
  })
})
