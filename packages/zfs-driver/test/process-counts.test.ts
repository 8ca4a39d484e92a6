// The zfs processes a LayerStore runs on this driver, counted through a fake zfs that keeps state (fake-zfs.ts).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { containerId, datasetName, type LayerStore, openLayerStore } from '@stratum/core'
import { createZfsDriver } from '../src/index.js'
import { appLayer, baseLayer, otherLayer } from '../../conformance/src/fixtures/layers.js'
import { writeImage } from '../../conformance/src/fixtures/store.js'
import { type FakeZfs, fakeZfs } from './fake-zfs.js'
import { ok } from './hostfs/helpers.js'

let root: string
let fake: FakeZfs
let store: LayerStore
let layout: string

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'stratum-zcount-'))
  layout = join(root, 'layout')
  fake = fakeZfs(join(root, 'pool'))
  store = await ok(
    openLayerStore(createZfsDriver({ exec: fake.exec, mountTable: fake.mountTable }), datasetName('p/s')),
  )
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

/** The zfs subcommands `body` runs (`list` for an existence check). */
const verbs = async (body: () => Promise<unknown>): Promise<string[]> => {
  const from = fake.calls.length
  await body()
  return fake.calls.slice(from).map((argv) => argv[1]!)
}

const image = async (ref: string) => writeImage(layout, ref, [await baseLayer(), await appLayer(), await otherLayer()])

describe('zfs processes per store operation', () => {
  it('a fresh layer costs 3 (clone, snapshot, rename); an image adds its lease, one existence check and its record', async () => {
    await image('three')
    const ran = await verbs(() => ok(store.extractImage(layout, 'three')))
    const fresh = ['clone', 'snapshot', 'rename']
    // the lease: a create first and a destroy last; the existence check reads prune's mark (a get);
    // the image's record: one set (the store's first image: a set that finds no <base>/images, then its create)
    expect(ran).toEqual(['create', 'get', ...fresh, ...fresh, ...fresh, 'set', 'create', 'destroy'])
    // what the listing shows is unchanged: every layer ready, with its diffID and parent
    const layers = await ok(store.listLayers())
    expect(layers.map((l) => l.state)).toEqual(['ready', 'ready', 'ready'])
    expect(layers.every((l) => l.diffId !== undefined)).toBe(true)
  })

  it('a reused layer costs 1 (its existence check); a fresh one over it 3 plus that check; the lease 2', async () => {
    await image('three')
    await ok(store.extractImage(layout, 'three'))
    expect(await verbs(() => ok(store.extractImage(layout, 'three')))).toEqual([
      'create',
      'get',
      'get',
      'get',
      'set',
      'destroy',
    ])
    // an image sharing the bottom two layers: two checks that find them, one that does not, then the fresh layer
    const top = await otherLayer()
    await writeImage(layout, 'four', [await baseLayer(), await appLayer(), top, await baseLayer()])
    const ran = await verbs(() => ok(store.extractImage(layout, 'four')))
    expect(ran).toEqual(['create', 'get', 'get', 'get', 'get', 'clone', 'snapshot', 'rename', 'set', 'destroy'])
  })

  it("two stores extracting one image at once: the publishing rename tells the loser, who uses the winner's layers", async () => {
    const img = await image('three')
    const other = await ok(
      openLayerStore(createZfsDriver({ exec: fake.exec, mountTable: fake.mountTable }), datasetName('p/s')),
    )
    const from = fake.calls.length
    const [a, b] = await Promise.all([ok(store.extractImage(layout, 'three')), ok(other.extractImage(layout, 'three'))])
    expect([a.top, b.top]).toEqual([img.chainIds[2], img.chainIds[2]])
    expect((await ok(store.listLayers())).map((l) => l.chainId).sort()).toEqual([...img.chainIds].sort())
    const listed = await ok(
      createZfsDriver({ exec: fake.exec, mountTable: fake.mountTable }).list(datasetName('p/s/tmp')),
    )
    expect(listed.map((i) => i.name)).toEqual(['p/s/tmp'])
    // every layer the loser applied went: its rename failed and it destroyed its tmp dataset (and each store its lease)
    const ran = fake.calls.slice(from).map((argv) => argv[1])
    expect(ran.filter((v) => v === 'destroy').length).toBe(ran.filter((v) => v === 'rename').length - 3 + 2)
  })

  it('start costs 1 (the clone); a missing layer is DatasetNotFound from that clone', async () => {
    const img = await image('three')
    await ok(store.extractImage(layout, 'three'))
    expect(await verbs(() => ok(store.start(containerId('web'), img.chainIds[2]!)))).toEqual(['clone'])
    const missing = `sha256:${'0'.repeat(64)}` as never
    const r = await store.start(containerId('db'), missing)()
    expect(r).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'DatasetNotFound', name: `p/s/storage/${'0'.repeat(64)}@extracted` },
    })
  })

  it('a commit (not kept) costs 14: lock, parent, diff, check, 3 sets, rename, 3 lock clears, 2 sets', async () => {
    const img = await image('three')
    await ok(store.extractImage(layout, 'three'))
    await ok(store.start(containerId('web'), img.chainIds[2]!))
    const tree = await ok(
      createZfsDriver({ exec: fake.exec, mountTable: fake.mountTable }).fs(datasetName('p/s/runtime/web')),
    )
    await ok(tree.writeFile('new', new TextEncoder().encode('x')))
    const ran = await verbs(() => ok(store.commit(containerId('web'), { keep: false })))
    expect(ran).toEqual([
      'snapshot',
      ...['list', 'get'],
      'diff',
      'list',
      ...['set', 'set', 'set'],
      'rename',
      ...['inherit', 'inherit', 'inherit'],
      ...['set', 'set'],
    ])
    expect((await ok(store.listLayers())).find((l) => l.parent === img.chainIds[2])?.state).toBe('ready')
  })

  it('ls with sizes costs 4 for any number of rows: the listing (list, get), then one pool sync and one get -r', async () => {
    const img = await image('three')
    await ok(store.extractImage(layout, 'three'))
    await ok(store.start(containerId('web'), img.chainIds[2]!))
    await ok(store.start(containerId('db'), img.chainIds[1]!))
    const from = fake.calls.length
    const layers = await ok(store.listLayers({ sizes: true }))
    const sized = fake.calls.slice(from).map((argv) => argv.slice(0, 2).join(' '))
    expect(sized).toEqual(['zfs list', 'zfs get', 'zpool sync', 'zfs get'])
    expect(layers.every((l) => l.size !== undefined && l.referenced !== undefined)).toBe(true)
    expect(await verbs(() => ok(store.listContainers({ sizes: true })))).toEqual(['list', 'get', 'sync', 'get'])
    // without sizes a listing stays 2
    expect(await verbs(() => ok(store.listLayers()))).toEqual(['list', 'get'])
  })
})
