/**
 * Prune's mark: `stratum:pruning` = `<owner> <ISO time>` on a layer prune has found unreachable
 * and is about to destroy after a second look. An extract that meets a marked layer does not
 * reuse it (Busy: retry), so nothing starts to depend on a layer between prune's second look
 * and its destroy without prune seeing it (see docs/DESIGN.md "Prune"). A mark whose owner is
 * gone is cleared by recover().
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { catchTag } from '../catch-tag.js'
import { err, type StorageError } from '../errors.js'
import type { ChainId } from '../oci/digest.js'
import type { StoreContext } from './context.js'
import { type LayerRef, nowStamp, PROP } from './layout.js'
import { ageOf } from './owner.js'

export const markValue = (ctx: StoreContext): string => `${ctx.owner.self} ${nowStamp()}`

/** Whether a mark's pruner may still be at work. */
export const markIsLive = (ctx: StoreContext, mark: string): boolean => {
  const i = mark.lastIndexOf(' ')
  const owner = i < 0 ? mark : mark.slice(0, i)
  return ctx.owner.isLive(owner, ageOf(i < 0 ? undefined : mark.slice(i + 1)))
}

export const markLayer = (ctx: StoreContext, chain: ChainId): TE.TaskEither<StorageError, void> =>
  ctx.driver.setProperty(ctx.layout.layer(chain), PROP.pruning, markValue(ctx))

export const unmarkLayer = (ctx: StoreContext, chain: ChainId): TE.TaskEither<StorageError, void> =>
  ctx.driver.inheritProperty(ctx.layout.layer(chain), PROP.pruning)

/**
 * Whether layer `chain` is published and may be reused (one property read): false when it is
 * not there, Busy when prune has marked it.
 */
export const reusable = (ctx: StoreContext, chain: LayerRef): TE.TaskEither<StorageError, boolean> =>
  pipe(
    ctx.driver.getProperty(ctx.layout.layerSnap(chain), PROP.pruning),
    TE.flatMap((v) =>
      v === undefined
        ? TE.right(true)
        : TE.left(err('Busy', { name: ctx.layout.layer(chain), reason: 'the layer is being pruned; retry' })),
    ),
    catchTag('DatasetNotFound', () => TE.right(false)),
  )
