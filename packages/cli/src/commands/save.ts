/**
 * `stratum save <layer> <oci-layout-dir>[:<tag>] [-z gzip|zstd|none]`: the chain under the layer
 * (an image name, chainID or prefix) written as an image into an OCI layout (made if missing;
 * the tag, default latest, replaces an entry of that name). Prints each layer's blob digest
 * and chainID, the manifest digest and the image reference a reader of the layout uses.
 */
import { Option } from 'commander'
import type { Compression } from '@stratum/core'
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'
import { COMPRESSIONS } from '../options.js'

export const registerSave: Register = (program, run) => {
  program
    .command('save')
    .description('write a layer and the layers below it as an image into an OCI image layout directory')
    .argument('<layer>', 'image name, chainID or chainID prefix (12+ hex digits)')
    .argument('<layout>', '<oci-layout-dir>[:<tag>] (tag defaults to latest)')
    .addOption(new Option('-z, --compress <codec>', 'layer blob compression').choices(COMPRESSIONS).default('gzip'))
    .addHelpText('after', examplesHelp('stratum save img:1.0 ./out:v2', 'stratum save sha256:<chainid> ./out -z zstd'))
    .action((layer: string, layout: string, o: { compress: Compression }) =>
      run(() => import('../actions/save.js').then((m) => m.saveAction(layer, layout, o))),
    )
}
