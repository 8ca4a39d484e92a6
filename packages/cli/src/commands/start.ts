/** `stratum start <container-id> <chainid|empty>`: a container root cloned from a layer. */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { parseContainerId, parseLayerRef } from '../args.js'
import type { Register } from '../command.js'
import { report } from '../report.js'

export const registerStart: Register = (program, run) => {
  program.command('start')
    .description("create a container's root file system as a clone of a layer")
    .argument('<container-id>')
    .argument('<layer>', 'chainID, or empty')
    .action((idArg: string, layerArg: string) => run((ctx) => pipe(
      TE.fromEither(E.Do),
      TE.bind('id', () => TE.fromEither(parseContainerId(idArg))),
      TE.bind('layer', () => TE.fromEither(parseLayerRef(layerArg))),
      TE.bind('session', () => ctx.session()),
      TE.tap(({ id, layer, session }) => session.store.start(id, layer)),
      TE.map(({ id, layer }) => report({ container: id, layer }, [`started ${id} from ${layer}`])),
    )))
}
