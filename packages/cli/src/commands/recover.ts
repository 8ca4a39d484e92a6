/**
 * `stratum recover`: rolls back or completes what a crash left (tmp datasets, half-done
 * commits). Opening the store already recovers: the report is what that did, then what a second
 * pass left alone and why. Another host's work is collected once older
 * than `--older-than` minutes (default 6 h), or at once for a host named by `--owner-host`
 * (the operator's word that its processes are dead). Work of this host's running processes
 * is never collected.
 */
import { InvalidArgumentError } from 'commander'
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'
import { collect } from '../options.js'

/** `--older-than <minutes>` in milliseconds (a usage error otherwise). */
const minutes = (m: string): number => {
  if (!/^\d+$/.test(m)) throw new InvalidArgumentError('expected whole minutes')
  return Number(m) * 60_000
}

export const registerRecover: Register = (program, run) => {
  program
    .command('recover')
    .description('roll back or complete operations a crash interrupted')
    .option('--owner-host <host>', "take over another host's work: its owners are dead (repeatable)", collect, [])
    .option('--older-than <minutes>', "another host's work older than this is dead (default 360)", (m: string) =>
      minutes(m),
    )
    .addHelpText('after', examplesHelp('stratum recover', 'stratum recover --owner-host oldbox --older-than 30'))
    .action((o: { ownerHost: string[]; olderThan?: number }) =>
      run(() => import('../actions/recover.js').then((m) => m.recoverAction(o))),
    )
}
