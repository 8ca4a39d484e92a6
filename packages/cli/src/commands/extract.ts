/**
 * `stratum extract <oci-layout-dir>[:<tag>]`: every layer of the image, bottom first, each
 * reused when its chainID is already extracted (the store's extractImage). Prints each layer's
 * chainID and whether it was reused, then the top chainID and the name the image is recorded
 * under (`--name`, else the store's default); the bar shows the blobs' bytes.
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
    .option('--name <name>', 'record the image under this name (default: the layout ref name, or <dir>:<tag>)')
    .action((image: string, o: { name?: string }) =>
      run((ctx) => {
        let bar: Progress | undefined
        const stop = () => () => bar?.stop()
        return pipe(
          TE.fromEither(parseImageArg(image)),
          TE.bindTo('arg'),
          TE.bind('session', () => ctx.session()),
          TE.flatMap(({ arg, session }) =>
            session.store.extractImage(
              arg.dir,
              arg.ref,
              {
                image: ({ bytes }) => {
                  bar = startProgress(ctx.progress, 'extract', 'bytes', bytes)
                },
                bytes: (n) => bar?.add(n),
              },
              o.name === undefined ? {} : { name: o.name },
            ),
          ),
          TE.tapIO(stop),
          TE.orElseFirstIOK(stop),
          TE.map(({ name, layers, top }) =>
            report({ name, layers, top }, [
              ...layers.map((l) => `${l.chainId} ${l.reused ? 'reused' : 'extracted'}`),
              `top ${top}`,
              `image ${name}`,
            ]),
          ),
        )
      }),
    )
}
