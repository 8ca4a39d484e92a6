/**
 * Recovery after a crash: every step of extract, commit and removal before its publishing
 * rename (or destroy) is rolled back or finished, every step after it completed. Only the work
 * of owners that are gone is touched (owner.ts): another live process's extract, commit or
 * removal is left alone, so opening a store never destroys work in progress.
 * 1. tmp/*: an extract or a kept commit. If a container is a clone of one of its snapshots (a
 *    kept commit after its promote), promote the container back first; then destroy it.
 * 2. runtime/*: a container lock (`@extracted`) held by a dead `removing` owner: finish the
 *    removal. Held by a dead committer: roll the commit back (the container is `ready` again,
 *    the lock destroyed). Any other snapshot is someone else's: left alone and reported.
 *    Without a lock: the mount holds of gone processes are released (mounts.ts).
 * 3. storage/*: a layer renamed into place but still `committing` is complete: mark it ready.
 *    A dead pruner's mark (prune-mark.ts) is cleared.
 *    A storage dataset without @extracted was never published: destroy it.
 * A step that meets a concurrent change (the thing is gone, or newly in use) skips that item;
 * it is reported in `skipped` and collected by a later recover().
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { DatasetInfo } from '../driver.js'
import type { StorageError, StorageErrorTag } from '../errors.js'
import { type DatasetName, isWithin } from '../names.js'
import { finishLayer } from './commit.js'
import type { StoreContext } from './context.js'
import { PROP } from './layout.js'
import { foreignSnapshots, lockOf } from './lock.js'
import { deadHolds, HOLDERS, type Hold, releaseDeadHolds } from './mounts.js'
import { type Child, childrenIn } from './ops.js'
import { ageOf } from './owner.js'
import { markIsLive } from './prune-mark.js'
import type { RecoveryReport, SkippedItem } from './types.js'

const seq = <A>(
  xs: readonly A[],
  f: (a: A) => TE.TaskEither<StorageError, unknown>,
): TE.TaskEither<StorageError, void> =>
  xs.reduce<TE.TaskEither<StorageError, void>>(
    (acc, x) =>
      pipe(
        acc,
        TE.flatMap(() => f(x)),
        TE.map(() => undefined),
      ),
    TE.right(undefined),
  )

/** The reason a snapshot made by someone else is left alone (docs/DESIGN.md "Data others make"). */
export const FOREIGN = 'a snapshot Stratum did not make: left alone'

/** Errors that mean another process changed the item meanwhile. */
const RACES: readonly StorageErrorTag[] = [
  'DatasetNotFound',
  'DatasetExists',
  'HasDependentClones',
  'HasChildren',
  'SnapshotNameConflict',
  'NotAClone',
  'Busy',
]

interface Report {
  destroyed: string[]
  rolledBack: string[]
  completed: string[]
  skipped: SkippedItem[]
  released: string[]
}

/** Runs `step` for `item`; a race skips the item instead of failing recovery. */
const attempt = (
  r: Report,
  item: string,
  step: TE.TaskEither<StorageError, unknown>,
): TE.TaskEither<StorageError, void> =>
  pipe(
    step,
    TE.map(() => undefined),
    TE.orElse((e) =>
      RACES.includes(e._tag)
        ? TE.right(void r.skipped.push({ name: item, reason: `changed meanwhile (${e._tag})` }))
        : TE.left(e),
    ),
  )

/** The reason `props`' work is left alone, or undefined when its owner is gone. */
const liveReason = (ctx: StoreContext, props: Readonly<Record<string, string>>): string | undefined => {
  const owner = props[PROP.owner]
  const age = ageOf(props[PROP.created])
  if (!ctx.owner.isLive(owner, age)) return undefined
  return ctx.owner.explain?.(owner, age) ?? `owner ${owner ?? '(none)'} is live`
}

const clearTmp = (ctx: StoreContext, r: Report, c: Child): TE.TaskEither<StorageError, void> => {
  const why = liveReason(ctx, c.info.properties)
  if (why !== undefined) return TE.right(void r.skipped.push({ name: c.info.name, reason: why }))
  const containers = c.snapshots.flatMap((s) => s.clones).filter((n) => isWithin(n, ctx.layout.runtime))
  return attempt(
    r,
    c.info.name,
    pipe(
      seq(containers, (n) => ctx.driver.promote(n)),
      TE.flatMap(() => ctx.driver.destroy(c.info.name, { recursive: true })),
      TE.map(() => r.destroyed.push(c.info.name)),
    ),
  )
}

const recoverContainer = (ctx: StoreContext, r: Report, c: Child): TE.TaskEither<StorageError, void> => {
  const d = ctx.driver
  const name = c.info.name as DatasetName
  const lock = c.snapshots.find((s) => s.name === lockOf(name))
  const why = lock === undefined ? undefined : liveReason(ctx, lock.properties)
  if (lock !== undefined && why !== undefined) return TE.right(void r.skipped.push({ name: lock.name, reason: why }))
  // snapshots Stratum did not make (zfs-auto-snapshot, sanoid, an admin): never destroyed, reported
  const foreign = foreignSnapshots(name, c.snapshots)
  for (const s of foreign) r.skipped.push({ name: s, reason: FOREIGN })
  const idle = lock === undefined && c.info.properties[PROP.state] !== 'committing'
  if (idle) {
    // nothing to roll back: only the mount holds of gone processes to release
    if (deadHolds(ctx, c.info.properties[HOLDERS]).length === 0) return TE.right(undefined)
    return attempt(
      r,
      name,
      TE.map((hs: readonly Hold[]) => void r.released.push(...hs.map((h) => `${name} ${h.holder}`)))(
        releaseDeadHolds(ctx, name),
      ),
    )
  }
  if (lock?.properties[PROP.state] === 'removing') {
    if (foreign.length > 0)
      return TE.right(
        void r.skipped.push({ name, reason: 'removal left unfinished: it holds snapshots Stratum did not make' }),
      )
    return attempt(
      r,
      name,
      pipe(
        d.destroy(name, { recursive: true }),
        TE.map(() => r.destroyed.push(name)),
      ),
    )
  }
  const reset =
    c.info.properties[PROP.state] === 'committing'
      ? pipe(
          d.setProperty(name, PROP.state, 'ready'),
          TE.flatMap(() => d.inheritProperty(name, PROP.diffId)),
        )
      : TE.right(undefined)
  return attempt(
    r,
    name,
    pipe(
      reset,
      TE.flatMap(() =>
        lock === undefined
          ? TE.right(undefined)
          : pipe(
              d.destroy(lock.name),
              TE.map(() => void r.rolledBack.push(lock.name)),
            ),
      ),
    ),
  )
}

const recoverLayer = (ctx: StoreContext, r: Report, c: Child): TE.TaskEither<StorageError, void> => {
  const name = c.info.name as DatasetName
  if (name === ctx.layout.layer('empty')) return TE.right(undefined)
  const extracted = c.snapshots.find((s) => s.name === lockOf(name))
  if (extracted === undefined) {
    const foreign = foreignSnapshots(name, c.snapshots)
    if (foreign.length > 0) {
      for (const snap of foreign) r.skipped.push({ name: snap, reason: FOREIGN })
      return TE.right(undefined)
    }
    return attempt(
      r,
      name,
      pipe(
        ctx.driver.destroy(name, { recursive: true }),
        TE.map(() => r.destroyed.push(name)),
      ),
    )
  }
  // a dead pruner's mark: the prune is abandoned, the layer usable again
  const mark = c.info.properties[PROP.pruning]
  if (mark !== undefined && !markIsLive(ctx, mark)) {
    return attempt(
      r,
      name,
      pipe(
        ctx.driver.inheritProperty(name, PROP.pruning),
        TE.map(() => r.rolledBack.push(name)),
      ),
    )
  }
  // the layer's state, or its @extracted's own (a lock record it kept from its container)
  if (c.info.properties[PROP.state] !== 'committing' && extracted.properties[PROP.state] !== 'committing')
    return TE.right(undefined)
  return attempt(
    r,
    name,
    pipe(
      ctx.driver.inheritProperty(name, PROP.owner),
      TE.flatMap(() => finishLayer(ctx, name)),
      TE.map(() => r.completed.push(name)),
    ),
  )
}

const size = (r: Report): number =>
  r.destroyed.length + r.rolledBack.length + r.completed.length + r.skipped.length + r.released.length

/**
 * Recovers tmp, then runtime, then storage. One listing of the base serves every area until a
 * step acts on something (or skips it); the next area is listed afresh after that. `listing`:
 * a listing of the base the caller has just made (opening the store makes one).
 */
export const recover = (
  ctx: StoreContext,
  listing?: readonly DatasetInfo[],
): TE.TaskEither<StorageError, RecoveryReport> => {
  const { driver: d, layout } = ctx
  const r: Report = { destroyed: [], rolledBack: [], completed: [], skipped: [], released: [] }
  let last = listing
  let acted = size(r)
  /** The children of `area`: from the last listing while nothing has been done since it. */
  const children = (area: DatasetName): TE.TaskEither<StorageError, Child[]> => {
    const fresh = last !== undefined && size(r) === acted
    acted = size(r)
    return pipe(
      fresh ? TE.right(last!) : d.list(layout.base),
      TE.map((all) => {
        last = all
        return childrenIn(all, area)
      }),
    )
  }
  return pipe(
    children(layout.tmp),
    TE.flatMap((tmps) => seq(tmps, (c) => clearTmp(ctx, r, c))),
    TE.flatMap(() => children(layout.runtime)),
    TE.flatMap((containers) => seq(containers, (c) => recoverContainer(ctx, r, c))),
    TE.flatMap(() => children(layout.storage)),
    TE.flatMap((layers) => seq(layers, (c) => recoverLayer(ctx, r, c))),
    TE.map((): RecoveryReport => r),
  )
}
