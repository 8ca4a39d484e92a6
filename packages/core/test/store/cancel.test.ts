// An AbortSignal ends extract and package with Cancelled and loses nothing: tmp/ is empty at once, and the store holds the old or the new state.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { createSimDriver } from '@stratum/sim-driver'
import * as fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Driver } from '../../src/driver.js'
import { MEDIA_LAYER_TAR } from '../../src/oci/media.js'
import { layerBlob, type WrittenImage, writeImageLayout } from '../../src/oci/write.js'
import type { LayerProgress } from '../../src/store/control.js'
import { openLayerStore } from '../../src/store/open.js'
import type { LayerStore } from '../../src/store/types.js'
import { BASE, fail, ok } from './helpers.js'
import { makeTar, once } from './tar.js'

let dir: string
let app: WrittenImage

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stratum-cancel-'))
  const tars = [
    await makeTar([{ path: 'etc/os', content: 'base'.repeat(4000) }]),
    await makeTar([{ path: 'app/a', content: 'a'.repeat(9000) }, { path: 'app/b' }]),
    await makeTar([{ path: 'app/c', content: 'c'.repeat(20000) }]),
  ]
  await ok(writeImageLayout(dir, 'base', [layerBlob(tars[0]!)]))
  // uncompressed blobs: the byte counts are the tar's, many 512-byte chunks of work
  app = await ok(writeImageLayout(dir, 'app', [layerBlob(tars[0]!), ...tars.slice(1).map((t) => layerBlob(t, 'none'))]))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

/** `d` with `hook` called before each of its calls. */
const calling = (d: Driver, hook: () => void): Driver =>
  new Proxy(d, {
    get(target, p, r) {
      const v = Reflect.get(target, p, r) as unknown
      return typeof v === 'function'
        ? (...a: unknown[]) => {
            hook()
            return (v as (...a: unknown[]) => unknown).apply(target, a)
          }
        : v
    },
  })

const tmpChildren = async (d: Driver): Promise<string[]> =>
  (await ok(d.list(`${BASE}/tmp` as never))).map((i) => i.name).filter((n) => n !== `${BASE}/tmp`)

/** The store's images and ready layers, as a comparable value. */
const stateOf = async (s: LayerStore) => ({
  images: (await ok(s.listImages())).map((i) => [i.name, i.top]),
  layers: (await ok(s.listLayers())).map((l) => [l.chainId, l.state]).sort(),
})

describe('cancellation', () => {
  it('aborting after k driver calls or k blob bytes ends extractImage with Cancelled or its result, never in between', async () => {
    // property: for any abort point, the task is Cancelled with nothing in tmp/ and the images of before, or it completed
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ calls: fc.integer({ min: 0, max: 24 }) }),
          fc.record({ bytes: fc.integer({ min: 0, max: 24_000 }) }),
        ),
        fc.boolean(),
        async (at, withBase) => {
          const raw = createSimDriver()
          const before = await ok(openLayerStore(raw, BASE))
          if (withBase) await ok(before.extractImage(dir, 'base'))
          const old = await stateOf(before)
          const ac = new AbortController()
          let calls = 0
          const d = calling(raw, () => {
            if ('calls' in at && calls++ === at.calls) ac.abort()
          })
          const s = await ok(openLayerStore(d, BASE))
          const onProgress = (p: LayerProgress) => {
            if ('bytes' in at && p.bytesRead >= at.bytes) ac.abort()
          }
          const r = await s.extractImage(dir, 'app', { signal: ac.signal, onProgress })()
          expect(await tmpChildren(raw)).toEqual([])
          const after = await openLayerStore(raw, BASE)()
          if (E.isLeft(after)) throw new Error(JSON.stringify(after.left))
          expect(await ok(after.right.recover())).toMatchObject({ destroyed: [], rolledBack: [], completed: [] })
          if (E.isLeft(r)) {
            expect(r.left).toEqual({ _tag: 'Cancelled', what: expect.stringMatching(/^extract of /) })
            expect((await stateOf(after.right)).images).toEqual(old.images)
          } else {
            expect(r.right.top).toBe(app.chainIds.at(-1))
            expect((await stateOf(after.right)).images).toContainEqual([r.right.name, app.chainIds.at(-1)])
            expect(r.right.name).toMatch(/:app$/)
          }
          // whatever was left, the next extract completes to the same chainIDs
          const again = await ok(after.right.extractImage(dir, 'app'))
          expect(again.layers.map((l) => l.chainId)).toEqual(app.chainIds)
        },
      ),
      { numRuns: 40 },
    )
  })

  it('an abort before extractLayer starts publishes nothing and says what was cancelled', async () => {
    const s = await ok(openLayerStore(createSimDriver(), BASE))
    const tar = await makeTar([{ path: 'f', content: 'x' }])
    const e = await fail(
      s.extractLayer('empty', once(tar), { mediaType: MEDIA_LAYER_TAR }, { signal: AbortSignal.abort() }),
    )
    expect(e).toEqual({ _tag: 'Cancelled', what: 'extract of layer over empty' })
    expect(await ok(s.listLayers())).toEqual([])
  })

  it('an abort while the caller reads a packaged tar fails the stream with Cancelled; the store is unchanged', async () => {
    const s = await ok(openLayerStore(createSimDriver(), BASE))
    const top = (await ok(s.extractImage(dir, 'app'))).top
    const old = await stateOf(s)
    const ac = new AbortController()
    const p = await ok(s.packageLayer(top, { signal: ac.signal, onProgress: () => ac.abort() }))
    const read = async () => {
      for await (const _ of p.tar);
    }
    await expect(read()).rejects.toEqual({ _tag: 'Cancelled', what: `package of ${top}` })
    expect(await fail(s.packageLayer(top, { signal: ac.signal }))).toMatchObject({ _tag: 'Cancelled' })
    expect(await stateOf(s)).toEqual(old)
  })

  it('a task control that is not one is refused by name', async () => {
    const s = await ok(openLayerStore(createSimDriver(), BASE))
    expect(await fail(s.extractImage(dir, 'app', { signal: 'stop' } as never))).toMatchObject({
      _tag: 'InvalidName',
      name: 'task control (onProgress, signal)',
    })
  })
})
