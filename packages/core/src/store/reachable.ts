/**
 * Which published layers nothing reaches, read from one listing of the base. Roots: every
 * image's top, every layer a container, tmp work (an extract onto it, a kept commit) or any
 * other dataset is cloned from, every layer a lease names, and every layer prune must leave
 * alone (not `ready`, or holding snapshots or datasets Stratum did not make: the foreign-data
 * rule, docs/DESIGN.md "Data others make"). A root's ancestors are reachable too.
 * The rest is garbage, given top first (a layer before its parent).
 */
import type { DatasetInfo } from '../driver.js'
import { type DatasetName, isWithin } from '../names.js'
import type { ChainId } from '../oci/digest.js'
import type { StoreContext } from './context.js'
import { imagesIn } from './images.js'
import { leasedBy } from './lease.js'
import { type LayerRef, PROP } from './layout.js'
import { parentRef } from './layers.js'
import { foreignSnapshots } from './lock.js'
import { childrenIn } from './ops.js'
import type { SkippedItem } from './types.js'

export interface Unreachable {
  /** top first */
  readonly garbage: readonly ChainId[]
  /** layers and datasets left alone, and why */
  readonly skipped: readonly SkippedItem[]
}

export const unreachableIn = (ctx: StoreContext, listing: readonly DatasetInfo[]): Unreachable => {
  const { layout } = ctx
  const skipped: SkippedItem[] = []
  const parents = new Map<ChainId, LayerRef>()
  const roots = new Set<string>()
  for (const c of childrenIn(listing, layout.storage)) {
    const chain = layout.layerOf(c.info.name)
    if (chain === 'empty') continue
    if (chain === undefined) {
      skipped.push({ name: c.info.name, reason: 'not a layer Stratum made: left alone' })
      continue
    }
    if (!c.snapshots.some((s) => s.name === layout.layerSnap(chain))) continue // unpublished: recover's work
    parents.set(chain, parentRef(ctx, c.info.properties[PROP.parent], c.info.origin) ?? 'empty')
    const state = c.info.properties[PROP.state]
    const foreign = [
      ...foreignSnapshots(c.info.name as DatasetName, c.snapshots),
      ...listing
        .filter((i) => i.type === 'filesystem' && isWithin(i.name, c.info.name) && i.name !== c.info.name)
        .map((i) => i.name),
    ]
    const outside = c.snapshots.flatMap((s) => s.clones).filter((n) => !isWithin(n, layout.storage))
    if (foreign.length > 0) {
      roots.add(chain)
      skipped.push({
        name: c.info.name,
        reason: `holds snapshots or datasets Stratum did not make: ${foreign.join(', ')}`,
      })
    } else if (state !== undefined && state !== 'ready') {
      roots.add(chain)
      skipped.push({ name: c.info.name, reason: `state '${state}'` })
    } else if (outside.length > 0) roots.add(chain)
  }
  for (const image of imagesIn(ctx, listing).images) roots.add(image.top)
  for (const t of childrenIn(listing, layout.tmp)) for (const l of leasedBy(t.info.properties[PROP.lease])) roots.add(l)
  // reachable: the roots and their ancestors
  const reachable = new Set<string>()
  for (const root of roots) {
    let at: LayerRef | undefined = root as LayerRef
    while (at !== undefined && at !== 'empty' && !reachable.has(at)) {
      reachable.add(at)
      at = parents.get(at)
    }
  }
  const depth = (c: ChainId): number => {
    let n = 0
    for (
      let at: LayerRef | undefined = c;
      at !== undefined && at !== 'empty' && n <= parents.size;
      at = parents.get(at)
    )
      n++
    return n
  }
  const garbage = [...parents.keys()].filter((c) => !reachable.has(c))
  garbage.sort((a, b) => depth(b) - depth(a) || (a < b ? -1 : 1))
  return { garbage, skipped }
}
