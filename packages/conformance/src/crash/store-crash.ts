/**
 * Crash safety of the LayerStore, on any driver: the process is "killed" before its n-th
 * namespace change (that call and every later call fail, cleanup included); a store opened
 * afterwards on the same pool recovers to the old state or the new one, never a half-published
 * layer, never a lost container. Checked for every n an extract or a commit reaches.
 */
import {
  type AnyName,
  type ChainId,
  type DatasetName,
  type Driver,
  type LayerStore,
  MEDIA_LAYER_TAR,
  datasetName,
  digestHex,
  ioError,
  openLayerStore,
  snapshotName,
} from '@stratum/core'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { describe, expect, it } from 'vitest'
import type { FeatureGroup, SuiteContext } from '../context.js'
import type { Fixture } from '../fixture.js'
import { appLayer, baseLayer, storeDatasets } from '../fixtures/layers.js'
import { buildTar, chunked, treeLines } from '../fixtures/store.js'
import { incarnation } from './incarnation.js'
import { interceptDriver } from './intercept.js'
import { CHANGES, sampled, strided } from './points.js'

interface Crashing {
  readonly driver: Driver
  /** namespace changes made since `arm` */
  readonly changes: () => number
  /** from now on, die before the n-th change (Infinity: never) */
  arm(n: number): void
}

/** A driver that dies before its n-th namespace change: that call and every later one fail with Io EIO. */
const crashing = (d: Driver): Crashing => {
  let budget = Infinity
  let made = 0
  let dead = false
  const driver = interceptDriver(d, (what, run) => () => {
    const mutates = CHANGES.test(what)
    if (!dead && mutates && made >= budget) dead = true
    if (dead) return TE.left(ioError('EIO', what, 'simulated crash'))()
    if (mutates) made++
    return run()
  })
  return {
    driver,
    changes: () => made,
    arm: (n) => {
      budget = n
      made = 0
      dead = false
    },
  }
}

const runtime = (f: Fixture): DatasetName => datasetName(`${f.base}/runtime/c1`)
const layerSnap = (f: Fixture, c: ChainId): AnyName => snapshotName(`${f.base}/storage/${digestHex(c)}@extracted`)

/** The store's state after recovery: no tmp, no snapshot on a container, every layer ready. */
const recovered = async (ctx: SuiteContext, f: Fixture): Promise<LayerStore> => {
  const s = await ctx.ok(openLayerStore(f.driver, f.base, incarnation()), 'reopen after the crash')
  const names = await storeDatasets(ctx, f)
  expect(names.filter((n) => n.startsWith(`${f.base}/tmp/`))).toEqual([])
  expect(names.filter((n) => n.startsWith(`${f.base}/runtime/`) && n.includes('@'))).toEqual([])
  expect(
    names.filter((n) => n.startsWith(`${f.base}/storage/`) && n.includes('@') && !n.endsWith('@extracted')),
  ).toEqual([])
  for (const l of await ctx.ok(s.listLayers())) expect(l.state).toBe('ready')
  return s
}

/** Runs `op` once to count its changes, then once per crash point (the budget's stride and sample: see points.ts) on fresh fixtures. */
const everyCrashPoint = async (
  ctx: SuiteContext,
  setup: (s: LayerStore, f: Fixture) => Promise<void>,
  op: (s: LayerStore) => TE.TaskEither<unknown, unknown>,
  check: (f: Fixture, s: LayerStore, n: number) => Promise<void>,
): Promise<number> => {
  const total = await ctx.withFixture(async (f) => {
    await setup(await ctx.ok(openLayerStore(f.driver, f.base)), f)
    const c = crashing(f.driver)
    const s = await ctx.ok(openLayerStore(c.driver, f.base, incarnation()))
    c.arm(Infinity)
    await ctx.ok(op(s) as TE.TaskEither<never, unknown>, 'the operation without a crash')
    return c.changes()
  })
  for (const n of sampled(
    strided(
      Array.from({ length: total + 1 }, (_, i) => i),
      ctx.budget.crash,
    ),
    0.5,
    ctx.budget.crash,
  )) {
    await ctx.withFixture(async (f) => {
      await setup(await ctx.ok(openLayerStore(f.driver, f.base)), f)
      const c = crashing(f.driver)
      const s = await ctx.ok(openLayerStore(c.driver, f.base, incarnation()))
      c.arm(n)
      await op(s)()
      const st = await recovered(ctx, f)
      await check(f, st, n)
    })
  }
  return total
}

export const storeCrashGroup: FeatureGroup = (ctx) => {
  describe('LayerStore: a crash at any step recovers to the old or the new state', () => {
    it('extract of a second layer', async () => {
      let base!: ChainId
      let expected: string[] = []
      const total = await everyCrashPoint(
        ctx,
        async (s, f) => {
          base = (await ctx.ok(s.extractLayer('empty', chunked(await baseLayer()), { mediaType: MEDIA_LAYER_TAR })))
            .chainId
          if (expected.length === 0) {
            const probe = await ctx.ok(openLayerStore(f.driver, datasetName(`${f.base}/probe`)))
            const b = (
              await ctx.ok(probe.extractLayer('empty', chunked(await baseLayer()), { mediaType: MEDIA_LAYER_TAR }))
            ).chainId
            const top = (await ctx.ok(probe.extractLayer(b, chunked(await appLayer()), { mediaType: MEDIA_LAYER_TAR })))
              .chainId
            expected = await treeLines(f.driver, snapshotName(`${f.base}/probe/storage/${digestHex(top)}@extracted`))
            await ctx.ok(f.driver.destroy(datasetName(`${f.base}/probe`), { recursive: true, dependents: true }))
          }
        },
        (s) => s.extractLayer(base, await0(appLayer), { mediaType: MEDIA_LAYER_TAR }),
        async (f, s) => {
          const layers = await ctx.ok(s.listLayers())
          const top = layers.find((l) => l.parent === base)
          if (top !== undefined) expect(await treeLines(f.driver, layerSnap(f, top.chainId))).toEqual(expected)
          expect(layers.length).toBeLessThanOrEqual(2)
        },
      )
      expect(total).toBeGreaterThan(2)
    })

    for (const keep of [false, true]) {
      it(`commit with keep=${keep}`, async () => {
        let base!: ChainId
        let tree: string[] = []
        await everyCrashPoint(
          ctx,
          async (s, f) => {
            base = (await ctx.ok(s.extractLayer('empty', chunked(await baseLayer()), { mediaType: MEDIA_LAYER_TAR })))
              .chainId
            await ctx.ok(s.start('c1', base))
            await ctx.ok(
              s.apply(
                'c1',
                chunked(
                  await buildTar([
                    { path: 'etc/motd', type: 'whiteout' },
                    { path: 'new', type: 'file', content: 'n' },
                  ]),
                ),
              ),
            )
            tree = await treeLines(f.driver, runtime(f))
          },
          (s) => s.commit('c1', { keep }),
          async (f, s, n) => {
            const layers = (await ctx.ok(s.listLayers())).filter((l) => l.chainId !== base)
            const containers = await ctx.ok(s.listContainers())
            expect(layers.length, `crash before change ${n}`).toBeLessThanOrEqual(1)
            const layer = layers[0]
            if (layer !== undefined) expect(await treeLines(f.driver, layerSnap(f, layer.chainId))).toEqual(tree)
            if (keep || layer === undefined) {
              // the container is never lost: old state, or (kept) a clone of the new layer
              expect(containers).toEqual([expect.objectContaining({ id: 'c1', parent: layer?.chainId ?? base })])
              expect(await treeLines(f.driver, runtime(f))).toEqual(tree)
            } else {
              expect(containers).toEqual([])
            }
            // and the store goes on working
            if (containers.length > 0)
              await ctx.ok(s.commit('c1', { keep: false }), `commit after recovering from crash ${n}`)
          },
        )
      })
    }
  })
}

const await0 = (f: () => Promise<Uint8Array>): AsyncIterable<Uint8Array> => ({
  async *[Symbol.asyncIterator]() {
    yield* chunked(await f())
  },
})
