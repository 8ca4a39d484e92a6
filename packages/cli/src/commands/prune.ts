/** `stratum prune [--dry-run]`: destroys (or lists) the layers no image, container or layer above reaches. */
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'

export const registerPrune: Register = (program, run) => {
  program
    .command('prune')
    .description('remove the layers no image, container or layer above reaches')
    .option('--dry-run', 'list them, remove nothing')
    .addHelpText('after', examplesHelp('stratum prune --dry-run', 'stratum prune'))
    .action((o: { dryRun?: boolean }) => run(() => import('../actions/prune.js').then((m) => m.pruneAction(o))))
}
