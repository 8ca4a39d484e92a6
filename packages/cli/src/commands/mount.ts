/**
 * `stratum mount <container-id>` prints the host path of the container's root, held mounted
 * for `--holder` (default `cli`) until `stratum umount` with the same holder; the last hold's
 * release unmounts it. A named hold outlives this process (recover does not release it).
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'
import { report } from '../report.js'

export const CLI_HOLDER = 'cli'

export const registerMount: Register = (program, run) => {
  program
    .command('mount')
    .description("hold a container's root mounted and print its host path")
    .argument('<container-id>', 'container id: one dataset name component (no / @ #)')
    .option('--holder <name>', 'who holds the mount (released by umount with the same name)', CLI_HOLDER)
    .addHelpText('after', examplesHelp('stratum mount web', 'stratum mount web --holder runc'))
    .action((id: string, o: { holder: string }) =>
      run((ctx) =>
        pipe(
          ctx.session(),
          TE.flatMap((session) => session.store.mount(id, o.holder)),
          TE.map((path) => report({ container: id, path, holder: o.holder }, [path])),
        ),
      ),
    )
  program
    .command('umount')
    .description("release a hold of a container's root; the last one unmounts it")
    .argument('<container-id>', 'container id: one dataset name component (no / @ #)')
    .option('--holder <name>', 'the holder given to mount', CLI_HOLDER)
    .addHelpText('after', examplesHelp('stratum umount web', 'stratum umount web --holder runc'))
    .action((id: string, o: { holder: string }) =>
      run((ctx) =>
        pipe(
          ctx.session(),
          TE.tap((session) => session.store.unmount(id, o.holder)),
          TE.map(() => report({ container: id, holder: o.holder, released: true }, [`released ${id} (${o.holder})`])),
        ),
      ),
    )
}
