// init (the first open of a store) turns zfs-auto-snapshot off for the store's datasets.
import { createSimDriver } from '@stratum/sim-driver'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { err } from '../../src/errors.js'
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

describe('opening with create: false (read-only commands)', () => {
  it('a missing base, or a base that holds no store, is DatasetNotFound naming it, and nothing is created', async () => {
    const d = createSimDriver()
    expect(await openLayerStore(d, BASE, { create: false })()).toEqual(E.left(err('DatasetNotFound', { name: BASE })))
    expect(await d.list(BASE)()).toEqual(E.left(err('DatasetNotFound', { name: BASE })))
    await ok(d.create(BASE))
    expect(await openLayerStore(d, BASE, { create: false })()).toEqual(E.left(err('DatasetNotFound', { name: BASE })))
    expect((await ok(d.list(BASE))).map((i) => i.name)).toEqual([BASE])
  })

  it('an existing store opens as with create', async () => {
    const d = createSimDriver()
    await ok((await ok(openLayerStore(d, BASE))).start('web', 'empty'))
    const s = await ok(openLayerStore(d, BASE, { create: false }))
    expect((await ok(s.listContainers())).map((c) => c.id)).toEqual(['web'])
  })
})
