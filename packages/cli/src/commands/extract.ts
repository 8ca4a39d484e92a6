/**
 * `stratum extract <oci-layout-dir>[:<tag>]`: every layer of the image, bottom first, each
 * reused when its chainID is already extracted. Prints each layer's chainID and whether it was
 * reused, then the top chainID. The image is read here (to show byte progress per blob); each
 * layer goes through the store's extractLayer with its descriptor's digest, size and diffID.
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import {
  chainIdOf, type ExtractedLayer, type LayerRef, openBlob, readImage, type StorageError,
} from '@stratum/core'
import { parseImageArg } from '../args.js'
import type { Register } from '../command.js'
import { counted, startProgress } from '../progress.js'
import { report } from '../report.js'

export const registerExtract: Register = (program, run) => {
  program.command('extract')
    .description('extract an image from an OCI image layout directory (tag defaults to latest)')
    .argument('<image>', '<oci-layout-dir>[:<tag>]')
    .action((image: string) => run((ctx) => pipe(
      TE.fromEither(parseImageArg(image)),
      TE.bindTo('arg'),
      TE.bind('session', () => ctx.session()),
      TE.bind('image', ({ arg }) => readImage(arg.dir, arg.ref)),
      TE.flatMap(({ arg, session: { driver, store }, image }) => {
        const total = image.layers.reduce((n, l) => n + l.descriptor.size, 0)
        const bar = startProgress(ctx.progress, 'extract', 'bytes', total)
        const step = (acc: { layers: ExtractedLayer[]; top: LayerRef }, i: number): TE.TaskEither<StorageError, { layers: ExtractedLayer[]; top: LayerRef }> => {
          const l = image.layers[i]!
          const chainId = chainIdOf(acc.top, l.diffId)
          return pipe(
            driver.exists(store.layout.layerSnap(chainId)),
            TE.flatMap((reused) => pipe(
              store.extractLayer(acc.top, counted(openBlob(arg.dir, l.descriptor.digest, l.descriptor.size), bar), {
                mediaType: l.descriptor.mediaType, digest: l.descriptor.digest, size: l.descriptor.size, diffId: l.diffId,
              }),
              TE.tapIO(() => () => { if (reused) bar.add(l.descriptor.size) }), // a reused layer's blob is never read
              TE.map((c) => ({ layers: [...acc.layers, { chainId: c, diffId: l.diffId, reused }], top: c as LayerRef })),
            )),
          )
        }
        return pipe(
          image.layers.reduce<TE.TaskEither<StorageError, { layers: ExtractedLayer[]; top: LayerRef }>>(
            (acc, _l, i) => pipe(acc, TE.flatMap((a) => step(a, i))),
            TE.right({ layers: [], top: 'empty' }),
          ),
          TE.tapIO(() => () => bar.stop()),
          TE.orElseFirstIOK(() => () => bar.stop()),
        )
      }),
      TE.map(({ layers, top }) => report(
        { layers, top },
        [...layers.map((l) => `${l.chainId} ${l.reused ? 'reused' : 'extracted'}`), `top ${top}`],
      )),
    )))
}
