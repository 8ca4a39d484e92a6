/**
 * Recovery after a crash: every step of extract and commit before its publishing rename is
 * rolled back, every step after it completed.
 * 1. tmp/*: an extract or a kept commit in progress. If a container is a clone of one of its
 *    snapshots (a kept commit after its promote), promote the container back first; then
 *    destroy the tmp dataset.
 * 2. runtime/*: snapshots of a container exist only while it is committed; destroy them and
 *    mark it ready again (the commit is rolled back; its parent is read from its origin).
 * 3. storage/*: a layer renamed into place but still `committing` is complete: mark it ready.
 *    A storage dataset without @extracted was never published: destroy it.
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Driver } from '../driver.js'
import type { StorageError } from '../errors.js'
import { type DatasetName, isWithin, type SnapshotName } from '../names.js'
import type { StoreContext } from './context.js'
import { EXTRACTED, PROP } from './layout.js'
import { type Child, listChildren } from './ops.js'
import type { RecoveryReport } from './types.js'

const seq = <A>(xs: readonly A[], f: (a: A) => TE.TaskEither<StorageError, unknown>): TE.TaskEither<StorageError, void> =>
  xs.reduce<TE.TaskEither<StorageError, void>>((acc, x) => pipe(acc, TE.flatMap(() => f(x)), TE.map(() => undefined)), TE.right(undefined))

const clearTmp = (ctx: StoreContext, d: Driver, c: Child): TE.TaskEither<StorageError, string> => {
  const containers = c.snapshots.flatMap((s) => s.clones).filter((n) => isWithin(n, ctx.layout.runtime))
  return pipe(
    seq(containers, (n) => d.promote(n)),
    TE.flatMap(() => d.destroy(c.info.name, { recursive: true })),
    TE.map(() => c.info.name),
  )
}

export const recover = (ctx: StoreContext): TE.TaskEither<StorageError, RecoveryReport> => {
  const { driver: d, layout } = ctx
  const destroyed: string[] = []
  const rolledBack: string[] = []
  const completed: string[] = []
  return pipe(
    listChildren(d, layout.tmp),
    TE.flatMap((tmps) => seq(tmps, (c) => pipe(clearTmp(ctx, d, c), TE.map((n) => destroyed.push(n))))),
    TE.flatMap(() => listChildren(d, layout.runtime)),
    TE.flatMap((containers) => seq(containers, (c) => pipe(
      seq(c.snapshots, (s) => pipe(d.destroy(s.name), TE.map(() => rolledBack.push(s.name)))),
      TE.flatMap(() => c.info.properties[PROP.state] === 'committing'
        ? pipe(d.setProperty(c.info.name, PROP.state, 'ready'), TE.flatMap(() => d.inheritProperty(c.info.name, PROP.diffId)))
        : TE.right(undefined)),
    ))),
    TE.flatMap(() => listChildren(d, layout.storage)),
    TE.flatMap((layers) => seq(layers, (c) => {
      const name = c.info.name as DatasetName
      if (name === layout.layer('empty')) return TE.right(undefined)
      if (!c.snapshots.some((s) => s.name === (`${name}@${EXTRACTED}` as SnapshotName))) {
        return pipe(d.destroy(name, { recursive: true }), TE.map(() => destroyed.push(name)))
      }
      return c.info.properties[PROP.state] === 'committing'
        ? pipe(d.setProperty(name, PROP.state, 'ready'), TE.map(() => completed.push(name)))
        : TE.right(undefined)
    })),
    TE.map((): RecoveryReport => ({ destroyed, rolledBack, completed })),
  )
}
