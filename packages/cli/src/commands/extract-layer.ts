/**
 * `stratum extract-layer <parent-chainid|empty> <layer.tar|layer.tar.gz>`: one layer over a
 * parent; the media type comes from the file's first bytes (gzip magic or not). Prints the
 * new chainID.
 */
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'

export const registerExtractLayer: Register = (program, run) => {
  program
    .command('extract-layer')
    .description('extract one layer tar (plain or gzip) over a parent layer')
    .argument('<parent>', 'parent layer: image name, chainID, chainID prefix (12+ hex digits), or empty')
    .argument('<tar>', 'layer.tar or layer.tar.gz')
    .addHelpText(
      'after',
      examplesHelp('stratum extract-layer empty base.tar.gz', 'stratum extract-layer sha256:<chainid> layer.tar'),
    )
    .action((parentArg: string, file: string) =>
      run(() => import('../actions/extract-layer.js').then((m) => m.extractLayerAction(parentArg, file))),
    )
}
