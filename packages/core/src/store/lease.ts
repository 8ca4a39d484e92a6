/**
 * A lease: `tmp/<uuid>`, a dataset without files whose `stratum:lease` lists the chainIDs an
 * extract is using, made before the extract looks at any layer and destroyed after the image's
 * reference is recorded. prune treats every leased layer as reachable. The lease records its
 * owner like any tmp work, so a dead extract's lease is collected by recover().
 */
import type * as T from 'fp-ts/lib/Task.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { StorageError } from '../errors.js'
import type { DatasetName, PropertyName } from '../names.js'
import type { ChainId } from '../oci/digest.js'
import type { StoreContext } from './context.js'
import { nowStamp, PROP } from './layout.js'
import { destroyQuietly } from './ops.js'
import { must, undoing } from './steps.js'

export const takeLease = (ctx: StoreContext, chains: readonly ChainId[]): TE.TaskEither<StorageError, DatasetName> => {
  const lease = ctx.layout.freshTmp()
  const properties = {
    [PROP.state]: 'lease',
    [PROP.lease]: JSON.stringify(chains),
    [PROP.owner]: ctx.owner.self,
    [PROP.created]: nowStamp(),
  } as Record<PropertyName, string>
  return TE.map(() => lease)(ctx.driver.create(lease, { properties, noFiles: true }))
}

export const dropLease = (ctx: StoreContext, lease: DatasetName): T.Task<boolean> =>
  destroyQuietly(ctx.driver, lease, false)

/** A step: runs `body` under a lease over `chains`, dropped after it, whether it succeeds or fails. */
export const withLease = async <A>(
  ctx: StoreContext,
  chains: readonly ChainId[],
  body: () => Promise<A>,
): Promise<A> => {
  const lease = await must(takeLease(ctx, chains))
  const done = await undoing(dropLease(ctx, lease), body)
  await dropLease(ctx, lease)()
  return done
}

/** The chainIDs a lease's `stratum:lease` lists (none when unreadable). */
export const leasedBy = (value: string | undefined): string[] => {
  if (value === undefined) return []
  try {
    const u: unknown = JSON.parse(value)
    return Array.isArray(u) ? u.filter((x): x is string => typeof x === 'string') : []
  } catch {
    return []
  }
}
