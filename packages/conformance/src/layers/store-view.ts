/**
 * LayerStore views, on any driver: a read-only root of a layer (`view`) refuses every write
 * with EROFS and leaves the layer as it was, is listed and mounted like a container, keeps its
 * layer from prune, and `removeContainer` removes it. About 20 zfs commands on ZFS (the view
 * itself is one clone).
 */
import { type AnyName, type ChainId, MEDIA_LAYER_TAR, datasetName, digestHex, snapshotName } from '@stratum/core'
import { describe, expect, it } from 'vitest'
import type { FeatureGroup } from '../context.js'
import { baseLayer, storeDatasets, withStore } from '../fixtures/layers.js'
import { chunked, treeLines } from '../fixtures/store.js'

const EROFS = { code: 'EROFS' } as const
const layerSnap = (base: string, c: ChainId): AnyName => snapshotName(`${base}/storage/${digestHex(c)}@extracted`)

export const storeViewGroup: FeatureGroup = (ctx) => {
  describe('LayerStore: views', () => {
    it('a view is read-only (EROFS), listed and mounted like a container, keeps its layer from prune, and rm removes it', () =>
      withStore(ctx, async (s, f) => {
        const layer = (
          await ctx.ok(s.extractLayer('empty', chunked(await baseLayer()), { mediaType: MEDIA_LAYER_TAR }))
        ).chainId
        const before = await treeLines(f.driver, layerSnap(f.base, layer))
        const id = await ctx.ok(s.view(layer))
        expect(id).toBe(`view-${digestHex(layer).slice(0, 12)}`)
        const root = datasetName(`${f.base}/runtime/${id}`)
        expect(await treeLines(f.driver, root)).toEqual(before)

        const t = await ctx.ok(f.driver.fs(root))
        await ctx.fails(t.writeFile('etc/new', new TextEncoder().encode('x')), 'Io', EROFS)
        await ctx.fails(t.unlink('etc/motd'), 'Io', EROFS)
        await ctx.fails(t.chmod('bin/sh', 0o700), 'Io', EROFS)
        await ctx.fails(s.commit(id, { keep: true }), 'Unsupported')
        await ctx.fails(s.view(layer), 'DatasetExists')
        expect(await treeLines(f.driver, layerSnap(f.base, layer))).toEqual(before)

        expect(await ctx.ok(s.listContainers())).toEqual([expect.objectContaining({ id, parent: layer, view: true })])
        if (f.driver.capabilities.hostPaths) {
          expect(await ctx.ok(s.mount(id, 'inspector'))).toMatch(/^\//)
          await ctx.ok(s.unmount(id, 'inspector'))
        }
        // no image names the layer: only the view keeps it
        expect((await ctx.ok(s.prune())).removed).toEqual([])
        await ctx.ok(s.removeContainer(id))
        expect(await ctx.ok(s.listContainers())).toEqual([])
        expect((await storeDatasets(ctx, f)).filter((n) => n.startsWith(`${f.base}/runtime/`))).toEqual([])
        expect((await ctx.ok(s.prune())).removed).toEqual([layer])
      }))
  })
}
