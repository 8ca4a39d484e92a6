/**
 * The store's images, containers and garbage collection against a small reference model: random
 * sequences of extract / start / commit / rm / rmi / prune / recover, and after each step the
 * store's layers (chainID -> parent), image references and containers equal the model's.
 */
import type { ChainId, LayerRef, LayerStore, StorageError } from '@stratum/core'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { FeatureGroup } from '../context.js'
import { checkProperty } from '../property/config.js'
import { same } from '../property/world.js'
import { withStore } from '../fixtures/layers.js'
import { buildTar, chunked, writeImage } from '../fixtures/store.js'
import { layerRuns } from './apply-tar.js'

type Cmd =
  | { readonly k: 'extract'; readonly img: number; readonly name: number }
  | { readonly k: 'start'; readonly c: number; readonly name: number }
  | { readonly k: 'commit'; readonly c: number; readonly keep: boolean }
  | { readonly k: 'rm'; readonly c: number }
  | { readonly k: 'rmi'; readonly name: number }
  | { readonly k: 'prune'; readonly dryRun: boolean }
  | { readonly k: 'recover' }

const NAMES = ['web:1', 'db:2']
const IDS = ['c1', 'c2']
const i2 = fc.integer({ min: 0, max: 1 })
const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ k: fc.constant('extract' as const), img: fc.integer({ min: 0, max: 2 }), name: i2 }),
  },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('start' as const), c: i2, name: i2 }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('commit' as const), c: i2, keep: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('rm' as const), c: i2 }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('rmi' as const), name: i2 }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('prune' as const), dryRun: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ k: 'recover' as const }) },
)

/** The reference model: what the store holds, as plain maps. */
interface Model {
  readonly layers: Map<string, LayerRef>
  readonly images: Map<string, LayerRef>
  readonly containers: Map<string, LayerRef>
}

/** Layers reached from no image, no container and no layer above one that is. */
const garbage = (m: Model): string[] => {
  const keep = new Set<string>()
  const walk = (c: LayerRef | undefined): void => {
    for (; c !== undefined && c !== 'empty' && !keep.has(c); c = m.layers.get(c)) keep.add(c)
  }
  for (const top of [...m.images.values(), ...m.containers.values()]) walk(top)
  return [...m.layers.keys()].filter((c) => !keep.has(c)).sort()
}

/** A listing, which must succeed. */
const ok = async <A>(te: TaskEither<StorageError, A>): Promise<A> => (await same('listing', 'ok', te)) as A

const view = async (s: LayerStore) => {
  const layers = Object.fromEntries((await ok(s.listLayers())).map((l) => [l.chainId, l.parent]))
  const images = Object.fromEntries((await ok(s.listImages())).map((i) => [i.name, i.top]))
  const containers = Object.fromEntries((await ok(s.listContainers())).map((c) => [c.id, c.parent]))
  return { layers, images, containers }
}

export const storeModelGroup: FeatureGroup = (ctx) => {
  describe('LayerStore: images, containers and prune against a reference model', () => {
    // after every step of a random extract/start/commit/rm/rmi/prune/recover sequence, the store equals the model
    it('random sequences of store operations keep the store equal to the model', () =>
      checkProperty(
        fc.asyncProperty(
          fc.array(cmdArb, { minLength: 1, maxLength: Math.min(12, ctx.budget.property.maxCommands) }),
          (cmds) =>
            withStore(ctx, async (s, _f, dir) => {
              const shared = await buildTar([{ path: 'etc/base', type: 'file', content: 'b' }])
              const own = (n: string) => buildTar([{ path: n, type: 'file', content: n }])
              const imgs = [
                await writeImage(`${dir}/i0`, 'latest', [shared, await own('x')]),
                await writeImage(`${dir}/i1`, 'latest', [shared, await own('y')]),
                await writeImage(`${dir}/i2`, 'latest', [await own('z')]),
              ]
              const dirs = ['i0', 'i1', 'i2']
              const m: Model = { layers: new Map(), images: new Map(), containers: new Map() }
              for (const [n, cmd] of cmds.entries()) {
                const what = `step ${n}: ${JSON.stringify(cmd)}`
                if (cmd.k === 'extract') {
                  const chain = imgs[cmd.img]!.chainIds
                  await same(
                    what,
                    'ok',
                    s.extractImage(`${dir}/${dirs[cmd.img]}`, 'latest', {}, { name: NAMES[cmd.name] }),
                  )
                  chain.forEach((c, i) => m.layers.set(c, i === 0 ? 'empty' : chain[i - 1]!))
                  m.images.set(NAMES[cmd.name]!, chain[chain.length - 1]!)
                } else if (cmd.k === 'start') {
                  const id = IDS[cmd.c]!
                  const top = m.images.get(NAMES[cmd.name]!)
                  const tag = top === undefined ? 'ReferenceNotFound' : m.containers.has(id) ? 'DatasetExists' : 'ok'
                  await same(what, tag, s.start(id, NAMES[cmd.name]!))
                  if (tag === 'ok') m.containers.set(id, top!)
                } else if (cmd.k === 'commit') {
                  const id = IDS[cmd.c]!
                  const base = m.containers.get(id)
                  if (base === undefined) {
                    await same(what, 'DatasetNotFound', s.commit(id, { keep: cmd.keep }))
                    continue
                  }
                  await same(what, 'ok', s.apply(id, chunked(await own(`step${n}`))))
                  const r = await same(what, 'ok', s.commit(id, { keep: cmd.keep }))
                  const made: ChainId = r!.chainId
                  m.layers.set(made, base)
                  if (cmd.keep) m.containers.set(id, made)
                  else m.containers.delete(id)
                } else if (cmd.k === 'rm') {
                  const id = IDS[cmd.c]!
                  await same(what, m.containers.has(id) ? 'ok' : 'DatasetNotFound', s.removeContainer(id))
                  m.containers.delete(id)
                } else if (cmd.k === 'rmi') {
                  const name = NAMES[cmd.name]!
                  await same(what, m.images.has(name) ? 'ok' : 'ReferenceNotFound', s.removeImage(name))
                  m.images.delete(name)
                } else if (cmd.k === 'prune') {
                  const expected = garbage(m)
                  const r = await same(what, 'ok', s.prune({ dryRun: cmd.dryRun }))
                  expect([...r!.removed].sort(), what).toEqual(expected)
                  expect(r!.skipped, what).toEqual([])
                  if (!cmd.dryRun) for (const c of expected) m.layers.delete(c)
                } else {
                  const r = await same(what, 'ok', s.recover())
                  expect(r, what).toMatchObject({ destroyed: [], rolledBack: [], completed: [], released: [] })
                }
                expect(await view(s), `${what}: the store equals the model`).toEqual({
                  layers: Object.fromEntries(m.layers),
                  images: Object.fromEntries(m.images),
                  containers: Object.fromEntries(m.containers),
                })
              }
            }),
        ),
        layerRuns(ctx.budget.property, undefined, 16),
      ))
  })
}
