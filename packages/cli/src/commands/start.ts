/** `stratum start <container-id> <layer>`: a container root cloned from a layer (an image name, chainID, prefix or empty). */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Register } from '../command.js'
import { report } from '../report.js'

export const registerStart: Register = (program, run) => {
  program
    .command('start')
    .description("create a container's root file system as a clone of a layer")
    .argument('<container-id>', 'container id: one dataset name component (no / @ #)')
    .argument('<layer>', 'image name, chainID, chainID prefix (12+ hex digits), or empty')
    .action((id: string, layerArg: string) =>
      run((ctx) =>
        pipe(
          ctx.session(),
          TE.bindTo('session'),
          TE.bind('layer', ({ session }) => session.store.resolveLayer(layerArg)),
          TE.tap(({ layer, session }) => session.store.start(id, layer)),
          TE.map(({ layer }) => report({ container: id, layer }, [`started ${id} from ${layer}`])),
        ),
      ),
    )
}
