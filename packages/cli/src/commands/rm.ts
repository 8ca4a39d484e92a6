/** `stratum rm <container-id>`: destroys a container's root and its snapshots. */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { parseContainerId } from '../args.js'
import type { Register } from '../command.js'
import { report } from '../report.js'

export const registerRm: Register = (program, run) => {
  program.command('rm')
    .description('remove a container')
    .argument('<container-id>')
    .action((idArg: string) => run((ctx) => pipe(
      TE.fromEither(parseContainerId(idArg)),
      TE.bindTo('id'),
      TE.bind('session', () => ctx.session()),
      TE.tap(({ id, session }) => session.store.removeContainer(id)),
      TE.map(({ id }) => report({ removed: id }, [`removed ${id}`])),
    )))
}
