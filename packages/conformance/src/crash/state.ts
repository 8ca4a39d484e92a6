/**
 * What a crash must never break, as data: the store's layers (chainID -> the diffID of its
 * packaged changes, so a changed tree shows), containers (id -> parent layer and tree) and image
 * references, plus the "clean" invariants recovery must restore: nothing in tmp/, every
 * storage/<chain> published (has @extracted, state ready, no prune mark, no other snapshot), no
 * container snapshot left.
 */
import { createHash } from 'node:crypto'
import { datasetName, type LayerStore, PROP } from '@stratum/core'
import { expect } from 'vitest'
import type { SuiteContext } from '../context.js'
import type { Fixture } from '../fixture.js'
import { treeLines } from '../fixtures/store.js'
import type { RobustnessTally } from '../robustness.js'

export interface ContainerState {
  readonly parent: string
  readonly tree: readonly string[]
}

export interface StoreState {
  /** content key (tree hash < parent's tree hash) -> tree hash: comparable across fixtures */
  readonly layers: ReadonlyMap<string, string>
  /** chainID -> diffID of the layer packaged (exact, but only within one fixture: it carries directory mtimes) */
  readonly packaged: ReadonlyMap<string, string>
  readonly containers: ReadonlyMap<string, ContainerState>
  /** image name -> content key of its top layer */
  readonly images: ReadonlyMap<string, string>
}

const hashLines = (lines: readonly string[]): string =>
  createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16)

/**
 * Layers are keyed by content (their tree and their parent's tree), not by chainID: a
 * commit's chainID hashes directory mtimes that differ between two fixtures prepared at
 * different times, their trees do not. `packaged: false` leaves `packaged` empty (packaging
 * every layer is the capture's dearest part; only expectPackagedUnchanged reads it).
 */
export const captureState = async (
  ctx: SuiteContext,
  f: Fixture,
  s: LayerStore,
  o: { readonly packaged: boolean } = { packaged: true },
): Promise<StoreState> => {
  const infos = await ctx.ok(s.listLayers(), 'listLayers')
  const treeOf = new Map<string, string>([['empty', hashLines([])]])
  for (const l of infos) treeOf.set(l.chainId, hashLines(await treeLines(f.driver, s.layout.layerSnap(l.chainId))))
  const keyOf = (chain: string): string =>
    `${treeOf.get(chain) ?? chain}<${treeOf.get(infos.find((l) => l.chainId === chain)?.parent ?? 'empty')}`
  const layers = new Map<string, string>()
  const packaged = new Map<string, string>()
  for (const l of infos) {
    layers.set(keyOf(l.chainId), treeOf.get(l.chainId)!)
    if (o.packaged)
      packaged.set(l.chainId, (await ctx.ok(s.packageLayer(l.chainId), `packageLayer ${l.chainId}`)).diffId)
  }
  const containers = new Map<string, ContainerState>()
  for (const c of await ctx.ok(s.listContainers(), 'listContainers')) {
    containers.set(c.id, {
      parent: c.parent === 'empty' ? 'empty' : keyOf(c.parent),
      tree: await treeLines(f.driver, datasetName(`${s.layout.runtime}/${c.id}`)),
    })
  }
  const images = new Map<string, string>()
  for (const i of await ctx.ok(s.listImages(), 'listImages'))
    images.set(i.name, i.top === 'empty' ? 'empty' : keyOf(i.top))
  return { layers, packaged, containers, images }
}

/** No work in progress and no half-published layer. */
export const expectClean = async (ctx: SuiteContext, f: Fixture, s: LayerStore, what: string): Promise<void> => {
  const all = await ctx.ok(f.driver.list(f.base), 'list')
  const { tmp, storage, runtime } = s.layout
  expect(
    all.filter((i) => i.name.startsWith(`${tmp}/`)).map((i) => i.name),
    `${what}: tmp/ leftovers`,
  ).toEqual([])
  expect(
    all.filter((i) => i.name.startsWith(`${runtime}/`) && i.type === 'snapshot').map((i) => i.name),
    `${what}: container snapshots`,
  ).toEqual([])
  for (const i of all.filter((x) => x.name.startsWith(`${storage}/`))) {
    if (i.type === 'snapshot') {
      expect(i.name.endsWith('@extracted'), `${what}: stray layer snapshot ${i.name}`).toBe(true)
      // no progress record left on a published layer's snapshot (a container lock that became @extracted)
      expect([undefined, 'ready'], `${what}: state of ${i.name}`).toContain(i.properties[PROP.state])
      continue
    }
    expect(
      all.some((x) => x.name === `${i.name}@extracted`),
      `${what}: ${i.name} has no @extracted`,
    ).toBe(true)
    if (!i.name.endsWith('/empty')) expect(i.properties[PROP.state], `${what}: state of ${i.name}`).toBe('ready')
    expect(i.properties[PROP.pruning], `${what}: prune's mark left on ${i.name}`).toBeUndefined()
  }
}

const same = (a: ContainerState | undefined, b: ContainerState | undefined): boolean =>
  a !== undefined && b !== undefined && a.parent === b.parent && JSON.stringify(a.tree) === JSON.stringify(b.tree)

export const sameState = (a: StoreState, b: StoreState): boolean =>
  a.layers.size === b.layers.size &&
  [...a.layers].every(([k, v]) => b.layers.get(k) === v) &&
  a.containers.size === b.containers.size &&
  [...a.containers].every(([k, v]) => same(v, b.containers.get(k))) &&
  a.images.size === b.images.size &&
  [...a.images].every(([k, v]) => b.images.get(k) === v)

/**
 * A state between `before` and `after` the operation, layer by layer and container by
 * container: nothing both states have is lost or changed, nothing neither has appears, and a
 * container is as before or as after (`partial`: a container whose tree may be half-applied).
 * Counts what it finds lost in the run's tally.
 */
export const expectBetween = (
  tally: RobustnessTally,
  got: StoreState,
  before: StoreState,
  after: StoreState,
  what: string,
  partial?: string,
): void => {
  const problems: string[] = []
  let lost = 0
  for (const [k, v] of got.layers) {
    if (before.layers.get(k) !== v && after.layers.get(k) !== v)
      problems.push(`layer ${k} is neither as before nor as after`)
  }
  for (const [k, v] of before.layers) {
    if (after.layers.get(k) === v && got.layers.get(k) !== v) {
      lost++
      problems.push(`layer ${k} lost or changed`)
    }
  }
  for (const [id, c] of got.containers) {
    if (!before.containers.has(id) && !after.containers.has(id)) problems.push(`container ${id} appeared`)
    else if (id !== partial && !same(c, before.containers.get(id)) && !same(c, after.containers.get(id))) {
      lost++
      problems.push(`container ${id} is neither as before nor as after`)
    }
  }
  for (const id of before.containers.keys()) {
    if (after.containers.has(id) && !got.containers.has(id)) {
      lost++
      problems.push(`container ${id} lost`)
    }
  }
  for (const [name, top] of got.images)
    if (before.images.get(name) !== top && after.images.get(name) !== top)
      problems.push(`image ${name} is neither as before nor as after`)
  for (const [name, top] of before.images)
    if (after.images.get(name) === top && got.images.get(name) !== top) {
      lost++
      problems.push(`image ${name} lost or moved`)
    }
  tally.lost += lost
  expect(problems, what).toEqual([])
}

/** Every layer of `before` still there packages to the same diffID (same fixture). */
export const expectPackagedUnchanged = (
  tally: RobustnessTally,
  got: StoreState,
  before: StoreState,
  what: string,
): void => {
  const changed = [...before.packaged]
    .filter(([k, v]) => got.packaged.has(k) && got.packaged.get(k) !== v)
    .map(([k]) => k)
  tally.lost += changed.length
  expect(changed, `${what}: layers whose packaged diffID changed`).toEqual([])
}
