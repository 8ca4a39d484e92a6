/**
 * `stratum commit <container-id> [--keep]`: the container's changes become a layer. Without
 * --keep the container is consumed (renamed into the layer); with it, it stays a clone of the
 * new layer. Prints the new chainID and diffID, and any snapshots others made on the container
 * (never destroyed: moved onto the layer, or left on a container then kept).
 */
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'

export const registerCommit: Register = (program, run) => {
  program
    .command('commit')
    .description("commit a container's changes as a new layer")
    .argument('<container-id>', 'container id: one dataset name component (no / @ #)')
    .option('--keep', 'keep the container (as a clone of the new layer)', false)
    .addHelpText('after', examplesHelp('stratum commit web', 'stratum commit web --keep'))
    .action((id: string, o: { keep: boolean }) =>
      run(() => import('../actions/commit.js').then((m) => m.commitAction(id, o))),
    )
}
