// saveImage: a stored chain written as an OCI image reads back to the same chainIDs, the same bytes each time.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSimDriver } from '@stratum/sim-driver'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readImage } from '../../src/oci/layout.js'
import { MEDIA_LAYER_GZIP, MEDIA_LAYER_TAR } from '../../src/oci/media.js'
import { layerBlob, writeImageLayout } from '../../src/oci/write.js'
import { openLayerStore } from '../../src/store/open.js'
import type { LayerStore } from '../../src/store/types.js'
import { BASE, fail, ok } from './helpers.js'
import { makeTar, once } from './tar.js'

let root: string
let store: LayerStore
let committed: string
const bytesOf = async (it: AsyncIterable<Uint8Array>): Promise<Uint8Array> => {
  const parts: Uint8Array[] = []
  for await (const c of it) parts.push(c)
  return new Uint8Array(Buffer.concat(parts))
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'stratum-save-'))
  // a base image of a Stratum-packaged layer, with a platform and labels; a container on it with one change, committed
  const maker = await ok(openLayerStore(createSimDriver(), BASE))
  await ok(maker.start('b', 'empty'))
  await ok(
    maker.apply(
      'b',
      once(
        await makeTar([
          { path: 'etc', dir: true },
          { path: 'etc/os', content: 'base' },
        ]),
      ),
    ),
  )
  const baseLayer = await ok(maker.commit('b', { keep: false }))
  const baseTar = await bytesOf((await ok(maker.packageLayer(baseLayer.chainId))).tar)
  const spec = { os: 'linux', architecture: 'arm64', config: { Labels: { team: 'web' }, Cmd: ['sh'] } }
  const base = join(root, 'base')
  await ok(writeImageLayout(base, '1.0', [layerBlob(baseTar)], spec))
  store = await ok(openLayerStore(createSimDriver(), BASE))
  await ok(store.extractImage(base, '1.0', {}, { name: 'base:1.0' }))
  await ok(store.start('web', 'base:1.0'))
  await ok(store.apply('web', once(await makeTar([{ path: 'app', content: 'hello' }]))))
  committed = (await ok(store.commit('web', { keep: false }))).chainId
})
afterAll(() => rm(root, { recursive: true, force: true }))

describe('saveImage', () => {
  it('a fresh store extracting the written image gets the chainIDs saveImage reported, the committed top among them', async () => {
    const out = join(root, 'out')
    const saved = await ok(store.saveImage(committed, out, 'v1'))
    expect(saved.chainIds).toHaveLength(2)
    expect(saved.chainIds[1]).toBe(committed)
    const fresh = await ok(openLayerStore(createSimDriver(), BASE))
    const back = await ok(fresh.extractImage(out, 'v1'))
    expect(back.layers.map((l) => l.chainId)).toEqual(saved.chainIds)
    expect(back.top).toBe(committed)
  })

  it("a layer extracted from a tar Stratum packages differently gets its packaging's chainID, which a reader gets too", async () => {
    const s = await ok(openLayerStore(createSimDriver(), BASE))
    const foreign = join(root, 'foreign')
    const tar = await makeTar([{ path: 'f', content: 'x' }]) // tar-stream's headers, not Stratum's
    const w = await ok(writeImageLayout(foreign, 'a', [layerBlob(tar)]))
    await ok(s.extractImage(foreign, 'a', {}, { name: 'foreign:a' }))
    const saved = await ok(s.saveImage('foreign:a', join(root, 'foreign-out'), 'a'))
    expect(saved.source).toBe(w.chainIds[0])
    expect(saved.chainIds[0]).not.toBe(w.chainIds[0])
    const back = await ok(
      (await ok(openLayerStore(createSimDriver(), BASE))).extractImage(join(root, 'foreign-out'), 'a'),
    )
    expect(back.top).toBe(saved.chainIds[0])
  })

  it('writing the same chain twice gives the same layer, config and manifest digests', async () => {
    const [a, b] = [join(root, 'twice-a'), join(root, 'twice-b')]
    const first = await ok(store.saveImage(committed, a, 'x'))
    const second = await ok(store.saveImage(committed, b, 'x'))
    expect(second.layerDigests).toEqual(first.layerDigests)
    expect(second.manifestDigest).toBe(first.manifestDigest)
    expect(await readFile(join(b, 'index.json'), 'utf8')).toBe(await readFile(join(a, 'index.json'), 'utf8'))
  })

  it("the config carries the base image's platform and labels, diff_ids and one history entry per layer", async () => {
    const out = join(root, 'config')
    const saved = await ok(store.saveImage(committed, out, 'v1'))
    expect(saved.base).toBe('base:1.0')
    const image = await ok(readImage(out, 'v1'))
    expect(image.config).toMatchObject({ os: 'linux', architecture: 'arm64', config: { Labels: { team: 'web' } } })
    expect(image.config.rootfs.diff_ids).toEqual(saved.diffIds)
    const history = (image.config as { history?: { comment?: string }[] }).history
    expect(history?.map((h) => h.comment)).toEqual(['layer of base:1.0', 'stratum layer'])
    expect(image.layers.map((l) => l.descriptor.mediaType)).toEqual([MEDIA_LAYER_GZIP, MEDIA_LAYER_GZIP])
  })

  it('compression none writes plain tar blobs whose digests are the diffIDs', async () => {
    const saved = await ok(store.saveImage(committed, join(root, 'plain'), 'v1', { compression: 'none' }))
    const image = await ok(readImage(join(root, 'plain'), 'v1'))
    expect(image.layers.map((l) => l.descriptor.mediaType)).toEqual([MEDIA_LAYER_TAR, MEDIA_LAYER_TAR])
    expect(saved.layerDigests).toEqual(saved.diffIds)
  })

  it('an unknown layer is ReferenceNotFound and an unknown compression InvalidName, and neither writes a layout', async () => {
    const out = join(root, 'nothing')
    expect(await fail(store.saveImage('nosuch:1', out, 'v1'))).toMatchObject({ _tag: 'ReferenceNotFound' })
    const bad = await fail(store.saveImage(committed, out, 'v1', { compression: 'lz4' as 'gzip' }))
    expect(bad).toMatchObject({ _tag: 'InvalidName', name: 'saveImage arguments' })
    await expect(readFile(join(out, 'index.json'))).rejects.toMatchObject({ code: 'ENOENT' })
  })
})
