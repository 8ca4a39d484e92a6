/**
 * Separate processes on one simulator state file: a LayerStore process SIGKILLed at random
 * moments recovers (the state file always loads); several processes extracting images that
 * share layers through the shared driver all succeed with one dataset per chainID, even while
 * another process is killed mid-work (its stale lock is broken, its leftovers collected only
 * once it is dead).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ChainId, chainIds, datasetName, type DiffId, type Driver, digestHex, type LayerStore, MEDIA_LAYER_TAR, openLayerStore, sha256 } from '@stratum/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSimDriver, loadSimDriver, openSharedSimDriver, openSimDriver } from '../src/index.js'
import {
  CHILD_BASE, CHURN_TAR, expectRecovered, IMAGES, LAYERS, ok, spawnChild, storageChildren, treeOf, waitFor, writeImages,
} from './shared-helpers.js'

const KILL_RUNS = Number(process.env['STRATUM_KILL_RUNS'] ?? 4)
const tally = { kills: 0, processes: 0 }

/** Reference trees, from one in-memory store: each image's top layer, and a churned container's commit on it. */
const references = async () => {
  const byChain = new Map<string, string[]>()
  const committed: string[][] = []
  const driver = createSimDriver()
  const store = await ok(openLayerStore(driver, datasetName('testpool/ref')))
  for (const [ref, idx] of Object.entries(IMAGES)) {
    let parent: string = 'empty'
    for (const i of idx) {
      parent = await ok(store.extractLayer(parent as never, (async function* () { yield LAYERS[i]! })(), { mediaType: MEDIA_LAYER_TAR }))
      byChain.set(parent, await treeOf(driver, store.layout.layerSnap(parent as never)))
    }
    await ok(store.start(`r-${ref}`, parent as never))
    await ok(store.apply(`r-${ref}`, (async function* () { yield CHURN_TAR })()))
    committed.push(await treeOf(driver, datasetName(`testpool/ref/runtime/r-${ref}`)))
  }
  return { byChain, committed: committed.map((t) => JSON.stringify(t)) }
}

/** Every layer is an image layer with its reference tree, or a commit of a churned container. */
const expectLayersIntact = async (d: Driver, s: LayerStore, refs: Awaited<ReturnType<typeof references>>) => {
  for (const l of await ok(s.listLayers())) {
    const tree = await treeOf(d, s.layout.layerSnap(l.chainId))
    const known = refs.byChain.get(l.chainId)
    if (known !== undefined) expect(tree, `layer ${l.chainId}`).toEqual(known)
    else expect(refs.committed, `committed layer ${l.chainId}`).toContain(JSON.stringify(tree))
  }
}

describe('processes sharing a simulator state file', () => {
  let dir = ''
  let refs!: Awaited<ReturnType<typeof references>>
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stratum-procs-'))
    await writeImages(join(dir, 'layout'))
    refs = await references()
  })
  afterAll(async () => {
    console.log(`stratum-robustness (processes): ${tally.kills} SIGKILLs recovered, ${tally.processes} concurrent processes run, 0 lost`)
    await rm(dir, { recursive: true, force: true })
  })

  it(`a store process SIGKILLed at random moments (${KILL_RUNS} runs) always leaves a loadable, recoverable state`, async () => {
    const file = join(dir, 'kill-state')
    for (let run = 0; run < KILL_RUNS; run++) {
      const child = spawnChild(['churn', 'plain', file, join(dir, 'layout'), 'b', 'd', 'a'])
      await Promise.race([waitFor(() => child.out().includes('ready'), 60_000), child.exited.then((c) => { throw new Error(`child exited ${c}: ${child.err()}`) })])
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 300))
      child.proc.kill('SIGKILL')
      await child.exited
      tally.kills++
      // the file is never torn: it loads
      await ok(loadSimDriver(file))
      const d = await ok(openSimDriver({ stateFile: file }))
      const s = await ok(openLayerStore(d, datasetName(CHILD_BASE)))
      await expectRecovered(d, s)
      await expectLayersIntact(d, s, refs)
      for (const c of await ok(s.listContainers())) expect(await ok(d.exists(datasetName(`${s.layout.runtime}/${c.id}`)))).toBe(true)
      // and the work goes on
      const img = await ok(s.extractImage(join(dir, 'layout'), 'b'))
      await ok(s.start(`retry-${run}`, img.top))
      await ok(s.apply(`retry-${run}`, (async function* () { yield CHURN_TAR })()))
      await ok(s.commit(`retry-${run}`, { keep: false }))
      await expectRecovered(d, s)
    }
  })

  it('2-4 processes extract images sharing layers at once, one killed mid-work: all others succeed, one dataset per chainID', async () => {
    const file = join(dir, 'shared-state')
    const refsToRun = ['a', 'b', 'c', 'd']
    const victim = spawnChild(['churn', 'shared', file, join(dir, 'layout'), 'd', 'b'])
    const kids = refsToRun.map((ref) => spawnChild(['extract', 'shared', file, join(dir, 'layout'), ref]))
    tally.processes += kids.length + 1
    await Promise.race([waitFor(() => victim.out().includes('ready'), 60_000), victim.exited.then((c) => { throw new Error(`victim exited ${c}: ${victim.err()}`) })])
    await new Promise((r) => setTimeout(r, Math.random() * 200))
    victim.proc.kill('SIGKILL')
    await victim.exited
    tally.kills++
    const codes = await Promise.all(kids.map((k) => k.exited))
    expect(codes, kids.map((k) => k.err()).join('\n')).toEqual(kids.map(() => 0))
    const tops = kids.map((k) => JSON.parse(k.out().trim().split('\n').at(-1)!) as { top: string })
    const d = await ok(openSharedSimDriver({ stateFile: file }))
    const s = await ok(openLayerStore(d, datasetName(CHILD_BASE)))
    await expectRecovered(d, s)
    await expectLayersIntact(d, s, refs)
    const chains = new Set(refsToRun.flatMap((r) => chainIds(IMAGES[r]!.map((i) => sha256(LAYERS[i]!) as DiffId))))
    const extracted = (await storageChildren(d, s)).filter((n) => chains.has(`sha256:${n}` as ChainId))
    expect(extracted.sort()).toEqual([...chains].map(digestHex).sort())
    for (const [i, ref] of refsToRun.entries()) {
      const want = chainIds(IMAGES[ref]!.map((j) => sha256(LAYERS[j]!) as DiffId)).at(-1)
      expect(tops[i]!.top).toBe(want)
    }
  })
})
