/**
 * `stratum rmi <image|layer>... [--prune]`: drops each image reference (its name, or the name
 * with `:latest`); anything else is a layer reference (chainID or prefix), destroyed when no
 * container or layer is cloned from it. Operands go in the order given, stopping at the first
 * that fails (the ones before it stay removed). `--prune` then collects what became unreachable.
 */
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'

export const registerRmi: Register = (program, run) => {
  program
    .command('rmi')
    .description('remove image references, or layers nothing depends on')
    .argument('<image|layer...>', 'image names, or layers: chainID or chainID prefix (12+ hex digits)')
    .option('--prune', 'then remove the layers no image, container or layer above reaches')
    .addHelpText(
      'after',
      examplesHelp('stratum rmi img:1.0', 'stratum rmi img:1.0 img:1.1', 'stratum rmi img:1.0 --prune'),
    )
    .action((args: string[], o: { prune?: boolean }) =>
      run(() => import('../actions/rmi.js').then((m) => m.rmiAction(args, o))),
    )
}
