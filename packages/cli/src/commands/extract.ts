/**
 * `stratum extract <oci-layout-dir>[:<tag>]`: every layer of the image, bottom first, each
 * reused when its chainID is already extracted (the store's extractImage). Prints each layer's
 * chainID and whether it was reused, then the top chainID; the bar shows the blobs' bytes.
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { parseImageArg } from '../args.js'
import type { Register } from '../command.js'
import { type Progress, startProgress } from '../progress.js'
import { report } from '../report.js'

export const registerExtract: Register = (program, run) => {
  program
    .command('extract')
    .description('extract an image from an OCI image layout directory (tag defaults to latest)')
    .argument('<image>', '<oci-layout-dir>[:<tag>]')
    .action((image: string) =>
      run((ctx) => {
        let bar: Progress | undefined
        const stop = () => () => bar?.stop()
        return pipe(
          TE.fromEither(parseImageArg(image)),
          TE.bindTo('arg'),
          TE.bind('session', () => ctx.session()),
          TE.flatMap(({ arg, session }) =>
            session.store.extractImage(arg.dir, arg.ref, {
              image: ({ bytes }) => {
                bar = startProgress(ctx.progress, 'extract', 'bytes', bytes)
              },
              bytes: (n) => bar?.add(n),
            }),
          ),
          TE.tapIO(stop),
          TE.orElseFirstIOK(stop),
          TE.map(({ layers, top }) =>
            report({ layers, top }, [
              ...layers.map((l) => `${l.chainId} ${l.reused ? 'reused' : 'extracted'}`),
              `top ${top}`,
            ]),
          ),
        )
      }),
    )
}
