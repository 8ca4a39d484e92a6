/**
 * `stratum extract <oci-layout-dir>[:<tag>] [--platform os/arch[/variant]]` (or
 * `docker-archive:<file>[:<repo tag>]`, or a `docker save` file named bare): every layer of the
 * image (from a multi-platform index, the platform asked, else this host's), bottom first, each
 * reused when its chainID is already extracted (the store's extractImage). Prints each layer's
 * chainID and whether it was reused, then the top chainID and the name the image is recorded
 * under (`--name`, else the store's default); one bar per layer shows its blob's bytes. Ctrl-C
 * cancels: the layer being extracted is rolled back, the image is not recorded.
 */
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'
import { collect } from '../options.js'

export const registerExtract: Register = (program, run) => {
  program
    .command('extract')
    .description(
      'extract an image from an OCI image layout directory (tag defaults to latest, else the only image) or a docker save archive',
    )
    .argument(
      '<image>',
      '<oci-layout-dir>[:<tag>] (no tag: latest, else the only image) or docker-archive:<file>[:<repo tag>]',
    )
    .option('--name <name>', 'record the image under this name (default: the layout ref name, or <dir>:<tag>)')
    .option('--platform <os/arch[/variant]>', "the image to take from a multi-platform index (default: this host's)")
    .option(
      '-l, --label <key=value>',
      'a label recorded with the image, over its config Labels (repeatable)',
      collect,
      [],
    )
    .addHelpText(
      'after',
      examplesHelp(
        'stratum extract ./image:1.0',
        'stratum extract ./multi:1.0 --platform linux/arm64',
        'stratum extract docker-archive:web.tar:web:1',
      ),
    )
    .action((image: string, o: { name?: string; platform?: string; label: string[] }) =>
      run(() => import('../actions/extract.js').then((m) => m.extractAction(image, o))),
    )
}
