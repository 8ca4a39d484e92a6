/**
 * `stratum label <container|image> key=value... key-...`: sets (`k=v`) and drops (`k-`) labels,
 * like `kubectl label`. The target is the container of that id when there is one, else the
 * image of that name (`--image` asks for the image). Prints the labels after the change.
 */
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'

export const registerLabel: Register = (program, run) => {
  program
    .command('label')
    .description('set (key=value) and drop (key-) labels of a container or an image')
    .argument('<target>', 'container id, else image name (:latest implied)')
    .argument('<changes...>', 'key=value to set, key- to drop')
    .option('--image', 'the target is an image even when a container has that id', false)
    .addHelpText(
      'after',
      examplesHelp('stratum label web tier=front owner-', 'stratum label --image alpine:3.20 pinned=yes'),
    )
    .action((target: string, changes: string[], o: { image: boolean }) =>
      run(() => import('../actions/label.js').then((m) => m.labelAction(target, changes, o))),
    )
}
