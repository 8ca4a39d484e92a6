/**
 * The seed's two defects, each shown failing on the simulator, next to the corrected algorithm.
 */
import * as E from 'fp-ts/lib/Either.js'
import { createSimDriver } from '@stratum/sim-driver'
import { describe, expect, it } from 'vitest'
import type { Driver } from '../../src/driver.js'
import { applyLayer } from '../../src/layer/index.js'
import { datasetName, snapshotName } from '../../src/names.js'
import { chainIds, digestHex, type DiffId, sha256 } from '../../src/oci/digest.js'
import { MEDIA_LAYER_TAR } from '../../src/oci/media.js'
import { openLayerStore } from '../../src/store/open.js'
import { makeTar, once } from './tar.js'
import { unwrap as ok } from '../../src/testing.js'

const paths = async (d: Driver, name: string, dir = ''): Promise<string[]> => {
  const t = await ok(d.fs(name as never))
  const out: string[] = []
  for (const n of await ok(t.readdir(dir))) {
    const p = dir === '' ? n : `${dir}/${n}`
    out.push(p)
    if ((await ok(t.lstat(p))).type === '/') out.push(...(await paths(d, name, p)))
  }
  return out
}

const BASE = datasetName('testpool/stratum')

describe('seed defect 1: extract never advances lower_snapshot', () => {
  it("the seed's loop gives a top layer without the layers below it; the corrected extract stacks them", async () => {
    const l1 = await makeTar([
      { path: 'bin/', dir: true },
      { path: 'bin/sh', content: 'sh' },
    ])
    const l2 = await makeTar([
      { path: 'etc/', dir: true },
      { path: 'etc/motd', content: 'hi' },
    ])
    const chains = chainIds([sha256(l1), sha256(l2)] as DiffId[])

    // the seed's pseudocode, literally: every layer cloned from `empty`
    const naive = createSimDriver()
    await ok(openLayerStore(naive, BASE)) // storage/empty@extracted
    const lower = snapshotName(`${BASE}/storage/empty@extracted`)
    for (const [i, tar] of [l1, l2].entries()) {
      const ds = datasetName(`${BASE}/storage/${digestHex(chains[i]!)}`)
      if (!(await ok(naive.exists(snapshotName(`${ds}@extracted`))))) {
        await ok(naive.clone(lower, ds)) // lower_snapshot is never reassigned
        await ok(applyLayer(await ok(naive.fs(ds)), once(tar), { capabilities: naive.capabilities }))
        await ok(naive.snapshot(snapshotName(`${ds}@extracted`)))
      }
    }
    const top = `${BASE}/storage/${digestHex(chains[1]!)}@extracted`
    expect(await paths(naive, top)).toEqual(['etc', 'etc/motd']) // layer 1 is missing: the defect

    const fixed = createSimDriver()
    const s = await ok(openLayerStore(fixed, BASE))
    const c1 = (await ok(s.extractLayer('empty', once(l1), { mediaType: MEDIA_LAYER_TAR }))).chainId
    const c2 = (await ok(s.extractLayer(c1, once(l2), { mediaType: MEDIA_LAYER_TAR }))).chainId
    expect([c1, c2]).toEqual(chains)
    expect(await paths(fixed, top)).toEqual(['bin', 'bin/sh', 'etc', 'etc/motd'])
  })
})

describe('seed defect 2: commit snapshots @extracted after promote', () => {
  it("the seed's commit fails with DatasetExists; the corrected commit publishes the layer", async () => {
    const d = createSimDriver()
    const s = await ok(openLayerStore(d, BASE))
    await ok(s.start('c1', 'empty'))
    await ok(s.apply('c1', once(await makeTar([{ path: 'f', content: 'x' }]))))

    // the seed's steps on a copy of the container
    await ok(s.start('seed', 'empty'))
    await ok(s.apply('seed', once(await makeTar([{ path: 'f', content: 'x' }]))))
    const rt = datasetName(`${BASE}/runtime/seed`)
    const layer = datasetName(`${BASE}/storage/${'0'.repeat(64)}`)
    await ok(d.snapshot(snapshotName(`${rt}@extracted`)))
    await ok(d.clone(snapshotName(`${rt}@extracted`), layer))
    await ok(d.promote(layer))
    const r = await d.snapshot(snapshotName(`${layer}@extracted`))()
    expect(r).toEqual(E.left({ _tag: 'DatasetExists', name: `${layer}@extracted` })) // the defect: promote moved it there

    const committed = await ok(s.commit('c1', { keep: true }))
    expect(await ok(d.exists(snapshotName(`${BASE}/storage/${digestHex(committed.chainId)}@extracted`)))).toBe(true)
    expect(await paths(d, `${BASE}/storage/${digestHex(committed.chainId)}@extracted`)).toEqual(['f'])
  })
})
