/** `stratum rm <container-id>`: destroys a container's root and its snapshots. */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Register } from '../command.js'
import { report } from '../report.js'

export const registerRm: Register = (program, run) => {
  program
    .command('rm')
    .description('remove a container')
    .argument('<container-id>', 'container id: one dataset name component (no / @ #)')
    .action((id: string) =>
      run((ctx) =>
        pipe(
          ctx.session(),
          TE.tap((session) => session.store.removeContainer(id)),
          TE.map(() => report({ removed: id }, [`removed ${id}`])),
        ),
      ),
    )
}
