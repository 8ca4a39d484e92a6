/**
 * Garbage collection, on any driver: prune destroys every layer no image reference, container,
 * lease or layer above reaches, top first; rmi drops a reference only; nothing odd aborts it.
 * Two images share their bottom layer: a = [B, A], b = [B, Bb].
 */
import {
  type ChainId,
  type Driver,
  type LayerStore,
  PROP,
  type PropertyName,
  datasetName,
  openLayerStore,
  snapshotName,
} from '@stratum/core'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { describe, expect, it } from 'vitest'
import type { FeatureGroup, SuiteContext } from '../context.js'
import { interceptDriver } from '../crash/intercept.js'
import { siblings } from '../crash/incarnation.js'
import { withStore } from '../fixtures/layers.js'
import { buildTar, writeImage } from '../fixtures/store.js'

interface Two {
  readonly a: readonly ChainId[]
  readonly b: readonly ChainId[]
}

const twoImages = async (ctx: SuiteContext, s: LayerStore, dir: string): Promise<Two> => {
  const base = await buildTar([{ path: 'base', type: 'file', content: 'shared' }])
  const a = await writeImage(`${dir}/a`, 'latest', [base, await buildTar([{ path: 'a', type: 'file', content: 'a' }])])
  const b = await writeImage(`${dir}/b`, 'latest', [base, await buildTar([{ path: 'b', type: 'file', content: 'b' }])])
  await ctx.ok(s.extractImage(`${dir}/a`, 'latest'))
  await ctx.ok(s.extractImage(`${dir}/b`, 'latest'))
  return { a: a.chainIds, b: b.chainIds }
}

const layers = async (ctx: SuiteContext, s: LayerStore) => (await ctx.ok(s.listLayers())).map((l) => l.chainId).sort()

export const storePruneGroup: FeatureGroup = (ctx) => {
  describe('LayerStore: prune and rmi', () => {
    it('collects what only a removed image reached, top first; dry-run lists the same and removes nothing', () =>
      withStore(ctx, async (s, _f, dir) => {
        const { a, b } = await twoImages(ctx, s, dir)
        expect((await ctx.ok(s.prune())).removed).toEqual([])
        expect((await ctx.ok(s.removeImage('a:latest'))).top).toBe(a[1])
        expect(await ctx.ok(s.prune({ dryRun: true }))).toMatchObject({ removed: [a[1]], dryRun: true })
        expect(await layers(ctx, s)).toHaveLength(3)
        expect((await ctx.ok(s.prune())).removed).toEqual([a[1]])
        expect(await layers(ctx, s)).toEqual([...b].sort())
        await ctx.ok(s.removeImage('b:latest'))
        expect((await ctx.ok(s.prune())).removed).toEqual([b[1], b[0]])
        await ctx.fails(s.removeImage('b:latest'), 'ReferenceNotFound', { name: 'b:latest' })
      }))

    it('a container and a live lease keep a layer and its ancestors; a marked layer makes an extract Busy', () =>
      withStore(ctx, async (s, f, dir) => {
        const { a, b } = await twoImages(ctx, s, dir)
        await ctx.ok(s.removeImage('a:latest'))
        await ctx.ok(s.removeImage('b:latest'))
        await ctx.ok(s.start('c', a[1]!))
        // a lease as an extract in another live process records it (core store/lease.ts)
        const live = siblings()
        const properties = {
          [PROP.state]: 'lease',
          [PROP.lease]: JSON.stringify([b[1]]),
          [PROP.owner]: live.owner?.self ?? '',
          [PROP.created]: new Date().toISOString(),
        } as Record<PropertyName, string>
        await ctx.ok(f.driver.create(datasetName(`${s.layout.tmp}/lease-1`), { properties, noFiles: true }))
        const mine = await ctx.ok(openLayerStore(f.driver, f.base, siblings()))
        expect((await ctx.ok(mine.prune())).removed).toEqual([])
        expect(await layers(ctx, s)).toHaveLength(3)
        await ctx.ok(f.driver.setProperty(s.layout.layer(a[0]!), PROP.pruning, 'someone 2026-12-01T00:00:00Z'))
        await ctx.fails(s.extractImage(`${dir}/a`, 'latest'), 'Busy', { name: s.layout.layer(a[0]!) })
      }))

    it('a foreign snapshot on a layer, a foreign dataset under storage: left alone and reported, prune goes on', () =>
      withStore(ctx, async (s, f, dir) => {
        const { a, b } = await twoImages(ctx, s, dir)
        await ctx.ok(s.removeImage('a:latest'))
        await ctx.ok(s.removeImage('b:latest'))
        const foreign = snapshotName(`${s.layout.layer(b[1]!)}@zfs-auto-snap_hourly-2026-12-01-1200`)
        const notes = datasetName(`${s.layout.storage}/admin-notes`)
        await ctx.ok(f.driver.snapshot(foreign))
        await ctx.ok(f.driver.create(notes))
        const r = await ctx.ok(s.prune())
        expect(r.removed).toEqual([a[1]])
        expect(r.skipped.map((x) => x.name).sort()).toEqual([notes, s.layout.layer(b[1]!)].sort())
        expect(r.skipped.find((x) => x.name === s.layout.layer(b[1]!))?.reason).toContain(foreign)
        expect(await ctx.ok(f.driver.exists(foreign))).toBe(true)
        expect(await ctx.ok(f.driver.exists(notes))).toBe(true)
      }))

    it('a layer that vanishes during prune is reported; the others are still collected', () =>
      withStore(ctx, async (s, f, dir) => {
        const { a, b } = await twoImages(ctx, s, dir)
        await ctx.ok(s.removeImage('a:latest'))
        await ctx.ok(s.removeImage('b:latest'))
        const victim = s.layout.layer(a[1]!)
        // someone destroys the victim just before prune marks it
        const d: Driver = interceptDriver(f.driver, (what, run) =>
          what === `setProperty ${victim}` ? TE.flatMap(() => run)(f.driver.destroy(victim, { recursive: true })) : run,
        )
        const r = await ctx.ok((await ctx.ok(openLayerStore(d, f.base))).prune())
        expect(r.removed).toEqual([b[1], b[0]])
        expect(r.skipped).toEqual([{ name: victim, reason: 'vanished meanwhile' }])
        expect(await layers(ctx, s)).toEqual([])
      }))
  })
}
