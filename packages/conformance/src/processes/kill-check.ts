/**
 * A store process SIGKILLed at random moments always leaves a state that reopens and recovers:
 * nothing in tmp/, every layer published with its reference tree (or a churned commit's),
 * every listed container present; and the work goes on on it.
 */
import { datasetName, openLayerStore } from '@stratum/core'
import { expect } from 'vitest'
import { expectContainersPresent, expectLayersIntact, expectRecovered } from './checks.js'
import { killGroup, spawnChild, waitReady } from './child-process.js'
import type { ProcessEnv } from './env.js'
import { CHURN_TAR, once } from './fixtures.js'
import { ok } from './ok.js'
import { pick, sleep } from './settings.js'
import { guarded, readyMs } from './tally.js'

export const killCheck = async (env: ProcessEnv): Promise<void> => {
  const { opts, settings, tally } = env
  const spec = opts.driverSpec('kill', env.workDir())
  const base = opts.base('kill')
  for (let run = 0; run < settings.runs; run++) {
    const child = spawnChild(opts.childScript, ['churn', spec, base, env.layoutDir(), 'b', 'd', 'a'])
    env.children.push(child)
    await waitReady(child, settings.readyMs)
    const delay = pick(settings.killDelayMs)
    tally.firstCycleMs.push(readyMs(child.out()) ?? NaN)
    tally.killDelayMs.push(delay)
    await sleep(delay)
    await killGroup(child, settings.goneMs, settings.killCommands)
    // it died of the kill, not of an error of its own before it
    expect(child.proc.signalCode, `run ${run}: child stderr: ${child.err()}`).toBe('SIGKILL')
    tally.kills++
    // the driver reopens (a simulator's state file is never torn: it loads) and the store recovers
    const d = await ok(opts.openDriver(spec), `run ${run}: reopen driver`)
    const s = await ok(openLayerStore(d, datasetName(base)), `run ${run}: reopen store`)
    await expectRecovered(d, s)
    await guarded(tally, async () => {
      await expectLayersIntact(d, s, env.refs)
      await expectContainersPresent(d, s)
    })
    // and the work goes on
    const img = await ok(s.extractImage(env.layoutDir(), 'b'), `run ${run}: extract after recovery`)
    await ok(s.start(`retry-${run}`, img.top), `run ${run}: start`)
    await ok(s.apply(`retry-${run}`, once(CHURN_TAR)), `run ${run}: apply`)
    await ok(s.commit(`retry-${run}`, { keep: false }), `run ${run}: commit`)
    await expectRecovered(d, s)
  }
}
