// exportTree: a layer's or a container's tree copied into an empty tree; a failure or an abort
// leaves the target empty again, a bad source or a non-empty target leaves it untouched.
import { createSimDriver } from '@stratum/sim-driver'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { describe, expect, it } from 'vitest'
import { ioError } from '../../src/errors.js'
import type { FileTree } from '../../src/fs.js'
import { datasetName } from '../../src/names.js'
import { MEDIA_LAYER_TAR } from '../../src/oci/media.js'
import { openLayerStore } from '../../src/store/open.js'
import { BASE, fail, ok } from './helpers.js'
import { makeTar, once } from './tar.js'

const ENTRIES = [
  { path: 'etc', dir: true },
  { path: 'etc/a', content: 'A' },
  { path: 'etc/b', content: 'BB' },
  { path: 'usr', dir: true },
  { path: 'usr/c', content: 'CCC' },
  { path: 'usr/d', content: 'DDDD' },
]

const setup = async () => {
  const driver = createSimDriver({ pools: ['testpool'] })
  const store = await ok(openLayerStore(driver, BASE))
  const layer = await ok(store.extractLayer('empty', once(await makeTar(ENTRIES)), { mediaType: MEDIA_LAYER_TAR }))
  await ok(store.start('out', 'empty'))
  const target = await ok(driver.fs(datasetName(`${BASE}/runtime/out`)))
  return { driver, store, layer, target }
}

const names = async (t: FileTree, dir = ''): Promise<string[]> => {
  const out: string[] = []
  for (const n of await ok(t.readdir(dir))) {
    const p = dir === '' ? n : `${dir}/${n}`
    out.push(p)
    if ((await ok(t.lstat(p))).type === '/') out.push(...(await names(t, p)))
  }
  return out
}

describe('store.exportTree', () => {
  it('copies a layer (by chainID) and a container (by id) entry for entry', async () => {
    const { driver, store, layer, target } = await setup()
    const r = await ok(store.exportTree(layer.chainId, target))
    expect(r).toMatchObject({ source: { kind: 'layer', layer: layer.chainId }, entries: 6, bytes: 10 })
    expect(await names(target)).toEqual(['etc', 'etc/a', 'etc/b', 'usr', 'usr/c', 'usr/d'])
    await ok(store.start('c', layer.chainId))
    await ok(store.start('out2', 'empty'))
    const t2 = await ok(driver.fs(datasetName(`${BASE}/runtime/out2`)))
    expect((await ok(store.exportTree('c', t2))).source).toEqual({ kind: 'container', id: 'c' })
    expect(await names(t2)).toEqual(await names(target))
  })

  it('a non-empty target: Io ENOTEMPTY, the target as it was', async () => {
    const { store, layer, target } = await setup()
    await ok(target.writeFile('keep', new TextEncoder().encode('me')))
    expect(await fail(store.exportTree(layer.chainId, target))).toMatchObject({ _tag: 'Io', code: 'ENOTEMPTY' })
    expect(await names(target)).toEqual(['keep'])
  })

  it('an unknown source: ReferenceNotFound, and a lazy target is never opened', async () => {
    const { store, target } = await setup()
    let opened = false
    const lazy = TE.fromIO(() => {
      opened = true
      return target
    })
    expect((await fail(store.exportTree('nosuch', lazy)))._tag).toBe('ReferenceNotFound')
    expect(opened).toBe(false)
  })

  it('an abort after 3 entries: Cancelled, and the target is empty again', async () => {
    const { store, layer, target } = await setup()
    const ac = new AbortController()
    const e = await fail(
      store.exportTree(
        layer.chainId,
        target,
        {},
        { signal: ac.signal, onProgress: (p) => p.entries === 3 && ac.abort() },
      ),
    )
    expect(e).toEqual({ _tag: 'Cancelled', what: `export of ${layer.chainId}` })
    expect(await names(target)).toEqual([])
  })

  it('a write failing mid-copy: that error, and the target is empty again', async () => {
    const { store, layer, target } = await setup()
    let writes = 0
    const full = ioError('ENOSPC', 'usr/c')
    const failing: FileTree = {
      ...target,
      writeFile: (p, c, o) => (++writes === 3 ? TE.left(full) : target.writeFile(p, c, o)),
    }
    expect(await fail(store.exportTree(layer.chainId, failing))).toEqual(full)
    expect(await names(target)).toEqual([])
  })
})
