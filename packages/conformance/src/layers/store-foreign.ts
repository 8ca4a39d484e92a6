/**
 * Snapshots and datasets others made under the base (zfs-auto-snapshot, sanoid, an admin), on
 * any driver. The rule (docs/DESIGN.md "Data others make"): commit, rm, rmi, prune and recover
 * never destroy them silently and never fail because of them; rm and rmi refuse naming them
 * (rm --force destroys them), a commit carries them onto the new layer and reports them.
 */
import {
  type LayerStore,
  PROP,
  type PropertyName,
  type SnapshotName,
  datasetName,
  openLayerStore,
  snapshotName,
} from '@stratum/core'
import { describe, expect, it } from 'vitest'
import type { FeatureGroup, SuiteContext } from '../context.js'
import { incarnation } from '../crash/incarnation.js'
import type { Fixture } from '../fixture.js'
import { withStore } from '../fixtures/layers.js'
import { buildTar, chunked } from '../fixtures/store.js'

const container = (s: LayerStore, id: string) => `${s.layout.runtime}/${id}`
const exists = (ctx: SuiteContext, f: Fixture, n: string) => ctx.ok(f.driver.exists(snapshotName(n)))
const autoSnap = async (ctx: SuiteContext, f: Fixture, n: string): Promise<SnapshotName> => {
  await ctx.ok(f.driver.snapshot(snapshotName(n)))
  return snapshotName(n)
}
/** the lock a commit takes on its container, left by a committer that died */
const committing = { [PROP.state]: 'committing' } as Record<PropertyName, string>

export const storeForeignGroup: FeatureGroup = (ctx) => {
  describe('LayerStore: snapshots others made', () => {
    it('rm refuses with HasChildren naming them and keeps the container unlocked; force destroys them', () =>
      withStore(ctx, async (s, f) => {
        await ctx.ok(s.start('c1', 'empty'))
        const snap = await autoSnap(ctx, f, `${container(s, 'c1')}@autosnap_hourly`)
        await ctx.fails(s.removeContainer('c1'), 'HasChildren', { name: container(s, 'c1'), dependents: [snap] })
        expect((await ctx.ok(s.listContainers())).map((c) => c.id)).toEqual(['c1'])
        expect(await exists(ctx, f, snap)).toBe(true)
        expect(await exists(ctx, f, `${container(s, 'c1')}@extracted`)).toBe(false)
        await ctx.ok(s.removeContainer('c1', { force: true }))
        expect(await ctx.ok(s.listContainers())).toEqual([])
        expect(await ctx.ok(f.driver.exists(datasetName(container(s, 'c1'))))).toBe(false)
      }))

    it('a commit, kept or not, carries one onto the new layer and reports it there', () =>
      withStore(ctx, async (s, f) => {
        for (const keep of [false, true]) {
          const id = keep ? 'kept' : 'gone'
          await ctx.ok(s.start(id, 'empty'))
          await ctx.ok(s.apply(id, chunked(await buildTar([{ path: id, type: 'file', content: id }]))))
          await autoSnap(ctx, f, `${container(s, id)}@autosnap_hourly`)
          const r = await ctx.ok(s.commit(id, { keep }))
          const moved = `${s.layout.layer(r.chainId)}@autosnap_hourly`
          expect(r).toMatchObject({ deduped: false, foreign: [moved] })
          expect(r.containerKept).toBeUndefined()
          expect(await exists(ctx, f, moved)).toBe(true)
        }
        expect((await ctx.ok(s.listContainers())).map((c) => c.id)).toEqual(['kept'])
      }))

    it('a not-kept commit that dedupes keeps the container holding one, unlocked, and says so', () =>
      withStore(ctx, async (s, f) => {
        await ctx.ok(s.start('c1', 'empty'))
        await ctx.ok(s.start('c2', 'empty'))
        const first = await ctx.ok(s.commit('c1', { keep: false }))
        const snap = await autoSnap(ctx, f, `${container(s, 'c2')}@autosnap_daily`)
        const r = await ctx.ok(s.commit('c2', { keep: false }))
        expect(r).toMatchObject({ chainId: first.chainId, deduped: true, foreign: [snap], containerKept: true })
        expect(await exists(ctx, f, snap)).toBe(true)
        expect(await exists(ctx, f, `${container(s, 'c2')}@extracted`)).toBe(false)
        expect(await ctx.ok(s.recover())).toMatchObject({ destroyed: [], rolledBack: [], completed: [] })
      }))

    it('rmi of a layer holding one refuses with HasChildren naming it, and destroys nothing', () =>
      withStore(ctx, async (s, f) => {
        await ctx.ok(s.start('c1', 'empty'))
        const { chainId } = await ctx.ok(s.commit('c1', { keep: false }))
        const snap = await autoSnap(ctx, f, `${s.layout.layer(chainId)}@zfs-auto-snap_hourly-2026-12-01-1200`)
        await ctx.fails(s.removeLayer(chainId), 'HasChildren', { name: s.layout.layer(chainId), dependents: [snap] })
        expect(await exists(ctx, f, snap)).toBe(true)
        expect((await ctx.ok(s.listLayers())).map((l) => l.chainId)).toEqual([chainId])
      }))

    it("recover rolls back a dead committer's lock but leaves a container's and an odd layer's own snapshots", () =>
      withStore(ctx, async (s, f) => {
        await ctx.ok(s.start('c', 'empty'))
        const c = container(s, 'c')
        await ctx.ok(f.driver.snapshot(snapshotName(`${c}@extracted`), { properties: committing }))
        const sanoid = await autoSnap(ctx, f, `${c}@sanoid_daily`)
        const odd = datasetName(`${s.layout.storage}/${'c'.repeat(64)}`)
        await ctx.ok(f.driver.create(odd))
        const admin = await autoSnap(ctx, f, `${odd}@admin`)
        const r = await ctx.ok((await ctx.ok(openLayerStore(f.driver, f.base, incarnation()))).recover())
        const mine = (name: string) => ({ name, reason: 'a snapshot Stratum did not make: left alone' })
        expect(r.skipped).toEqual([mine(sanoid), mine(admin)])
        expect(r.destroyed).toEqual([])
        expect(await exists(ctx, f, sanoid)).toBe(true)
        expect(await exists(ctx, f, admin)).toBe(true)
        expect(await exists(ctx, f, `${c}@extracted`)).toBe(false)
      }))
  })
}
