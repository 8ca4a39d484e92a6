/** `stratum init`: creates the store's layout under the base dataset (idempotent). */
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'

export const registerInit: Register = (program, run) => {
  program
    .command('init')
    .description('create the layer store under the base dataset (storage, runtime, tmp, empty@extracted)')
    .addHelpText('after', examplesHelp('stratum init', 'stratum --driver zfs --base tank/stratum init'))
    .action(() => run(() => import('../actions/init.js').then((m) => m.initAction())))
}
