/**
 * `stratum view <layer> [name]`: a read-only root of a layer for inspection (every write fails
 * with EROFS), listed by `ls containers`, mounted with `mount` and removed with `rm` like a
 * container; prints its id.
 */
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'

export const registerView: Register = (program, run) => {
  program
    .command('view')
    .description('make a read-only root of a layer, handled like a container (mount, ls, rm)')
    .argument('<layer>', 'image name, chainID, chainID prefix (12+ hex digits), or empty')
    .argument('[name]', 'its id: one dataset name component (default view-<12 hex digits of the chainID>)')
    .addHelpText(
      'after',
      examplesHelp(
        'stratum view img:1.0',
        'stratum view img:1.0 inspect && stratum mount inspect',
        'stratum rm inspect',
      ),
    )
    .action((layerArg: string, name: string | undefined) =>
      run(() => import('../actions/view.js').then((m) => m.viewAction(layerArg, name))),
    )
}
