import { createSimDriver } from '@stratum/sim-driver'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Driver } from '../../src/driver.js'
import { ioError } from '../../src/errors.js'
import { datasetName, snapshotName } from '../../src/names.js'
import type { ChainId } from '../../src/oci/digest.js'
import { layerBlob, writeImageLayout } from '../../src/oci/write.js'
import { PROP } from '../../src/store/layout.js'
import { takeLease } from '../../src/store/lease.js'
import { openLayerStore } from '../../src/store/open.js'
import type { OwnerPolicy } from '../../src/store/owner.js'
import { BASE, fail, ok } from './helpers.js'
import { makeTar } from './tar.js'

let root: string
let a: string
let b: string
let chainsA: readonly ChainId[]
let chainsB: readonly ChainId[]
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'stratum-prune-'))
  const base = layerBlob(await makeTar([{ path: 'base', content: 'shared' }]))
  a = join(root, 'a')
  b = join(root, 'b')
  chainsA = (await ok(writeImageLayout(a, 'latest', [base, layerBlob(await makeTar([{ path: 'a', content: 'a' }]))])))
    .chainIds
  chainsB = (await ok(writeImageLayout(b, 'latest', [base, layerBlob(await makeTar([{ path: 'b', content: 'b' }]))])))
    .chainIds
})
afterAll(() => rm(root, { recursive: true, force: true }))

const nobodyLive: OwnerPolicy = { self: 'prune-test/1/t', isLive: () => false }

/** Two images sharing their bottom layer, on a fresh simulator. */
const twoImages = async (driver?: Driver) => {
  const d = driver ?? createSimDriver()
  const s = await ok(openLayerStore(d, BASE))
  await ok(s.extractImage(a, 'latest'))
  await ok(s.extractImage(b, 'latest'))
  return { d, s }
}

const layers = async (s: Awaited<ReturnType<typeof twoImages>>['s']) =>
  (await ok(s.listLayers())).map((l) => l.chainId).sort()

describe('prune', () => {
  // a layer shared with a live image stays; one only a dropped image used goes; dry-run changes nothing
  it('collects what only a removed image reached; dry-run lists the same and removes nothing', async () => {
    const { s } = await twoImages()
    expect((await ok(s.prune())).removed).toEqual([])
    expect((await ok(s.removeImage('a:latest'))).top).toBe(chainsA[1])
    const dry = await ok(s.prune({ dryRun: true }))
    expect(dry).toMatchObject({ removed: [chainsA[1]], dryRun: true })
    expect(await layers(s)).toHaveLength(3)
    expect((await ok(s.prune())).removed).toEqual([chainsA[1]])
    expect(await layers(s)).toEqual([...chainsB].sort())
    await ok(s.removeImage('b:latest'))
    // top first: the layer above before its parent
    expect((await ok(s.prune())).removed).toEqual([chainsB[1], chainsB[0]])
    expect(await fail(s.removeImage('b:latest'))).toMatchObject({ _tag: 'ReferenceNotFound', name: 'b:latest' })
  })

  it('a container, a lease, and an extract onto a layer keep it and its ancestors', async () => {
    const { d, s } = await twoImages()
    await ok(s.removeImage('a:latest'))
    await ok(s.removeImage('b:latest'))
    await ok(s.start('c', chainsA[1]!))
    const ctx = { driver: d, layout: s.layout, options: {}, owner: nobodyLive }
    await ok(takeLease(ctx, [chainsB[1]!]))
    expect((await ok(s.prune())).removed).toEqual([])
    expect(await layers(s)).toHaveLength(3)
  })

  it('a foreign snapshot on a layer, a foreign dataset under storage: left alone and reported, prune goes on', async () => {
    const { d, s } = await twoImages()
    await ok(s.removeImage('a:latest'))
    await ok(s.removeImage('b:latest'))
    const foreign = snapshotName(`${s.layout.layer(chainsB[1]!)}@zfs-auto-snap_hourly-2026-12-01-1200`)
    await ok(d.snapshot(foreign))
    await ok(d.create(datasetName(`${s.layout.storage}/admin-notes`)))
    const r = await ok(s.prune())
    expect(r.removed).toEqual([chainsA[1]])
    expect(r.skipped.map((x) => x.name).sort()).toEqual(
      [`${s.layout.storage}/admin-notes`, s.layout.layer(chainsB[1]!)].sort(),
    )
    expect(r.skipped.find((x) => x.name === s.layout.layer(chainsB[1]!))?.reason).toContain(foreign)
    expect(await ok(d.exists(foreign))).toBe(true)
    expect(await ok(d.exists(datasetName(`${s.layout.storage}/admin-notes`)))).toBe(true)
  })

  it('a layer that vanishes during prune is reported; the others are still collected', async () => {
    const sim = createSimDriver()
    let victim: string | undefined
    const d: Driver = {
      ...sim,
      setProperty: (name, prop, value) =>
        prop === PROP.pruning && name === victim
          ? TE.flatMap(() => sim.setProperty(name, prop, value))(sim.destroy(name, { recursive: true }))
          : sim.setProperty(name, prop, value),
    }
    const { s } = await twoImages(d)
    await ok(s.removeImage('a:latest'))
    victim = s.layout.layer(chainsA[1]!)
    await ok(s.removeImage('b:latest'))
    const r = await ok(s.prune())
    expect(r.removed).toEqual([chainsB[1], chainsB[0]])
    expect(r.skipped).toEqual([{ name: victim, reason: 'vanished meanwhile' }])
    expect(await layers(s)).toEqual([])
  })

  it('an extract meeting a layer prune has marked is Busy, never reusing it', async () => {
    const { d, s } = await twoImages()
    await ok(d.setProperty(s.layout.layer(chainsA[0]!), PROP.pruning, 'someone 2026-12-01T00:00:00Z'))
    expect(await fail(s.extractImage(a, 'latest'))).toMatchObject({ _tag: 'Busy', name: s.layout.layer(chainsA[0]!) })
  })

  // after a kill at any driver call of prune, recover leaves every reachable layer whole, no marks, and prune finishes the job
  it('a crash at every step of prune, then recover: nothing reachable lost, nothing half-destroyed', async () => {
    for (let n = 0; ; n++) {
      const sim = createSimDriver()
      const { s } = await twoImages(sim)
      await ok(s.removeImage('a:latest'))
      let calls = 0
      let armed = false
      let crashed = false
      const dying = Object.fromEntries(
        Object.entries(sim).map(([k, f]) => [
          k,
          typeof f !== 'function'
            ? f
            : (...args: unknown[]) =>
                () => {
                  if (armed && calls++ >= n) {
                    crashed = true
                    return Promise.resolve({ _tag: 'Left', left: ioError('EIO', '', 'killed') })
                  }
                  return (f as (...a: unknown[]) => () => Promise<unknown>)(...args)()
                },
        ]),
      ) as unknown as Driver
      const doomed = await ok(openLayerStore(dying, BASE, { owner: nobodyLive }))
      armed = true
      await doomed.prune()()
      const after = await ok(openLayerStore(sim, BASE, { owner: nobodyLive }))
      const left = await ok(after.listLayers())
      for (const c of chainsB) expect(left.map((l) => l.chainId)).toContain(c)
      const listing = await ok(sim.list(BASE))
      expect(listing.filter((i) => i.properties[PROP.pruning] !== undefined)).toEqual([])
      await ok(after.prune())
      expect(await layers(after)).toEqual([...chainsB].sort())
      if (!crashed) break
      expect(n).toBeLessThan(20)
    }
  })
})

describe('foreign snapshots and recover', () => {
  it("a dead committer's lock is rolled back; a snapshot someone else made on that container stays, reported", async () => {
    const { d, s } = await twoImages()
    await ok(s.start('c', chainsA[1]!))
    const container = `${s.layout.runtime}/c`
    await ok(
      d.snapshot(snapshotName(`${container}@extracted`), { properties: { [PROP.state]: 'committing' } as never }),
    )
    await ok(d.snapshot(snapshotName(`${container}@sanoid_daily`)))
    const r = await ok((await ok(openLayerStore(d, BASE, { owner: nobodyLive }))).recover())
    expect(r.skipped).toEqual([
      { name: `${container}@sanoid_daily`, reason: 'a snapshot Stratum did not make: left alone' },
    ])
    expect(await ok(d.exists(snapshotName(`${container}@sanoid_daily`)))).toBe(true)
    expect(await ok(d.exists(snapshotName(`${container}@extracted`)))).toBe(false)
  })

  it('an unpublished layer dataset holding a foreign snapshot is not destroyed by recover', async () => {
    const d = createSimDriver()
    const s = await ok(openLayerStore(d, BASE))
    const odd = datasetName(`${s.layout.storage}/${'c'.repeat(64)}`)
    await ok(d.create(odd))
    await ok(d.snapshot(snapshotName(`${odd}@admin`)))
    const r = await ok(s.recover())
    expect(r.destroyed).toEqual([])
    expect(await ok(d.exists(snapshotName(`${odd}@admin`)))).toBe(true)
  })
})
