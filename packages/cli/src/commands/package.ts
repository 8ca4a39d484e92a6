/**
 * `stratum package <layer> -o <file>` (an image name, chainID or prefix): the layer's deterministic diff tar against its parent,
 * written by the output rule (output.ts; `-o -` is stdout); the written bytes are hashed and
 * must equal the store's diffID.
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { err } from '@stratum/core'
import type { Register } from '../command.js'
import { STDOUT, writeOutput } from '../output.js'
import { counted, startProgress } from '../progress.js'
import { report } from '../report.js'

export const registerPackage: Register = (program, run) => {
  program
    .command('package')
    .description("write a layer's diff against its parent as an uncompressed tar")
    .argument('<layer>', 'image name, chainID or chainID prefix (12+ hex digits)')
    .requiredOption('-o, --output <file>', "where to write the tar ('-': stdout, the report then on stderr)")
    .action((chainArg: string, o: { output: string }) =>
      run((ctx) =>
        pipe(
          ctx.session(),
          TE.bindTo('session'),
          TE.bind('chainId', ({ session }) => session.store.resolveLayer(chainArg)),
          TE.bind('packaged', ({ chainId, session }) => session.store.packageLayer(chainId)),
          TE.bind('written', ({ packaged }) => {
            const bar = startProgress(ctx.progress, 'package', 'bytes')
            return pipe(
              writeOutput(ctx.io, o.output, counted(packaged.tar, bar)),
              TE.tapIO(() => () => bar.stop()),
              TE.orElseFirstIOK(() => () => bar.stop()),
            )
          }),
          TE.flatMap(({ chainId, packaged, written }) =>
            written.digest === packaged.diffId
              ? TE.right(
                  report(
                    { chainId, diffId: packaged.diffId, file: o.output, bytes: written.bytes },
                    [packaged.diffId],
                    o.output === STDOUT ? 'stderr' : 'stdout',
                  ),
                )
              : TE.left(
                  err('DigestMismatch', {
                    what: `packaged layer ${o.output}`,
                    expected: packaged.diffId,
                    actual: written.digest,
                  }),
                ),
          ),
        ),
      ),
    )
}
