// The store's results carry what a caller needs: extractLayer's ExtractedLayer, extract and package progress, container ids that list and remove.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSimDriver } from '@stratum/sim-driver'
import { describe, expect, it } from 'vitest'
import { readTar } from '../../src/layer/read-tar.js'
import { sha256 } from '../../src/oci/digest.js'
import { MEDIA_LAYER_TAR } from '../../src/oci/media.js'
import { layerBlob, writeImageLayout } from '../../src/oci/write.js'
import { openLayerStore } from '../../src/store/open.js'
import type { LayerProgress } from '../../src/store/control.js'
import { BASE, fail, ok } from './helpers.js'
import { makeTar, once } from './tar.js'

describe('the store round trip', () => {
  it('extractLayer says what it made and whether the layer existed already, known by its diffID or found after applying', async () => {
    const s = await ok(openLayerStore(createSimDriver(), BASE))
    const tar = await makeTar([{ path: 'f', content: 'x' }])
    const first = await ok(s.extractLayer('empty', once(tar), { mediaType: MEDIA_LAYER_TAR }))
    expect(first).toMatchObject({ diffId: sha256(tar), reused: false })
    expect(await ok(s.extractLayer('empty', once(tar), { mediaType: MEDIA_LAYER_TAR, diffId: first.diffId }))).toEqual({
      ...first,
      reused: true,
    })
    expect(await ok(s.extractLayer('empty', once(tar), { mediaType: MEDIA_LAYER_TAR }))).toEqual({
      ...first,
      reused: true,
    })
  })

  it('extractLayer reports the blob bytes it read and the entries it applied, then done', async () => {
    const s = await ok(openLayerStore(createSimDriver(), BASE))
    const tar = await makeTar([
      { path: 'd', dir: true },
      { path: 'd/f', content: 'x'.repeat(5000) },
    ])
    const seen: LayerProgress[] = []
    await ok(s.extractLayer('empty', once(tar), { mediaType: MEDIA_LAYER_TAR }, { onProgress: (p) => seen.push(p) }))
    expect(seen.at(-1)).toEqual({
      index: 0,
      count: 1,
      label: 'layer over empty',
      bytesRead: tar.byteLength,
      bytesTotal: undefined,
      entries: 2,
      phase: 'done',
    })
    expect(seen.slice(0, -1).every((p) => p.phase === 'reading')).toBe(true)
  })

  it('extractImage reports each layer by its place and blob digest, bottom first; a reused layer reads nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stratum-progress-'))
    try {
      const tars = [
        await makeTar([{ path: 'a', content: 'a'.repeat(3000) }]),
        await makeTar([{ path: 'b', content: 'b' }]),
      ]
      const blobs = tars.map((t) => layerBlob(t))
      await ok(writeImageLayout(dir, 'i', blobs))
      const s = await ok(openLayerStore(createSimDriver(), BASE))
      const run = async () => {
        const seen: LayerProgress[] = []
        const r = await ok(s.extractImage(dir, 'i', { onProgress: (p) => seen.push(p) }))
        return { r, last: [0, 1].map((i) => seen.filter((p) => p.index === i).at(-1)) }
      }
      const fresh = await run()
      expect(fresh.last).toEqual(
        blobs.map((b, index) => ({
          index,
          count: 2,
          label: sha256(b.blob),
          bytesRead: b.blob.byteLength,
          bytesTotal: b.blob.byteLength,
          entries: 1,
          phase: 'done',
        })),
      )
      const again = await run()
      expect(again.last.map((p) => [p?.phase, p?.bytesRead])).toEqual([
        ['reused', 0],
        ['reused', 0],
      ])
      expect(again.r.layers.map((l) => l.reused)).toEqual([true, true])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('packageLayer reports the tar bytes and entries as the caller reads them, its size known', async () => {
    const s = await ok(openLayerStore(createSimDriver(), BASE))
    const tar = await makeTar([{ path: 'f', content: 'x'.repeat(3000) }])
    const { chainId } = await ok(s.extractLayer('empty', once(tar), { mediaType: MEDIA_LAYER_TAR }))
    const seen: LayerProgress[] = []
    const p = await ok(s.packageLayer(chainId, { onProgress: (q) => seen.push(q) }))
    expect(seen).toEqual([])
    const chunks: Uint8Array[] = []
    for await (const c of p.tar) chunks.push(c)
    const bytes = chunks.reduce((n, c) => n + c.byteLength, 0)
    let entries = 0
    for await (const _ of readTar(once(Buffer.concat(chunks)))) entries++
    expect(entries).toBeGreaterThan(0)
    expect(seen.at(-1)).toEqual({
      index: 0,
      count: 1,
      label: chainId,
      bytesRead: bytes,
      bytesTotal: bytes,
      entries,
      phase: 'done',
    })
  })

  it('a container id is parsed by the store, and the ids it lists are the ones it takes', async () => {
    const s = await ok(openLayerStore(createSimDriver(), BASE))
    expect(await fail(s.start('a/b', 'empty'))).toMatchObject({
      _tag: 'InvalidName',
      name: 'a/b',
      reason: 'a container id is one dataset name component',
    })
    expect(await fail(s.commit('a@b', { keep: false }))).toMatchObject({ _tag: 'InvalidName', name: 'a@b' })
    expect(await fail(s.removeContainer(''))).toMatchObject({ _tag: 'InvalidName', name: '' })
    await ok(s.start('web-1', 'empty'))
    const [listed] = await ok(s.listContainers())
    expect(listed?.id).toBe('web-1')
    await ok(s.removeContainer(listed!.id))
    expect(await ok(s.listContainers())).toEqual([])
  })
})
