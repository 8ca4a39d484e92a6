/**
 * Image references and labels, on any driver: extract records the image under a name (the same
 * name again moves it); a layer is named by an image, a full chainID or a unique prefix of at
 * least 12 hex digits wherever one is accepted; labels on images and containers round-trip.
 */
import { datasetName, hostPlatform, layerBlob, propertyName, snapshotName, writeImageLayout } from '@stratum/core'
import { describe, expect, it } from 'vitest'
import type { FeatureGroup } from '../context.js'
import { storeDatasets, withStore } from '../fixtures/layers.js'
import { buildTar, writeImage } from '../fixtures/store.js'

const oneFile = (content: string) => buildTar([{ path: 'f', type: 'file', content }])

export const storeImageGroup: FeatureGroup = (ctx) => {
  describe('LayerStore: image references and labels', () => {
    it('extract records the image; the same name again moves the reference; an odd record is skipped', () =>
      withStore(ctx, async (s, f, dir) => {
        const a = await writeImage(`${dir}/web`, '1.0', [await oneFile('one')])
        const b = await writeImage(`${dir}/other`, '1.0', [await oneFile('two')])
        expect(await ctx.ok(s.listImages())).toEqual([])
        expect((await ctx.ok(s.extractImage(`${dir}/web`, '1.0'))).name).toBe('web:1.0')
        expect(await ctx.ok(s.listImages())).toEqual([
          expect.objectContaining({ name: 'web:1.0', top: a.chainIds[0], manifest: a.manifestDigest }),
        ])
        await ctx.ok(s.extractImage(`${dir}/other`, '1.0', {}, { name: 'web:1.0' }))
        expect((await ctx.ok(s.listImages())).map((i) => [i.name, i.top])).toEqual([['web:1.0', b.chainIds[0]]])
        await ctx.ok(f.driver.setProperty(s.layout.images, propertyName('stratum:image.junk'), '{not json'))
        expect((await ctx.ok(s.listImages())).map((i) => i.name)).toEqual(['web:1.0'])
        await ctx.fails(s.extractImage(`${dir}/web`, '1.0', {}, { name: 'Bad Name' }), 'InvalidName', {
          name: 'Bad Name',
        })
      }))

    it('a layer reference: an image name (:latest implied), a full chainID, a 12-digit prefix, empty', () =>
      withStore(ctx, async (s, _f, dir) => {
        const w = await writeImage(`${dir}/web`, 'latest', [await oneFile('x')])
        const top = w.chainIds[0]!
        await ctx.ok(s.extractImage(`${dir}/web`, 'latest'))
        for (const ref of ['web:latest', 'web', top, top.slice(0, 7 + 12), top.slice(7, 7 + 12)])
          expect(await ctx.ok(s.resolveLayer(ref)), ref).toBe(top)
        expect(await ctx.ok(s.resolveLayer('empty'))).toBe('empty')
        for (const ref of [top.slice(7, 7 + 11), 'nope:1', 'f'.repeat(12)])
          await ctx.fails(s.resolveLayer(ref), 'ReferenceNotFound', { name: ref })
        // start, packageLayer and removeLayer take any reference
        await ctx.ok(s.start('c1', 'web'))
        expect((await ctx.ok(s.listContainers())).map((c) => [c.id, c.parent])).toEqual([['c1', top]])
        await ctx.ok(s.packageLayer(top.slice(7, 20)))
        await ctx.ok(s.removeContainer('c1'))
        await ctx.ok(s.removeLayer('web:latest'))
        expect(await ctx.ok(s.listLayers())).toEqual([])
      }))

    it('a prefix two layers share is AmbiguousReference listing both; one more digit resolves', () =>
      withStore(ctx, async (s, f) => {
        const hex = (c: string) => `${'0'.repeat(12)}${c}${'1'.repeat(51)}`
        for (const h of [hex('a'), hex('b')]) {
          await ctx.ok(f.driver.create(datasetName(`${s.layout.storage}/${h}`)))
          await ctx.ok(f.driver.snapshot(snapshotName(`${s.layout.storage}/${h}@extracted`)))
        }
        await ctx.fails(s.resolveLayer('0'.repeat(12)), 'AmbiguousReference', {
          name: '0'.repeat(12),
          candidates: [`sha256:${hex('a')}`, `sha256:${hex('b')}`],
        })
        expect(await ctx.ok(s.resolveLayer(`${'0'.repeat(12)}b`))).toBe(`sha256:${hex('b')}`)
      }))

    it('labels: start and extract record them, label sets and drops them, bad ones change nothing', () =>
      withStore(ctx, async (s, f, dir) => {
        await ctx.ok(s.start('web', 'empty', { labels: { tier: 'front', 'com.example/owner': 'ana' } }))
        await ctx.fails(s.start('db', 'empty', { labels: { 'bad key': 'x' } }), 'InvalidName', { name: 'bad key' })
        expect(await ctx.ok(s.labelContainer('web', { set: { tier: 'back' }, drop: ['com.example/owner'] }))).toEqual({
          tier: 'back',
        })
        await ctx.fails(s.labelContainer('web', { set: { b: 'x\ny' } }), 'InvalidName', { name: 'b' })
        await ctx.fails(s.labelContainer('ghost', { set: { a: '1' } }), 'DatasetNotFound')
        expect((await ctx.ok(s.listContainers())).map((c) => [c.id, c.labels])).toEqual([['web', { tier: 'back' }]])
        const spec = { ...hostPlatform(), config: { Labels: { vendor: 'acme', tier: 'x' } } }
        await ctx.ok(writeImageLayout(`${dir}/app`, 'latest', [layerBlob(await oneFile('a'))], spec))
        await ctx.ok(s.extractImage(`${dir}/app`, 'latest', {}, { labels: { tier: 'front' } }))
        expect(await ctx.ok(s.labelImage('app', { set: { pinned: 'yes' }, drop: ['vendor'] }))).toEqual({
          tier: 'front',
          pinned: 'yes',
        })
        expect((await ctx.ok(s.listImages()))[0]?.labels).toEqual({ tier: 'front', pinned: 'yes' })
        await ctx.fails(s.labelImage('nope', { set: { a: '1' } }), 'ReferenceNotFound')
        // labels are stratum: user properties; no snapshot or dataset was made for them
        expect((await storeDatasets(ctx, f)).filter((n) => n.includes('@') && !n.endsWith('@extracted'))).toEqual([])
      }))
  })
}
