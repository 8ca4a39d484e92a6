/** `stratum start <container-id> <chainid|empty>`: a container root cloned from a layer. */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { parseLayerRef } from '../args.js'
import type { Register } from '../command.js'
import { report } from '../report.js'

export const registerStart: Register = (program, run) => {
  program
    .command('start')
    .description("create a container's root file system as a clone of a layer")
    .argument('<container-id>')
    .argument('<layer>', 'chainID, or empty')
    .action((id: string, layerArg: string) =>
      run((ctx) =>
        pipe(
          TE.fromEither(parseLayerRef(layerArg)),
          TE.bindTo('layer'),
          TE.bind('session', () => ctx.session()),
          TE.tap(({ layer, session }) => session.store.start(id, layer)),
          TE.map(({ layer }) => report({ container: id, layer }, [`started ${id} from ${layer}`])),
        ),
      ),
    )
}
