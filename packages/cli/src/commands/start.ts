/**
 * `stratum start <container-id> <layer> [--refquota S] [--quota S] [--readonly] [-l k=v]...`: a
 * container root cloned from a layer (an image name, chainID, prefix or empty), its limits and
 * labels set by the clone.
 */
import type { StartFlags } from '../actions/start.js'
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'
import { collect } from '../options.js'

export const registerStart: Register = (program, run) => {
  program
    .command('start')
    .description("create a container's root file system as a clone of a layer")
    .argument('<container-id>', 'container id: one dataset name component (no / @ #)')
    .argument('<layer>', 'image name, chainID, chainID prefix (12+ hex digits), or empty')
    .option('--refquota <size>', 'bytes the root may refer to (a write past it fails with EDQUOT), e.g. 512M')
    .option('--quota <size>', 'bytes the root and its snapshots may use, e.g. 1G')
    .option('--readonly', 'every write to the root fails with EROFS', false)
    .option('-l, --label <key=value>', 'a label of the container (repeatable)', collect, [])
    .addHelpText(
      'after',
      examplesHelp('stratum start web img:1.0', 'stratum start db sha256:<chainid> --refquota 512M'),
    )
    .action((id: string, layerArg: string, o: StartFlags) =>
      run(() => import('../actions/start.js').then((m) => m.startAction(id, layerArg, o))),
    )
}
