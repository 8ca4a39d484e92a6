/**
 * `stratum mount <container-id>` prints the host path of the container's root, held mounted
 * for `--holder` (default `cli`) until `stratum umount` with the same holder; the last hold's
 * release unmounts it. A named hold outlives this process (recover does not release it).
 */
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'

export const CLI_HOLDER = 'cli'

export const registerMount: Register = (program, run) => {
  program
    .command('mount')
    .description("hold a container's root mounted and print its host path")
    .argument('<container-id>', 'container id: one dataset name component (no / @ #)')
    .option('--holder <name>', 'who holds the mount (released by umount with the same name)', CLI_HOLDER)
    .addHelpText('after', examplesHelp('stratum mount web', 'stratum mount web --holder runc'))
    .action((id: string, o: { holder: string }) =>
      run(() => import('../actions/mount.js').then((m) => m.mountAction(id, o))),
    )
  program
    .command('umount')
    .description("release a hold of a container's root; the last one unmounts it")
    .argument('<container-id>', 'container id: one dataset name component (no / @ #)')
    .option('--holder <name>', 'the holder given to mount', CLI_HOLDER)
    .addHelpText('after', examplesHelp('stratum umount web', 'stratum umount web --holder runc'))
    .action((id: string, o: { holder: string }) =>
      run(() => import('../actions/mount.js').then((m) => m.umountAction(id, o))),
    )
}
