import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { createSimDriver } from '@stratum/sim-driver'
import { describe, expect, it } from 'vitest'
import type { Driver } from '../../src/driver.js'
import { datasetName, parseContainerId, snapshotName } from '../../src/names.js'
import { digestHex, sha256 } from '../../src/oci/digest.js'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MEDIA_DOCKER_LAYER_GZIP, MEDIA_LAYER_GZIP, MEDIA_LAYER_TAR } from '../../src/oci/media.js'
import { layerBlob, writeImageLayout } from '../../src/oci/write.js'
import { storeLayout } from '../../src/store/layout.js'
import { openLayerStore } from '../../src/store/open.js'
import { BASE, fail, ok } from './helpers.js'
import { makeTar, once } from './tar.js'

const names = async (d: Driver): Promise<string[]> => (await ok(d.list(BASE))).map((i) => i.name)

describe('store layout', () => {
  const l = storeLayout(BASE)
  it('names layers by chainID hex and maps names back', () => {
    const c = sha256('x') as never
    expect(l.layer(c)).toBe(`${BASE}/storage/${digestHex(c)}`)
    expect(l.layerOf(l.layerSnap(c))).toBe(c)
    expect(l.layerOf(l.layerSnap('empty'))).toBe('empty')
    expect(l.layerOf(datasetName(`${BASE}/runtime/x`))).toBeUndefined()
    expect(l.layerOf(datasetName(`${BASE}/storage/nothex`))).toBeUndefined()
  })
  it('a container id is one valid component, and its dataset name fits under the base', () => {
    const container = (id: string) => pipe(parseContainerId(id), E.flatMap(l.container))
    expect(container('web-1')).toEqual(E.right(`${BASE}/runtime/web-1`))
    for (const bad of ['', 'a/b', 'a@b', 'a#b', 'a*b']) expect(E.isLeft(container(bad))).toBe(true)
    expect(container('x'.repeat(250))).toMatchObject(E.left({ _tag: 'InvalidName', reason: 'name is too long' }))
  })
})

/** The driver methods called through `d`, in order. */
const counting = (d: Driver) => {
  const calls: string[] = []
  const driver = new Proxy(d, {
    get: (target, prop, recv) => {
      const v = Reflect.get(target, prop, recv)
      return typeof v === 'function'
        ? (...args: unknown[]) => {
            calls.push(String(prop))
            return (v as (...a: unknown[]) => unknown).apply(target, args)
          }
        : v
    },
  })
  return { driver, calls }
}

describe('store on the simulator', () => {
  it('opening a store whose datasets exist and need no recovery is one listing of the base', async () => {
    const d = createSimDriver()
    const s = await ok(openLayerStore(d, BASE))
    await ok(s.start('c1', 'empty'))
    const c = counting(d)
    await ok(openLayerStore(c.driver, BASE))
    expect(c.calls).toEqual(['list'])
    // a new store creates its skeleton, then lists afresh for recovery
    const fresh = counting(createSimDriver())
    await ok(openLayerStore(fresh.driver, BASE))
    expect(fresh.calls).toEqual(['list', 'create', 'create', 'create', 'snapshot', 'create', 'create', 'list'])
  })

  it('removeLayer racing a start names the new container when the destroy says only "snapshot is cloned" (as zfs does)', async () => {
    const d = createSimDriver()
    const s = await ok(openLayerStore(d, BASE))
    const layer = (
      await ok(
        s.extractLayer('empty', once(await makeTar([{ path: 'f', content: 'x' }])), { mediaType: MEDIA_LAYER_TAR }),
      )
    ).chainId
    // a start clones the layer after removeLayer's check; zfs's destroy then fails without a list
    const racing: Driver = {
      ...d,
      destroy: (name, _o) => async () => {
        await ok(d.clone(snapshotName(`${name}@extracted`), datasetName(`${BASE}/runtime/late`)))
        return { _tag: 'Left', left: { _tag: 'HasDependentClones', name: `${name}@extracted`, clones: [] } }
      },
    }
    const r = await fail((await ok(openLayerStore(racing, BASE))).removeLayer(layer))
    expect(r).toEqual({
      _tag: 'HasDependentClones',
      name: `${BASE}/storage/${layer.slice(7)}@extracted`,
      clones: [`${BASE}/runtime/late`],
    })
  })

  it('recovery lists the base again after it acted on an area, so the next area sees the change', async () => {
    const d = createSimDriver()
    const s = await ok(openLayerStore(d, BASE))
    await ok(d.clone(snapshotName(`${BASE}/storage/empty@extracted`), datasetName(`${BASE}/tmp/left-over`)))
    const c = counting(d)
    const again = await ok(openLayerStore(c.driver, BASE))
    expect(c.calls).toEqual(['list', 'destroy', 'list'])
    expect(await ok(again.recover())).toEqual({
      destroyed: [],
      rolledBack: [],
      completed: [],
      skipped: [],
      released: [],
    })
    void s
  })

  it('an unsafe tar fails extract with UnsafePath naming the entry; nothing published, no tmp left', async () => {
    const d = createSimDriver()
    const s = await ok(openLayerStore(d, BASE))
    const before = await names(d)
    const e = await fail(
      s.extractLayer('empty', once(await makeTar([{ path: '../escape', content: 'x' }])), {
        mediaType: MEDIA_LAYER_TAR,
      }),
    )
    expect(e).toMatchObject({ _tag: 'UnsafePath', entry: '../escape' })
    expect(await names(d)).toEqual(before)
  })

  it("a blob that is not the manifest's and is not gzip either is DigestMismatch, not CorruptLayer", async () => {
    const d = createSimDriver()
    const s = await ok(openLayerStore(d, BASE))
    const before = await names(d)
    const garbage = Buffer.from('definitely not gzip '.repeat(50))
    const expected = sha256('the real blob') as never
    const e = await fail(s.extractLayer('empty', once(garbage), { mediaType: MEDIA_LAYER_GZIP, digest: expected }))
    expect(e).toMatchObject({ _tag: 'DigestMismatch', expected, actual: sha256(garbage) })
    // without a digest to check, the same bytes are CorruptLayer
    expect(await fail(s.extractLayer('empty', once(garbage), { mediaType: MEDIA_LAYER_GZIP }))).toMatchObject({
      _tag: 'CorruptLayer',
    })
    expect(await names(d)).toEqual(before)
  })

  it('a docker rootfs.diff.tar.gzip layer extracts like an OCI gzip layer', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stratum-docker-'))
    try {
      const tar = await makeTar([{ path: 'f', content: 'docker' }])
      const w = await ok(writeImageLayout(dir, 'd', [{ ...layerBlob(tar), mediaType: MEDIA_DOCKER_LAYER_GZIP }]))
      const d = createSimDriver()
      const s = await ok(openLayerStore(d, BASE))
      const r = await ok(s.extractImage(dir, 'd'))
      expect(r.top).toBe(w.chainIds[0])
      expect(r.layers).toEqual([{ chainId: w.chainIds[0], diffId: sha256(tar), reused: false }])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('a blob longer than its descriptor says is LimitExceeded (read no further), a shorter one CorruptLayer; nothing published', async () => {
    const d = createSimDriver()
    const s = await ok(openLayerStore(d, BASE))
    const before = await names(d)
    const tar = await makeTar([{ path: 'f', content: 'x' }])
    const e = await fail(
      s.extractLayer('empty', once(tar), { mediaType: MEDIA_LAYER_TAR, digest: sha256(tar), size: tar.length - 1 }),
    )
    expect(e).toMatchObject({ _tag: 'LimitExceeded', limit: tar.length - 1 })
    const short = await fail(s.extractLayer('empty', once(tar), { mediaType: MEDIA_LAYER_TAR, size: tar.length + 1 }))
    expect(short).toMatchObject({
      _tag: 'CorruptLayer',
      reason: `blob is ${tar.length} bytes, descriptor says ${tar.length + 1}`,
    })
    expect(await names(d)).toEqual(before)
  })

  it('commit of a container that does not exist is DatasetNotFound and changes nothing', async () => {
    const d = createSimDriver()
    const s = await ok(openLayerStore(d, BASE))
    const before = await names(d)
    expect(await fail(s.commit('ghost', { keep: false }))).toMatchObject({ _tag: 'DatasetNotFound' })
    expect(await names(d)).toEqual(before)
  })

  it('a not-kept commit interrupted between its two renames is rolled back by opening the store again', async () => {
    const d = createSimDriver()
    const s = await ok(openLayerStore(d, BASE))
    await ok(s.start('c1', 'empty'))
    await ok(s.apply('c1', once(await makeTar([{ path: 'f', content: 'x' }]))))
    const rt = datasetName(`${BASE}/runtime/c1`)
    // the state a crash leaves after "rename the snapshot to @extracted", before "rename the runtime"
    await ok(d.snapshot(snapshotName(`${rt}@extracted`)))
    await ok(d.setProperty(rt, 'stratum:state' as never, 'committing'))
    const again = await ok(openLayerStore(d, BASE))
    expect((await names(d)).filter((n) => n.startsWith(`${rt}@`))).toEqual([])
    expect((await ok(d.getProperty(rt, 'stratum:state' as never)))?.value).toBe('ready')
    const c = await ok(again.commit('c1', { keep: false }))
    expect(await names(d)).toContain(`${BASE}/storage/${digestHex(c.chainId)}@extracted`)
  })

  it('a layer renamed into place but still committing is completed by recover', async () => {
    const d = createSimDriver()
    const s = await ok(openLayerStore(d, BASE))
    const c = (
      await ok(
        s.extractLayer('empty', once(await makeTar([{ path: 'f', content: 'x' }])), { mediaType: MEDIA_LAYER_TAR }),
      )
    ).chainId
    const ds = datasetName(`${BASE}/storage/${digestHex(c)}`)
    await ok(d.setProperty(ds, 'stratum:state' as never, 'committing'))
    const report = await ok(s.recover())
    expect(report.completed).toEqual([ds])
    expect((await ok(s.listLayers()))[0]).toMatchObject({ chainId: c, state: 'ready' })
  })

  it('packageLayer plans the layer once (one zfs diff) for its hashing pass and for the pass of its caller', async () => {
    const sim = createSimDriver()
    let diffs = 0
    const d: Driver = {
      ...sim,
      diff: (from, to) => {
        diffs++
        return sim.diff(from, to)
      },
    }
    const s = await ok(openLayerStore(d, BASE))
    const { chainId } = await ok(
      s.extractLayer('empty', once(await makeTar([{ path: 'f', content: 'x' }])), { mediaType: MEDIA_LAYER_TAR }),
    )
    diffs = 0
    const p = await ok(s.packageLayer(chainId))
    const parts: Uint8Array[] = []
    for await (const x of p.tar) parts.push(x)
    expect(sha256(Buffer.concat(parts))).toBe(p.diffId)
    expect(diffs).toBe(1)
  })

  it('packageLayer gives the same bytes twice, and its diffId hashes them', async () => {
    const d = createSimDriver()
    const s = await ok(openLayerStore(d, BASE))
    await ok(s.start('c1', 'empty'))
    await ok(
      s.apply(
        'c1',
        once(
          await makeTar([
            { path: 'd/', dir: true },
            { path: 'd/f', content: 'x' },
          ]),
        ),
      ),
    )
    const { chainId } = await ok(s.commit('c1', { keep: false }))
    const read = async () => {
      const p = await ok(s.packageLayer(chainId))
      const parts: Uint8Array[] = []
      for await (const x of p.tar) parts.push(x)
      return { bytes: Buffer.concat(parts), diffId: p.diffId }
    }
    const a = await read()
    const b = await read()
    expect(a.bytes.equals(b.bytes)).toBe(true)
    expect(sha256(a.bytes)).toBe(a.diffId)
  })
})
