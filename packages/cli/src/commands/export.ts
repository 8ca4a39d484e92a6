/**
 * `stratum export <container-id|layer> <dir>`: writes a layer's (its @extracted snapshot) or a
 * container's tree into a host directory through zfs-driver's root-confined `hostFileTree`, by
 * the store's exportTree. The directory must be empty or absent. Modes and mtimes are always
 * set; owners only as root. Ctrl-C stops the copy and the store removes what it wrote.
 */
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'

export const registerExport: Register = (program, run) => {
  program
    .command('export')
    .description("write a layer's or a container's tree into an empty host directory")
    .argument('<source>', 'container id, or a layer: image name, chainID, chainID prefix (12+ hex digits), empty')
    .argument('<dir>', 'host directory to write into: new or empty')
    .addHelpText('after', examplesHelp('stratum export web ./rootfs', 'stratum export img:1.0 ./tree'))
    .action((srcArg: string, dir: string) =>
      run(() => import('../actions/export.js').then((m) => m.exportAction(srcArg, dir))),
    )
}
