/**
 * `stratum rm <container-id>...`: destroys containers' roots in the order given, stopping at the
 * first that fails (the ones before it stay removed); snapshots others made on one only with --force.
 */
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'

export const registerRm: Register = (program, run) => {
  program
    .command('rm')
    .description('remove containers')
    .argument('<container-id...>', 'container ids: each one dataset name component (no / @ #)')
    .option(
      '-f, --force',
      'also destroy snapshots others made on it (zfs-auto-snapshot, an admin); without it they are listed and nothing is removed',
    )
    .addHelpText('after', examplesHelp('stratum rm web', 'stratum rm web db cache', 'stratum rm -f web'))
    .action((ids: string[], o: { force?: boolean }) =>
      run(() => import('../actions/rm.js').then((m) => m.rmAction(ids, o))),
    )
}
