/**
 * `stratum recover`: rolls back or completes what a crash left (tmp datasets, half-done
 * commits). Opening the store already recovers, so the report is what changed between the
 * state found before opening and the state after: datasets and snapshots destroyed, layers
 * marked ready; then what it left alone and why. Another host's work is collected once older
 * than `--older-than` minutes (default 6 h), or at once for a host named by `--owner-host`
 * (the operator's word that its processes are dead). Work of this host's running processes
 * is never collected.
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { InvalidArgumentError } from 'commander'
import {
  catchTag,
  type DatasetInfo,
  type DatasetName,
  DEFAULT_STALE_AFTER_MS,
  defaultOwnerPolicy,
  type Driver,
  isWithin,
  openLayerStore,
  PROP,
  type StorageError,
} from '@stratum/core'
import type { Register } from '../command.js'
import { report } from '../report.js'
import { openBackend } from '../session.js'

/** `--older-than <minutes>` in milliseconds (a usage error otherwise). */
const minutes = (m: string): number => {
  if (!/^\d+$/.test(m)) throw new InvalidArgumentError('expected whole minutes')
  return Number(m) * 60_000
}

/** Everything under `base`, or nothing when it does not exist yet. */
const listOrNone = (d: Driver, base: DatasetName): TE.TaskEither<StorageError, readonly DatasetInfo[]> =>
  pipe(
    d.list(base),
    catchTag('DatasetNotFound', () => TE.right([])),
  )

export const registerRecover: Register = (program, run) => {
  program
    .command('recover')
    .description('roll back or complete operations a crash interrupted')
    .option(
      '--owner-host <host>',
      "take over another host's work: its owners are dead (repeatable)",
      (h: string, acc: string[]) => [...acc, h],
      [],
    )
    .option('--older-than <minutes>', "another host's work older than this is dead (default 360)", (m: string) =>
      minutes(m),
    )
    .action((o: { ownerHost: string[]; olderThan?: number }) =>
      run((ctx) =>
        pipe(
          openBackend(ctx.opts, ctx.io),
          TE.bindTo('backend'),
          TE.bind('before', ({ backend }) => listOrNone(backend.driver, backend.base)),
          TE.bind('session', ({ backend }) =>
            pipe(
              openLayerStore(backend.driver, backend.base, {
                owner: defaultOwnerPolicy(o.olderThan ?? DEFAULT_STALE_AFTER_MS, { takeOverHosts: o.ownerHost }),
              }),
              TE.map((store) => ({ store })),
            ),
          ),
          TE.bind('again', ({ session }) => session.store.recover()),
          TE.bind('after', ({ backend }) => listOrNone(backend.driver, backend.base)),
          TE.map(({ session, before, again, after }) => {
            const now = new Map(after.map((i) => [i.name as string, i]))
            const gone = before.filter((i) => !now.has(i.name)).map((i) => i.name as string)
            const runtime = session.store.layout.runtime
            const rolledBack = [
              ...gone.filter((n) => n.includes('@') && isWithin(n.slice(0, n.indexOf('@')), runtime)),
              ...again.rolledBack,
            ]
            const destroyed = [...gone.filter((n) => !rolledBack.includes(n)), ...again.destroyed]
            const completed = [
              ...before
                .filter(
                  (i) =>
                    i.type === 'filesystem' &&
                    i.properties[PROP.state] !== 'ready' &&
                    isWithin(i.name, session.store.layout.storage) &&
                    now.get(i.name)?.properties[PROP.state] === 'ready',
                )
                .map((i) => i.name as string),
              ...again.completed,
            ]
            const skipped = again.skipped
            const text = [
              ...destroyed.map((n) => `destroyed ${n}`),
              ...rolledBack.map((n) => `rolled back ${n}`),
              ...completed.map((n) => `completed ${n}`),
              ...skipped.map((k) => `skipped ${k.name}: ${k.reason}`),
            ]
            return report(
              { destroyed, rolledBack, completed, skipped },
              text.length > 0 ? text : ['nothing to recover'],
            )
          }),
        ),
      ),
    )
}
