/**
 * `stratum extract-layer <parent-chainid|empty> <layer.tar|layer.tar.gz>`: one layer over a
 * parent; the media type comes from the file's first bytes (gzip magic or not). Prints the
 * new chainID.
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'
import { hostStream, layerMediaType, regularFileSize } from '../host.js'
import { layerBars } from '../progress.js'
import { report } from '../report.js'

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
      run((ctx) =>
        pipe(
          regularFileSize(file),
          TE.bindTo('size'),
          TE.bind('mediaType', () => layerMediaType(file)),
          TE.bind('session', () => ctx.session()),
          TE.bind('parent', ({ session }) => session.store.resolveLayer(parentArg)),
          TE.bind('layer', ({ parent, size, mediaType, session }) => {
            const bar = layerBars(ctx.progress, 'extract-layer')
            return pipe(
              session.store.extractLayer(
                parent,
                hostStream(file),
                { mediaType, size },
                { onProgress: bar.onProgress, signal: ctx.signal },
              ),
              TE.tapIO(() => () => bar.stop()),
              TE.orElseFirstIOK(() => () => bar.stop()),
            )
          }),
          TE.map(({ parent, mediaType, layer: { chainId } }) => report({ chainId, parent, mediaType }, [chainId])),
        ),
      ),
    )
}
