/**
 * LayerStore extract and start, on any driver: layers keyed by chainID, reuse and dedupe,
 * the lower snapshot advanced layer by layer, and start's errors.
 */
import {
  type ChainId,
  type DatasetName,
  MEDIA_LAYER_TAR,
  chainIds,
  datasetName,
  digestHex,
  openLayerStore,
  sha256,
} from '@stratum/core'
import { describe, expect, it } from 'vitest'
import type { FeatureGroup } from '../context.js'
import type { Fixture } from '../fixture.js'
import { appLayer, baseLayer, otherLayer, storeDatasets, withStore } from '../fixtures/layers.js'
import { chunked, treePaths, writeImage } from '../fixtures/store.js'

const layerDs = (f: Fixture, c: ChainId): DatasetName => datasetName(`${f.base}/storage/${digestHex(c)}`)

export const storeExtractGroup: FeatureGroup = (ctx) => {
  describe('LayerStore: extract and start', () => {
    it('open creates storage, storage/empty@extracted, runtime, tmp; opening again changes nothing', () =>
      withStore(ctx, async (_s, f) => {
        const names = await storeDatasets(ctx, f)
        expect(names).toEqual(
          [
            f.base,
            `${f.base}/runtime`,
            `${f.base}/storage`,
            `${f.base}/storage/empty`,
            `${f.base}/storage/empty@extracted`,
            `${f.base}/tmp`,
          ].sort(),
        )
        await ctx.ok(openLayerStore(f.driver, f.base))
        expect(await storeDatasets(ctx, f)).toEqual(names)
      }))

    it('a 2-layer image: each layer is a dataset named by its chainID, the top holds both layers', () =>
      withStore(ctx, async (s, f, dir) => {
        const img = await writeImage(dir, 'app:1', [await baseLayer(), await appLayer()])
        const r = await ctx.ok(s.extractImage(dir, 'app:1'))
        expect(r.layers.map((l) => l.chainId)).toEqual(img.chainIds)
        expect(r.layers.map((l) => l.reused)).toEqual([false, false])
        expect(r.top).toBe(img.chainIds[1])
        expect(await treePaths(f.driver, `${layerDs(f, img.chainIds[0]!)}@extracted` as never)).toEqual([
          'bin',
          'bin/sh',
          'etc',
          'etc/motd',
          'etc/os-release',
        ])
        expect(await treePaths(f.driver, `${layerDs(f, img.chainIds[1]!)}@extracted` as never)).toEqual([
          'app',
          'app/run',
          'bin',
          'bin/sh',
          'etc',
          'etc/os-release',
        ])
        const layers = await ctx.ok(s.listLayers())
        expect(layers.map((l) => [l.chainId, l.parent, l.diffId, l.state]).sort()).toEqual(
          [
            [img.chainIds[0], 'empty', r.layers[0]!.diffId, 'ready'],
            [img.chainIds[1], img.chainIds[0], r.layers[1]!.diffId, 'ready'],
          ].sort(),
        )
      }))

    // idempotence: extracting the same image twice creates nothing new
    it('extracting the same image twice reuses every layer and creates no dataset', () =>
      withStore(ctx, async (s, f, dir) => {
        await writeImage(dir, 'app:1', [await baseLayer(), await appLayer()])
        await ctx.ok(s.extractImage(dir, 'app:1'))
        const before = await storeDatasets(ctx, f)
        const again = await ctx.ok(s.extractImage(dir, 'app:1'))
        expect(again.layers.map((l) => l.reused)).toEqual([true, true])
        expect(await storeDatasets(ctx, f)).toEqual(before)
      }))

    // dedupe: two images sharing base layers share datasets
    it('two images sharing a base layer share its dataset; the same diff over another parent is another layer', () =>
      withStore(ctx, async (s, _f, dir) => {
        const a = await writeImage(dir, 'a', [await baseLayer(), await appLayer()])
        const b = await writeImage(dir, 'b', [await baseLayer(), await otherLayer()])
        const c = await writeImage(dir, 'c', [await otherLayer()])
        await ctx.ok(s.extractImage(dir, 'a'))
        const rb = await ctx.ok(s.extractImage(dir, 'b'))
        expect(rb.layers.map((l) => l.reused)).toEqual([true, false])
        const rc = await ctx.ok(s.extractImage(dir, 'c'))
        expect(rc.layers[0]!.reused).toBe(false)
        expect(rc.top).not.toBe(b.chainIds[1])
        const all = (await ctx.ok(s.listLayers())).map((l) => l.chainId).sort()
        expect(all).toEqual([...new Set([...a.chainIds, ...b.chainIds, ...c.chainIds])].sort())
        expect(all).toHaveLength(4)
      }))

    it('extractLayer computes the diffID from the stream when not given, and reuses by chainID', () =>
      withStore(ctx, async (s) => {
        const t = await baseLayer()
        const c1 = (await ctx.ok(s.extractLayer('empty', chunked(t, 1000), { mediaType: MEDIA_LAYER_TAR }))).chainId
        expect(c1).toBe(chainIds([sha256(t) as never])[0])
        const c2 = (
          await ctx.ok(s.extractLayer('empty', chunked(t), { mediaType: MEDIA_LAYER_TAR, diffId: sha256(t) as never }))
        ).chainId
        expect(c2).toBe(c1)
        expect(await ctx.ok(s.listLayers())).toHaveLength(1)
      }))

    it('start clones the top layer into runtime/<id>; a taken id is DatasetExists, a missing layer DatasetNotFound', () =>
      withStore(ctx, async (s, f, dir) => {
        const img = await writeImage(dir, 'app', [await baseLayer(), await appLayer()])
        const r = await ctx.ok(s.extractImage(dir, 'app'))
        await ctx.ok(s.start('c1', r.top))
        expect(await treePaths(f.driver, datasetName(`${f.base}/runtime/c1`))).toEqual(
          await treePaths(f.driver, `${layerDs(f, img.chainIds[1]!)}@extracted` as never),
        )
        expect(await ctx.ok(s.listContainers())).toEqual([expect.objectContaining({ id: 'c1', parent: r.top })])
        await ctx.fails(s.start('c1', r.top), 'DatasetExists', { name: `${f.base}/runtime/c1` })
        const missing = sha256('no such layer') as ChainId
        await ctx.fails(s.start('c2', missing), 'DatasetNotFound', {
          name: `${f.base}/storage/${digestHex(missing)}@extracted`,
        })
        await ctx.fails(s.start('a/b', r.top), 'InvalidName')
        await ctx.ok(s.start('c3', 'empty'))
        expect(await treePaths(f.driver, datasetName(`${f.base}/runtime/c3`))).toEqual([])
      }))

    it('removeLayer is refused while a container or a layer depends on it, naming them', () =>
      withStore(ctx, async (s, f, dir) => {
        const img = await writeImage(dir, 'app', [await baseLayer(), await appLayer()])
        await ctx.ok(s.extractImage(dir, 'app'))
        await ctx.ok(s.start('c1', img.chainIds[1]!))
        await ctx.fails(s.removeLayer(img.chainIds[0]!), 'HasDependentClones', {
          clones: [layerDs(f, img.chainIds[1]!)],
        })
        await ctx.fails(s.removeLayer(img.chainIds[1]!), 'HasDependentClones', { clones: [`${f.base}/runtime/c1`] })
        await ctx.ok(s.removeContainer('c1'))
        await ctx.ok(s.removeLayer(img.chainIds[1]!))
        await ctx.ok(s.removeLayer(img.chainIds[0]!))
        expect(await ctx.ok(s.listLayers())).toEqual([])
        await ctx.fails(s.removeContainer('c1'), 'DatasetNotFound')
      }))
  })
}
