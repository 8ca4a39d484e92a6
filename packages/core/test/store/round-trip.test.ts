// The store's results carry what a caller needs: extractLayer's ExtractedLayer, extract progress, container ids that list and remove.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSimDriver } from '@stratum/sim-driver'
import { describe, expect, it } from 'vitest'
import { sha256 } from '../../src/oci/digest.js'
import { MEDIA_LAYER_TAR } from '../../src/oci/media.js'
import { layerBlob, writeImageLayout } from '../../src/oci/write.js'
import { openLayerStore } from '../../src/store/open.js'
import type { ExtractedLayer } from '../../src/store/types.js'
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

  it('extractLayer reports the blob bytes it read', async () => {
    const s = await ok(openLayerStore(createSimDriver(), BASE))
    const tar = await makeTar([{ path: 'f', content: 'x'.repeat(5000) }])
    let bytes = 0
    await ok(
      s.extractLayer(
        'empty',
        once(tar),
        { mediaType: MEDIA_LAYER_TAR },
        {
          bytes: (n) => {
            bytes += n
          },
        },
      ),
    )
    expect(bytes).toBe(tar.byteLength)
  })

  it('extractImage reports the image, every blob byte (a reused layer counted whole) and each layer, bottom first', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stratum-progress-'))
    try {
      const tars = [
        await makeTar([{ path: 'a', content: 'a'.repeat(3000) }]),
        await makeTar([{ path: 'b', content: 'b' }]),
      ]
      const w = await ok(
        writeImageLayout(
          dir,
          'i',
          tars.map((t) => layerBlob(t)),
        ),
      )
      const s = await ok(openLayerStore(createSimDriver(), BASE))
      const run = async () => {
        const seen = { image: [] as unknown[], bytes: 0, layers: [] as ExtractedLayer[] }
        const r = await ok(
          s.extractImage(dir, 'i', {
            image: (i) => seen.image.push(i),
            bytes: (n) => {
              seen.bytes += n
            },
            layer: (l) => seen.layers.push(l),
          }),
        )
        return { r, seen }
      }
      const fresh = await run()
      const total = fresh.seen.image.length === 1 ? (fresh.seen.image[0] as { bytes: number }).bytes : -1
      expect(fresh.seen.image).toEqual([{ layers: 2, bytes: total }])
      expect(total).toBeGreaterThan(0)
      expect(fresh.seen.bytes).toBe(total)
      expect(fresh.seen.layers).toEqual(fresh.r.layers)
      expect(fresh.r.layers.map((l) => [l.chainId, l.reused])).toEqual([
        [w.chainIds[0], false],
        [w.chainIds[1], false],
      ])
      const again = await run()
      expect(again.seen.bytes).toBe(total)
      expect(again.r.layers.map((l) => l.reused)).toEqual([true, true])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
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
