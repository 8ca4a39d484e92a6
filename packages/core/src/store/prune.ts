/**
 * Prune: destroy every published layer no image reference, container, lease or layer above
 * reaches (reachable.ts). Two looks, so that a concurrent extract, start or commit never loses
 * a layer it uses: list and find the garbage; mark each candidate (prune-mark.ts: an extract
 * no longer reuses it); list again and destroy only candidates still unreachable, top first,
 * unmarking the rest. A dependent made after the second look is a clone, which the destroy
 * refuses (HasDependentClones): that layer is skipped. Nothing aborts the walk: a vanished or
 * odd dataset, or any failure on one layer, is reported in `skipped` and prune goes on. A kill
 * at any step leaves marks that recover() clears, or a layer without @extracted it destroys.
 * Cost in driver calls: one listing; with garbage, one mark, one unmark or destroy per
 * candidate and a second listing.
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { describeError, type StorageError } from '../errors.js'
import type { ChainId } from '../oci/digest.js'
import type { StoreContext } from './context.js'
import { markLayer, unmarkLayer } from './prune-mark.js'
import { unreachableIn } from './reachable.js'
import { attempt, must, steps } from './steps.js'
import type { PruneReport, SkippedItem } from './reports.js'

const why = (e: StorageError): string =>
  e._tag === 'DatasetNotFound'
    ? 'vanished meanwhile'
    : e._tag === 'HasDependentClones'
      ? 'in use meanwhile'
      : describeError(e)

export const prune = (
  ctx: StoreContext,
  opts: { readonly dryRun?: boolean } = {},
): TE.TaskEither<StorageError, PruneReport> =>
  steps(async () => {
    const { driver: d, layout } = ctx
    const dryRun = opts.dryRun === true
    const first = unreachableIn(ctx, await must(d.list(layout.base)))
    if (dryRun || first.garbage.length === 0) return { removed: first.garbage, skipped: first.skipped, dryRun }
    const skipped: SkippedItem[] = [...first.skipped]
    const marked: ChainId[] = []
    for (const c of first.garbage) {
      const r = await attempt(markLayer(ctx, c))
      if (E.isRight(r)) marked.push(c)
      else skipped.push({ name: layout.layer(c), reason: why(r.left) })
    }
    const still = new Set<string>(unreachableIn(ctx, await must(d.list(layout.base))).garbage)
    const removed: ChainId[] = []
    for (const c of marked) {
      const name = layout.layer(c)
      const r = still.has(c) ? await attempt(d.destroy(name, { recursive: true })) : undefined
      if (r !== undefined && E.isRight(r)) {
        removed.push(c)
        continue
      }
      skipped.push({ name, reason: r === undefined ? 'in use again' : why(r.left) })
      await attempt(unmarkLayer(ctx, c))
    }
    return { removed, skipped, dryRun }
  })
