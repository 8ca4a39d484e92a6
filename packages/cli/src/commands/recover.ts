/**
 * `stratum recover`: rolls back or completes what a crash left (tmp datasets, half-done
 * commits). Opening the store already recovers, so the report is what changed between the
 * state found before opening and the state after: datasets and snapshots destroyed, layers
 * marked ready.
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { catchTag, type DatasetInfo, type Driver, isWithin, PROP, type StorageError, type DatasetName } from '@stratum/core'
import type { Register } from '../command.js'
import { report } from '../report.js'
import { openBackend, openStore } from '../session.js'

/** Everything under `base`, or nothing when it does not exist yet. */
const listOrNone = (d: Driver, base: DatasetName): TE.TaskEither<StorageError, readonly DatasetInfo[]> =>
  pipe(d.list(base), catchTag('DatasetNotFound', () => TE.right([])))

export const registerRecover: Register = (program, run) => {
  program.command('recover')
    .description('roll back or complete operations a crash interrupted')
    .action(() => run((ctx) => pipe(
      openBackend(ctx.opts, ctx.io),
      TE.bindTo('backend'),
      TE.bind('before', ({ backend }) => listOrNone(backend.driver, backend.base)),
      TE.bind('session', ({ backend }) => openStore(backend)),
      TE.bind('again', ({ session }) => session.store.recover()),
      TE.bind('after', ({ backend }) => listOrNone(backend.driver, backend.base)),
      TE.map(({ session, before, again, after }) => {
        const now = new Map(after.map((i) => [i.name as string, i]))
        const gone = before.filter((i) => !now.has(i.name)).map((i) => i.name as string)
        const runtime = session.store.layout.runtime
        const rolledBack = [...gone.filter((n) => n.includes('@') && isWithin(n.slice(0, n.indexOf('@')), runtime)), ...again.rolledBack]
        const destroyed = [...gone.filter((n) => !rolledBack.includes(n)), ...again.destroyed]
        const completed = [
          ...before.filter((i) => i.type === 'filesystem' && i.properties[PROP.state] !== 'ready' && isWithin(i.name, session.store.layout.storage)
            && now.get(i.name)?.properties[PROP.state] === 'ready').map((i) => i.name as string),
          ...again.completed,
        ]
        const text = [
          ...destroyed.map((n) => `destroyed ${n}`),
          ...rolledBack.map((n) => `rolled back ${n}`),
          ...completed.map((n) => `completed ${n}`),
        ]
        return report({ destroyed, rolledBack, completed }, text.length > 0 ? text : ['nothing to recover'])
      }),
    )))
}
