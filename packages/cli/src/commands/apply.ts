/**
 * `stratum apply <container-id> <tar>`: applies a layer tar (plain or gzip, with whiteouts)
 * onto a container's root, with the same confinement rules as extract.
 */
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'

export const registerApply: Register = (program, run) => {
  program
    .command('apply')
    .description("apply a layer tar (plain or gzip) onto a container's root")
    .argument('<container-id>', 'container id: one dataset name component (no / @ #)')
    .argument('<tar>', 'layer tar on the host, plain or gzip')
    .addHelpText('after', examplesHelp('stratum apply web changes.tar.gz'))
    .action((id: string, file: string) => run(() => import('../actions/apply.js').then((m) => m.applyAction(id, file))))
}
