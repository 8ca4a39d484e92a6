/**
 * The process checks as one describe group: separate OS processes running LayerStores on the
 * same storage, SIGKILLed at random moments and racing on shared layers. Children run the
 * driver's child script (storeChildMain); the test opens the same storage through the driver
 * spec to check what they left.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { reap } from './child-process.js'
import type { ProcessEnv } from './env.js'
import { writeImages } from './fixtures.js'
import { killCheck } from './kill-check.js'
import { deadHolderCheck } from './mount-check.js'
import { ok } from './ok.js'
import type { ProcessChecksOptions } from './options.js'
import { references } from './references.js'
import { DEFAULT_BUDGET } from '../budget.js'
import { sharedCheck } from './shared-check.js'
import { newTally, summaryLine, timingLine } from './tally.js'

/** Registers the multi-process checks (SIGKILLed store processes, concurrent stores) for a driver. */
export const runProcessChecks = (opts: ProcessChecksOptions): void => {
  let dir = ''
  const settings = opts.settings ?? DEFAULT_BUDGET.kill
  const env: ProcessEnv = {
    opts,
    settings,
    tally: newTally(),
    refs: references(),
    children: [],
    workDir: () => dir,
    layoutDir: () => join(dir, 'layout'),
  }
  describe(`processes sharing one store: ${opts.name}`, () => {
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'stratum-procs-'))
      await ok(writeImages(env.layoutDir()), 'write images')
      await opts.setup?.()
    }, settings.hookMs)
    afterAll(async () => {
      await reap(env.children, settings.goneMs)
      console.log(summaryLine(env.tally))
      console.log(timingLine(env.tally))
      try {
        await opts.cleanup?.()
      } finally {
        await rm(dir, { recursive: true, force: true })
      }
    }, settings.hookMs)

    it(
      `a store process SIGKILLed at random moments (${settings.runs} runs) always leaves a reopenable, recoverable state`,
      () => killCheck(env),
      settings.killTestMs,
    )

    it(
      `${settings.extractors} processes extract images sharing layers at once, another killed mid-work: all succeed, one dataset per chainID`,
      () => sharedCheck(env),
      settings.sharedTestMs,
    )

    it(
      'a SIGKILLed mount holder: its hold and the mount stay until recovery, which releases exactly that hold and unmounts',
      (t) => deadHolderCheck(env, () => t.skip()),
      settings.sharedTestMs,
    )
  })
}
