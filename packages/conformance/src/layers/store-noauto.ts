/**
 * LayerStore over layers that are not mounted (canmount=noauto, as after a reboot): packaging,
 * and a commit against such a parent, mount what they read first. About 30 zfs commands on ZFS.
 */
import { MEDIA_LAYER_TAR, datasetName, digestHex } from '@stratum/core'
import { describe, expect, it } from 'vitest'
import type { FeatureGroup } from '../context.js'
import { appLayer, baseLayer, withStore } from '../fixtures/layers.js'
import { buildTar, chunked } from '../fixtures/store.js'

export const storeNoautoGroup: FeatureGroup = (ctx) => {
  describe('LayerStore: unmounted layers', () => {
    it('a layer with canmount=noauto, unmounted, is packaged and committed against as a mounted one', () =>
      withStore(ctx, async (s, f) => {
        const base = await ctx.ok(s.extractLayer('empty', chunked(await baseLayer()), { mediaType: MEDIA_LAYER_TAR }))
        const app = await ctx.ok(
          s.extractLayer(base.chainId, chunked(await appLayer()), { mediaType: MEDIA_LAYER_TAR }),
        )
        const mounted = (await ctx.ok(s.packageLayer(app.chainId))).diffId
        for (const c of [base.chainId, app.chainId]) {
          const ds = datasetName(`${f.base}/storage/${digestHex(c)}`)
          await ctx.ok(f.driver.setNative(ds, { canmount: 'noauto' }))
          await ctx.ok(f.driver.unmount(ds))
          expect((await ctx.ok(f.driver.getNative(ds))).mounted).toBe(false)
        }
        expect((await ctx.ok(s.packageLayer(app.chainId))).diffId).toBe(mounted)
        await ctx.ok(f.driver.unmount(datasetName(`${f.base}/storage/${digestHex(app.chainId)}`)))
        await ctx.ok(s.start('c1', app.chainId))
        await ctx.ok(s.apply('c1', chunked(await buildTar([{ path: 'new', type: 'file', content: 'n' }]))))
        const committed = await ctx.ok(s.commit('c1', { keep: false }))
        expect(committed.deduped).toBe(false)
        expect((await ctx.ok(s.listLayers())).find((l) => l.chainId === committed.chainId)?.parent).toBe(app.chainId)
      }))
  })
}
