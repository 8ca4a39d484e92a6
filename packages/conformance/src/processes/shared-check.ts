/**
 * Several processes extract images sharing layers at once while another store process on the
 * same storage is SIGKILLed mid-work: every extracting process succeeds with its image's top
 * chainID, and the store holds exactly one layer dataset per chainID, all intact.
 */
import { type ChainId, datasetName, digestHex, openLayerStore } from '@stratum/core'
import { expect } from 'vitest'
import { expectLayersIntact, expectRecovered, storageChildren } from './checks.js'
import { killGroup, spawnChild, waitReady } from './child-process.js'
import type { ProcessEnv } from './env.js'
import { IMAGES } from './fixtures.js'
import { ok } from './ok.js'
import { imageChains } from './references.js'
import { pick, sleep } from './settings.js'
import { guarded } from './tally.js'

export const sharedCheck = async (env: ProcessEnv): Promise<void> => {
  const { opts, settings, tally } = env
  const spec = opts.driverSpec('shared', env.workDir())
  const base = opts.base('shared')
  const refsToRun = Object.keys(IMAGES).slice(0, settings.extractors)
  const victim = spawnChild(opts.childScript, ['churn', spec, base, env.layoutDir(), 'd', 'b'])
  const kids = refsToRun.map((ref) => spawnChild(opts.childScript, ['extract', spec, base, env.layoutDir(), ref]))
  env.children.push(victim, ...kids)
  tally.processes += kids.length + 1
  await waitReady(victim, settings.readyMs)
  const delay = pick(settings.victimDelayMs)
  tally.killDelayMs.push(delay)
  await sleep(delay)
  await killGroup(victim, settings.goneMs, settings.killCommands)
  expect(victim.proc.signalCode, `victim stderr: ${victim.err()}`).toBe('SIGKILL')
  tally.kills++
  const codes = await Promise.all(kids.map((k) => k.exited))
  await guarded(tally, async () => {
    expect(codes, kids.map((k) => k.err()).join('\n')).toEqual(kids.map(() => 0))
  })
  const tops = kids.map((k) => (JSON.parse(k.out().trim().split('\n').at(-1)!) as { top: string }).top)
  const d = await ok(opts.openDriver(spec), 'reopen driver')
  const s = await ok(openLayerStore(d, datasetName(base)), 'reopen store')
  await expectRecovered(d, s)
  await guarded(tally, async () => {
    await expectLayersIntact(d, s, env.refs)
    const chains = new Set<ChainId>(refsToRun.flatMap(imageChains))
    const extracted = (await storageChildren(d, s)).filter((n) => chains.has(`sha256:${n}` as ChainId))
    expect(extracted.sort()).toEqual([...chains].map(digestHex).sort())
    expect(tops).toEqual(refsToRun.map((ref) => imageChains(ref).at(-1)))
  })
}
