/**
 * Concurrency inside one process, on any driver: several stores (as several processes would
 * open them; each one's work is live to the others) run at once over one driver whose calls
 * fast-check's scheduler interleaves.
 */
import {
  chainIds,
  datasetName,
  type DiffId,
  type LayerStore,
  MEDIA_LAYER_TAR,
  openLayerStore,
  sha256,
  type StorageError,
  type StorageErrorTag,
} from '@stratum/core'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import type { FeatureGroup, SuiteContext } from '../context.js'
import type { Fixture } from '../fixture.js'
import { siblings } from '../crash/incarnation.js'
import { expectClean } from '../crash/state.js'
import { buildTar, chunked, treeLines } from '../fixtures/store.js'
import { checkProperty } from '../property/config.js'
import { scheduledDriver } from './scheduled-driver.js'

const config = (ctx: SuiteContext) => ({ ...ctx.budget.property, runs: ctx.budget.concurrency.runs })

const LAYERS = () =>
  Promise.all([
    buildTar([
      { path: 'bin/', type: 'dir' },
      { path: 'bin/sh', type: 'file', content: 'sh' },
    ]),
    buildTar([
      { path: 'etc/', type: 'dir' },
      { path: 'etc/a', type: 'file', content: 'a' },
    ]),
    buildTar([
      { path: 'bin/sh', type: 'whiteout' },
      { path: 'usr/', type: 'dir' },
      { path: 'usr/b', type: 'file', content: 'b' },
    ]),
    buildTar([
      { path: 'etc/a', type: 'file', content: 'a2' },
      { path: 'etc/l', type: 'symlink', target: 'a' },
    ]),
  ])

/** Opens `n` sibling stores on one scheduled driver (opening runs unscheduled). */
const openStores = async (ctx: SuiteContext, f: Fixture, n: number) => {
  const sd = scheduledDriver(f.driver)
  const stores: LayerStore[] = []
  for (let i = 0; i < n; i++) stores.push(await ctx.ok(openLayerStore(sd.driver, f.base, siblings())))
  return { sd, stores }
}

/** Extracts the image (layer indices, bottom first) layer by layer; diffIDs given or not. */
const extract = (s: LayerStore, tars: readonly Uint8Array[], image: readonly number[], known: boolean) =>
  image.reduce<TE.TaskEither<StorageError, 'empty' | string>>(
    (acc, i) =>
      pipe(
        acc,
        TE.flatMap((parent) =>
          pipe(
            s.extractLayer(parent as never, chunked(tars[i]!, 100), {
              mediaType: MEDIA_LAYER_TAR,
              ...(known ? { diffId: sha256(tars[i]!) as DiffId } : {}),
            }),
            TE.map((l) => l.chainId),
          ),
        ),
      ),
    TE.right('empty'),
  )

const typed = (r: E.Either<StorageError, unknown>, allowed: readonly StorageErrorTag[]): boolean =>
  E.isRight(r) || allowed.includes(r.left._tag)

type Op = 'commit' | 'commit-keep' | 'remove'

export const concurrencyGroup: FeatureGroup = (ctx) => {
  describe('LayerStore: concurrent operations interleaved at every driver call', () => {
    let tars: Uint8Array[] = []
    beforeAll(async () => {
      tars = await LAYERS()
    })
    const reference = new Map<string, string[]>()
    const expectedTree = async (image: readonly number[]): Promise<string[]> => {
      const key = image.join(',')
      if (!reference.has(key)) {
        reference.set(
          key,
          await ctx.withFixture(async (f) => {
            const s = await ctx.ok(openLayerStore(f.driver, f.base))
            const top = await ctx.ok(extract(s, tars, image, false))
            return treeLines(f.driver, s.layout.layerSnap(top as never))
          }),
        )
      }
      return reference.get(key)!
    }

    // 2-8 concurrent extracts of images sharing layers all succeed, publish one dataset per chainID, each with the right tree
    it('concurrent extracts of images sharing layers', () =>
      checkProperty(
        fc.asyncProperty(
          fc.scheduler(),
          fc.array(
            fc.record({
              image: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }),
              known: fc.boolean(),
            }),
            { minLength: 2, maxLength: 8 },
          ),
          async (sched, jobs) =>
            ctx.withFixture(async (f) => {
              const { sd, stores } = await openStores(ctx, f, jobs.length)
              sd.use(sched)
              const results = await sched.waitFor(
                Promise.all(jobs.map((j, i) => extract(stores[i]!, tars, j.image, j.known)())),
              )
              sd.use(undefined)
              ctx.tally.concurrentScenarios++
              expect(results.filter(E.isLeft)).toEqual([])
              const chains = new Set(jobs.flatMap((j) => chainIds(j.image.map((i) => sha256(tars[i]!) as DiffId))))
              const layers = await ctx.ok(stores[0]!.listLayers())
              expect(layers.map((l) => l.chainId).sort()).toEqual([...chains].sort())
              await expectClean(ctx, f, stores[0]!, 'after concurrent extracts')
              for (const [i, j] of jobs.entries()) {
                const top = (results[i] as E.Right<string>).right
                expect(await treeLines(f.driver, stores[0]!.layout.layerSnap(top as never))).toEqual(
                  await expectedTree(j.image),
                )
              }
            }),
        ),
        config(ctx),
      ))

    // concurrent commits (not kept) and removals of one container: exactly one wins, the others are Busy or DatasetNotFound
    it('concurrent commit and remove of one container: exactly one wins', () =>
      checkProperty(
        fc.asyncProperty(
          fc.scheduler(),
          fc.array(fc.constantFrom<Op>('commit', 'remove'), { minLength: 2, maxLength: 4 }),
          async (sched, ops) =>
            contend(ctx, tars, sched, ops, (results, ops, layersMade) => {
              expect(results.filter(E.isRight).length, JSON.stringify(results)).toBe(1)
              const winner = ops[results.findIndex(E.isRight)]
              expect(layersMade).toBe(winner === 'commit' ? 1 : 0)
            }),
        ),
        config(ctx),
      ))

    // kept commits mixed in: every outcome is a success or a typed refusal, and the store stays consistent
    it('concurrent kept and not-kept commits and removals stay consistent', () =>
      checkProperty(
        fc.asyncProperty(
          fc.scheduler(),
          fc.array(fc.constantFrom<Op>('commit', 'commit-keep', 'remove'), { minLength: 2, maxLength: 4 }),
          async (sched, ops) =>
            contend(ctx, tars, sched, ops, (results, ops, layersMade, present) => {
              const final = results.filter((r, i) => E.isRight(r) && ops[i] !== 'commit-keep').length
              expect(final).toBeLessThanOrEqual(1)
              expect(present).toBe(final === 0)
              expect(layersMade).toBeLessThanOrEqual(
                results.filter((r, i) => E.isRight(r) && ops[i] !== 'remove').length,
              )
            }),
        ),
        config(ctx),
      ))

    // removing a layer while containers start on it: the removal is refused naming started ones, or the starts fail DatasetNotFound
    it('concurrent start on a layer and removal of it', () =>
      checkProperty(
        fc.asyncProperty(fc.scheduler(), fc.integer({ min: 1, max: 3 }), async (sched, starts) =>
          ctx.withFixture(async (f) => {
            const { sd, stores } = await openStores(ctx, f, starts + 1)
            const layer = (
              await ctx.ok(stores[0]!.extractLayer('empty', chunked(tars[0]!), { mediaType: MEDIA_LAYER_TAR }))
            ).chainId
            sd.use(sched)
            const [removed, ...started] = await sched.waitFor(
              Promise.all([
                stores[0]!.removeLayer(layer)(),
                ...Array.from({ length: starts }, (_, i) => stores[i + 1]!.start(`c${i}`, layer)()),
              ]),
            )
            sd.use(undefined)
            ctx.tally.concurrentScenarios++
            const ids = started.flatMap((r, i) => (E.isRight(r) ? [`${stores[0]!.layout.runtime}/c${i}`] : []))
            for (const r of started) expect(typed(r, ['DatasetNotFound']), JSON.stringify(r)).toBe(true)
            if (E.isRight(removed!)) expect(ids).toEqual([])
            else {
              // refused, naming the containers started before the refusal (others may start after it)
              expect(removed!.left._tag).toBe('HasDependentClones')
              const named = (removed!.left as { clones: readonly string[] }).clones
              expect(named.length).toBeGreaterThan(0)
              expect(ids).toEqual(expect.arrayContaining([...named]))
            }
            expect((await ctx.ok(stores[0]!.listContainers())).map((c) => c.id).length).toBe(ids.length)
            await expectClean(ctx, f, stores[0]!, 'after start and removeLayer')
          }),
        ),
        config(ctx),
      ))
  })
}

/** Starts c1 with a change, runs `ops` on it at once from sibling stores, checks the common invariants, then `check`. */
const contend = (
  ctx: SuiteContext,
  tars: readonly Uint8Array[],
  sched: fc.Scheduler,
  ops: readonly Op[],
  check: (results: E.Either<StorageError, unknown>[], ops: readonly Op[], layersMade: number, present: boolean) => void,
): Promise<void> =>
  ctx.withFixture(async (f) => {
    const { sd, stores } = await openStores(ctx, f, ops.length)
    const s0 = stores[0]!
    const base = (await ctx.ok(s0.extractLayer('empty', chunked(tars[0]!), { mediaType: MEDIA_LAYER_TAR }))).chainId
    await ctx.ok(s0.start('c1', base))
    await ctx.ok(s0.apply('c1', chunked(tars[1]!)))
    const tree = await treeLines(f.driver, datasetName(`${s0.layout.runtime}/c1`))
    sd.use(sched)
    const results = await sched.waitFor(
      Promise.all(
        ops.map((op, i) =>
          (op === 'remove'
            ? stores[i]!.removeContainer('c1')
            : stores[i]!.commit('c1', { keep: op === 'commit-keep' }))(),
        ),
      ),
    )
    sd.use(undefined)
    ctx.tally.concurrentScenarios++
    expect(
      results.every((r) => typed(r, ['Busy', 'DatasetNotFound'])),
      JSON.stringify(results),
    ).toBe(true)
    await expectClean(ctx, f, s0, `after ${ops.join(', ')}`)
    const layers = (await ctx.ok(s0.listLayers())).filter((l) => l.chainId !== base)
    for (const l of layers) expect(await treeLines(f.driver, s0.layout.layerSnap(l.chainId))).toEqual(tree)
    const present = (await ctx.ok(s0.listContainers())).some((c) => c.id === 'c1')
    if (present) expect(await treeLines(f.driver, datasetName(`${s0.layout.runtime}/c1`))).toEqual(tree)
    check(results, ops, layers.length, present)
  })
