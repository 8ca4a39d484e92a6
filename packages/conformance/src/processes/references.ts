/**
 * What every layer of the process checks must hold, from the layer entries alone (no driver):
 * each image layer's tree by its chainID, and the trees a churned container's commit may have
 * (an image's top with the churn applied).
 */
import { type ChainId, chainIds, type DiffId, sha256 } from '@stratum/core'
import { CHURN_SPEC, IMAGES, LAYER_SPECS, LAYERS } from './fixtures.js'
import { specTree } from './tree.js'

export interface References {
  readonly byChain: ReadonlyMap<ChainId, readonly string[]>
  /** JSON of each possible committed tree */
  readonly committed: readonly string[]
}

/** The chainIDs of an image's layers, bottom first. */
export const imageChains = (ref: string): ChainId[] => chainIds(IMAGES[ref]!.map((i) => sha256(LAYERS[i]!) as DiffId))

export const references = (): References => {
  const byChain = new Map<ChainId, readonly string[]>()
  const committed: string[] = []
  for (const [ref, idx] of Object.entries(IMAGES)) {
    const specs = idx.map((i) => LAYER_SPECS[i]!)
    imageChains(ref).forEach((chain, n) => byChain.set(chain, specTree(specs.slice(0, n + 1))))
    committed.push(JSON.stringify(specTree([...specs, CHURN_SPEC])))
  }
  return { byChain, committed }
}
