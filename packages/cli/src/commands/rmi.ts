/** `stratum rmi <chainid>`: destroys a layer no container or layer is cloned from. */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { parseChainId } from '@stratum/core'
import type { Register } from '../command.js'
import { report } from '../report.js'

export const registerRmi: Register = (program, run) => {
  program
    .command('rmi')
    .description('remove a layer nothing depends on')
    .argument('<chainid>')
    .action((chainArg: string) =>
      run((ctx) =>
        pipe(
          TE.fromEither(parseChainId(chainArg)),
          TE.bindTo('chainId'),
          TE.bind('session', () => ctx.session()),
          TE.tap(({ chainId, session }) => session.store.removeLayer(chainId)),
          TE.map(({ chainId }) => report({ removed: chainId }, [`removed ${chainId}`])),
        ),
      ),
    )
}
