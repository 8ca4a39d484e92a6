/** What a store must show after a process was killed and the store reopened (it recovers). */
import { datasetName, type Driver, type LayerStore, PROP } from '@stratum/core'
import { expect } from 'vitest'
import { ok } from './ok.js'
import type { References } from './references.js'
import { treeOf } from './tree.js'

/** After recovery: nothing in tmp/, no container snapshot, every layer published and ready. */
export const expectRecovered = async (d: Driver, s: LayerStore): Promise<void> => {
  const all = await ok(d.list(s.layout.base), `list ${s.layout.base}`)
  expect(all.filter((i) => i.name.startsWith(`${s.layout.tmp}/`)).map((i) => i.name)).toEqual([])
  expect(
    all.filter((i) => i.name.startsWith(`${s.layout.runtime}/`) && i.type === 'snapshot').map((i) => i.name),
  ).toEqual([])
  for (const i of all.filter((x) => x.name.startsWith(`${s.layout.storage}/`) && x.type === 'filesystem')) {
    expect(
      all.some((x) => x.name === `${i.name}@extracted`),
      `${i.name} has @extracted`,
    ).toBe(true)
    if (!i.name.endsWith('/empty')) expect(i.properties[PROP.state], `${i.name} state`).toBe('ready')
  }
  expect(
    all.filter(
      (x) => x.name.startsWith(`${s.layout.storage}/`) && x.type === 'snapshot' && !x.name.endsWith('@extracted'),
    ),
  ).toEqual([])
  // no progress record left on a published layer's snapshot
  expect(
    all
      .filter(
        (x) =>
          x.name.startsWith(`${s.layout.storage}/`) &&
          x.type === 'snapshot' &&
          ![undefined, 'ready'].includes(x.properties[PROP.state]),
      )
      .map((x) => x.name),
  ).toEqual([])
}

/** Every layer is an image layer with its reference tree, or a commit of a churned container. */
export const expectLayersIntact = async (d: Driver, s: LayerStore, refs: References): Promise<void> => {
  for (const l of await ok(s.listLayers(), 'listLayers')) {
    const tree = await treeOf(d, s.layout.layerSnap(l.chainId))
    const known = refs.byChain.get(l.chainId)
    if (known !== undefined) expect(tree, `layer ${l.chainId}`).toEqual(known)
    else expect(refs.committed, `committed layer ${l.chainId}`).toContain(JSON.stringify(tree))
  }
}

/** Every container listed has its dataset. */
export const expectContainersPresent = async (d: Driver, s: LayerStore): Promise<void> => {
  for (const c of await ok(s.listContainers(), 'listContainers')) {
    expect(await ok(d.exists(datasetName(`${s.layout.runtime}/${c.id}`)), `exists ${c.id}`), `container ${c.id}`).toBe(
      true,
    )
  }
}

/** The layer datasets under storage/, by their names there (chainID hex, or 'empty'). */
export const storageChildren = async (d: Driver, s: LayerStore): Promise<string[]> =>
  (await ok(d.list(s.layout.storage), `list ${s.layout.storage}`))
    .filter((i) => i.type === 'filesystem' && i.name !== s.layout.storage)
    .map((i) => i.name.slice(s.layout.storage.length + 1))
    .sort()
