// usage(): unique and referenced bytes per layer and container, and a container at its refquota.
import { createSimDriver } from '@stratum/sim-driver'
import { describe, expect, it } from 'vitest'
import { openLayerStore } from '../../src/store/open.js'
import { BASE, fail, ok } from './helpers.js'
import { makeTar, once } from './tar.js'

const KiB = 1024
const text = (n: number, c: string) => c.repeat(n)

describe('store usage', () => {
  it("a container's writes are its unique bytes; a committed layer refers to its parent's bytes plus its own", async () => {
    const store = await ok(openLayerStore(createSimDriver({ pools: ['testpool'] }), BASE))
    await ok(store.start('c', 'empty'))
    await ok(store.apply('c', once(await makeTar([{ path: 'a', content: text(40 * KiB, 'a') }]))))
    const { chainId: lower } = await ok(store.commit('c', { keep: false }))
    await ok(store.start('d', lower, { refquota: 100 * KiB }))
    await ok(store.apply('d', once(await makeTar([{ path: 'b', content: text(10 * KiB, 'b') }]))))
    const u = await ok(store.usage())
    expect(u.layers).toEqual([expect.objectContaining({ chainId: lower, unique: 40 * KiB, referenced: 40 * KiB })])
    expect(u.containers).toEqual([
      expect.objectContaining({
        id: 'd',
        unique: 10 * KiB,
        referenced: 50 * KiB,
        available: 50 * KiB,
        refquota: 100 * KiB,
      }),
    ])
  })

  it('a write past the refquota is QuotaExceeded naming the container; usage then shows it at its limit', async () => {
    const store = await ok(openLayerStore(createSimDriver({ pools: ['testpool'] }), BASE))
    await ok(store.start('c', 'empty', { refquota: 64 * KiB }))
    await ok(store.apply('c', once(await makeTar([{ path: 'a', content: text(64 * KiB, 'a') }]))))
    expect(await fail(store.apply('c', once(await makeTar([{ path: 'b', content: 'x' }]))))).toMatchObject({
      _tag: 'QuotaExceeded',
      name: `${BASE}/runtime/c`,
      property: 'refquota',
      limit: 64 * KiB,
    })
    const [c] = (await ok(store.usage())).containers
    expect(c).toMatchObject({ id: 'c', referenced: 64 * KiB, available: 0, refquota: 64 * KiB, quota: null })
  })
})
