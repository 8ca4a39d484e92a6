/** `stratum rmi <layer>`: destroys a layer (an image name, chainID or prefix) no container or layer is cloned from. */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Register } from '../command.js'
import { report } from '../report.js'

export const registerRmi: Register = (program, run) => {
  program
    .command('rmi')
    .description('remove a layer nothing depends on')
    .argument('<layer>', 'image name, chainID or chainID prefix (12+ hex digits)')
    .action((chainArg: string) =>
      run((ctx) =>
        pipe(
          ctx.session(),
          TE.bindTo('session'),
          TE.bind('chainId', ({ session }) => session.store.resolveLayer(chainArg)),
          TE.tap(({ chainId, session }) => session.store.removeLayer(chainId)),
          TE.map(({ chainId }) => report({ removed: chainId }, [`removed ${chainId}`])),
        ),
      ),
    )
}
