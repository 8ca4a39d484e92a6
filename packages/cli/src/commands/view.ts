/**
 * `stratum view <layer> [name]`: a read-only root of a layer for inspection (every write fails
 * with EROFS), listed by `ls containers`, mounted with `mount` and removed with `rm` like a
 * container; prints its id.
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'
import { report } from '../report.js'

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
      run((ctx) =>
        pipe(
          ctx.session(),
          TE.bindTo('session'),
          TE.bind('layer', ({ session }) => session.store.resolveLayer(layerArg)),
          TE.bind('id', ({ session, layer }) => session.store.view(layer, name)),
          TE.map(({ id, layer }) => report({ container: id, layer, view: true }, [id])),
        ),
      ),
    )
}
