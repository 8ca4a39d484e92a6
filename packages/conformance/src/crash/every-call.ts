/**
 * Crash safety at every driver call, on any driver. For each LayerStore operation (extract of
 * a 3-layer image, start, apply, commit kept and not, removeContainer, removeLayer, prune): a
 * reference run counts its driver calls (FileTree calls included) and records the state
 * before and after; then, for every call index n and both fault modes ('crash': the process
 * dies before call n; 'fail': call n reports Io), a fresh store is prepared, the operation runs
 * with the fault, and a store opened afterwards (a new process: it recovers) must show
 * - no tmp/ leftover, no half-published layer, no container snapshot;
 * - a state between before and after: no layer or container both have is lost or changed;
 * - an operation that reported success really done;
 * - and, unless already done, the operation retried succeeds and reaches the after state.
 * In crash mode the first process opened afterwards crashes as well, at some call of its
 * own recovery: recovery itself must be restartable.
 */
import { type LayerStore, openLayerStore } from '@stratum/core'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FeatureGroup, SuiteContext } from '../context.js'
import type { Fixture } from '../fixture.js'
import { type FaultMode, faultyDriver } from './faulty-driver.js'
import { incarnation } from './incarnation.js'
import { type CrashEnv, makeCrashEnv, prepare, type Scenario, SCENARIOS } from './scenarios.js'
import { crashPoints, faultModes, MODES, sampled } from './points.js'
import {
  captureState,
  expectBetween,
  expectClean,
  expectPackagedUnchanged,
  sameState,
  type StoreState,
} from './state.js'

/** The reference states and a retry's are compared by tree only (sameState, expectBetween): no packaging. */
const UNPACKAGED = { packaged: false } as const

interface Reference {
  readonly before: StoreState
  readonly after: StoreState
  readonly calls: number
  readonly log: readonly string[]
}

const reference = (ctx: SuiteContext, env: CrashEnv, sc: Scenario): Promise<Reference> =>
  ctx.withFixture(async (f) => {
    const p = await prepare(ctx, f, env, incarnation())
    const plain = await ctx.ok(openLayerStore(f.driver, f.base, incarnation()))
    const before = await captureState(ctx, f, plain, UNPACKAGED)
    const fd = faultyDriver(f.driver)
    const s = await ctx.ok(openLayerStore(fd.driver, f.base, incarnation()))
    fd.arm(Infinity, 'crash')
    await ctx.ok(sc.op(s, env, p), `${sc.name} without a fault`)
    const calls = fd.calls()
    const log = [...fd.log()]
    return { before, after: await captureState(ctx, f, plain, UNPACKAGED), calls, log }
  })

/** One run with a fault at call n; checks recovery and the retry. */
const faultAt = (
  ctx: SuiteContext,
  env: CrashEnv,
  sc: Scenario,
  ref: Reference,
  mode: FaultMode,
  n: number,
): Promise<void> =>
  ctx.withFixture(async (f: Fixture) => {
    const what = `${sc.name}, ${mode} at call ${n}/${ref.calls}`
    const p = await prepare(ctx, f, env, incarnation())
    const fd = faultyDriver(f.driver)
    const s = await ctx.ok(openLayerStore(fd.driver, f.base, incarnation()))
    const here = await captureState(ctx, f, s)
    fd.arm(n, mode)
    const r = await sc.op(s, env, p)()
    expect(fd.fired(), `${what}: the fault fired`).toBe(true)
    // in crash mode, the next process crashes too, somewhere in its recovery (a call index derived from n)
    if (mode === 'crash') {
      const fr = faultyDriver(f.driver)
      fr.arm((n * 7) % 13, 'crash')
      await openLayerStore(fr.driver, f.base, incarnation())()
      if (fr.fired()) ctx.tally.crashPoints++
    }
    // the next process: opening the store recovers
    const next: LayerStore = await ctx.ok(openLayerStore(f.driver, f.base, incarnation()), `${what}: reopen`)
    await expectClean(ctx, f, next, `${what}, recovered`)
    const got = await captureState(ctx, f, next)
    expectBetween(ctx.tally, got, ref.before, ref.after, `${what}, recovered`, sc.partial)
    expectPackagedUnchanged(ctx.tally, got, here, `${what}, recovered`)
    if (E.isRight(r) && (sc.done?.(r.right) ?? true))
      expect(sameState(got, ref.after), `${what}: reported success, so it is done`).toBe(true)
    if (!sameState(got, ref.after)) {
      await ctx.ok(sc.op(next, env, p), `${what}: retry`)
      await expectClean(ctx, f, next, `${what}, retried`)
      expect(
        sameState(await captureState(ctx, f, next, UNPACKAGED), ref.after),
        `${what}: retried, as without a fault`,
      ).toBe(true)
    }
    ctx.tally.crashPoints++
  })

export const crashEveryCallGroup: FeatureGroup = (ctx) => {
  describe('LayerStore: a crash or an I/O failure at every driver call recovers and retries', () => {
    let env!: CrashEnv
    beforeAll(async () => {
      env = await makeCrashEnv()
    })
    afterAll(async () => {
      await env.cleanup()
    })
    for (const [i, sc] of SCENARIOS.entries()) {
      it(sc.name, async () => {
        const ref = await reference(ctx, env, sc)
        expect(ref.calls).toBeGreaterThan(0)
        const points = crashPoints(ref.log, ctx.budget.crash)
        for (const mode of faultModes(i, ctx.budget.crash))
          for (const n of sampled(points, MODES.indexOf(mode) / MODES.length, ctx.budget.crash))
            await faultAt(ctx, env, sc, ref, mode, n)
      })
    }
  })
}
