/**
 * `stratum recover`: rolls back or completes what a crash left (tmp datasets, half-done
 * commits). Opening the store already recovers: the report is what that did, then what a second
 * pass left alone and why. Another host's work is collected once older
 * than `--older-than` minutes (default 6 h), or at once for a host named by `--owner-host`
 * (the operator's word that its processes are dead). Work of this host's running processes
 * is never collected.
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { InvalidArgumentError } from 'commander'
import { DEFAULT_STALE_AFTER_MS, defaultOwnerPolicy, openLayerStore } from '@stratum/core'
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'
import { report } from '../report.js'
import { openBackend } from '../session.js'

/** `--older-than <minutes>` in milliseconds (a usage error otherwise). */
const minutes = (m: string): number => {
  if (!/^\d+$/.test(m)) throw new InvalidArgumentError('expected whole minutes')
  return Number(m) * 60_000
}

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
    .addHelpText('after', examplesHelp('stratum recover', 'stratum recover --owner-host oldbox --older-than 30'))
    .action((o: { ownerHost: string[]; olderThan?: number }) =>
      run((ctx) =>
        pipe(
          openBackend(ctx.opts, ctx.io),
          TE.bindTo('backend'),
          TE.bind('store', ({ backend }) =>
            openLayerStore(backend.driver, backend.base, {
              owner: defaultOwnerPolicy(o.olderThan ?? DEFAULT_STALE_AFTER_MS, { takeOverHosts: o.ownerHost }),
            }),
          ),
          TE.bind('again', ({ store }) => store.recover()),
          TE.map(({ store, again }) => {
            // opening the store recovered first; the second pass reports what is still left alone
            const { recovered } = store
            const destroyed = [...recovered.destroyed, ...again.destroyed]
            const rolledBack = [...recovered.rolledBack, ...again.rolledBack]
            const completed = [...recovered.completed, ...again.completed]
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
