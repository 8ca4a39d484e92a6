/** `stratum rm <container-id>`: destroys a container's root; snapshots others made on it only with --force. */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'
import { report } from '../report.js'

export const registerRm: Register = (program, run) => {
  program
    .command('rm')
    .description('remove a container')
    .argument('<container-id>', 'container id: one dataset name component (no / @ #)')
    .option(
      '-f, --force',
      'also destroy snapshots others made on it (zfs-auto-snapshot, an admin); without it they are listed and nothing is removed',
    )
    .addHelpText('after', examplesHelp('stratum rm web', 'stratum rm -f web'))
    .action((id: string, o: { force?: boolean }) =>
      run((ctx) =>
        pipe(
          ctx.session(),
          TE.tap((session) => session.store.removeContainer(id, { force: o.force === true })),
          TE.map(() => report({ removed: id }, [`removed ${id}`])),
        ),
      ),
    )
}
