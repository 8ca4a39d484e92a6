// The Promise facade: every store operation runs when called and resolves to its result, or rejects with the StorageError value itself.
import * as TE from 'fp-ts/lib/TaskEither.js'
import { createSimDriver } from '@stratum/sim-driver'
import { describe, expect, it } from 'vitest'
import { err } from '../../src/errors.js'
import { openLayerStore } from '../../src/store/open.js'
import { openStore, promiseStore, runTask } from '../../src/store/promises.js'
import { BASE, ok } from './helpers.js'

describe('the Promise facade', () => {
  it('runs each operation at once and resolves to what the TaskEither gives', async () => {
    const d = createSimDriver()
    const store = await openStore(d, BASE)
    const call = store.start('web-1', 'empty')
    // ran without being awaited or called again: the container exists once the promise settles
    await call
    expect((await ok((await ok(openLayerStore(d, BASE))).listContainers())).map((c) => c.id)).toEqual(['web-1'])
    expect((await store.listContainers()).map((c) => c.id)).toEqual(['web-1'])
    // the layout is passed through as it is
    expect(store.layout.base).toBe(BASE)
  })

  it('rejects with the StorageError value, not an Error', async () => {
    const store = promiseStore(await ok(openLayerStore(createSimDriver(), BASE)))
    const e: unknown = await store.removeContainer('nosuch').catch((u: unknown) => u)
    expect(e).not.toBeInstanceOf(Error)
    expect(e).toMatchObject({ _tag: 'DatasetNotFound' })
    await expect(store.start('a/b', 'empty')).rejects.toEqual({
      _tag: 'InvalidName',
      name: 'a/b',
      reason: 'a container id is one dataset name component',
    })
    await expect(runTask(TE.left(err('Busy', { name: 'x' })))).rejects.toEqual({ _tag: 'Busy', name: 'x' })
    await expect(runTask(TE.right(7))).resolves.toBe(7)
  })

  it('openStore rejects with what opening met', async () => {
    await expect(openStore(createSimDriver({ pools: ['other'] }), BASE)).rejects.toMatchObject({
      _tag: expect.any(String),
    })
  })
})
