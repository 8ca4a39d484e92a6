/**
 * `stratum package <layer> -o <file> [-z gzip|zstd|none]` (an image name, chainID or prefix): the
 * layer's deterministic diff tar against its parent, compressed with -z (default none: the plain
 * tar), written by the output rule (output.ts; `-o -` is stdout); the tar is hashed as it streams
 * and must equal the store's diffID. The same layer always gives the same bytes.
 */
import { createHash } from 'node:crypto'
import { Option } from 'commander'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { type Compression, type Digest, err } from '@stratum/core'
import { compressStream } from '@stratum/core/internal'
import { COMPRESSIONS } from '../args.js'
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'
import { STDOUT, writeOutput } from '../output.js'
import { layerBars } from '../progress.js'
import { report } from '../report.js'

/** `source`, hashed as it passes; `digest()` is its sha256 once it has ended. */
const hashed = (source: AsyncIterable<Uint8Array>) => {
  const h = createHash('sha256')
  let digest: Digest | undefined
  const stream: AsyncIterable<Uint8Array> = {
    async *[Symbol.asyncIterator]() {
      for await (const c of source) {
        h.update(c)
        yield c
      }
      digest = `sha256:${h.digest('hex')}` as Digest
    },
  }
  return { stream, digest: () => digest }
}

export const registerPackage: Register = (program, run) => {
  program
    .command('package')
    .description("write a layer's diff against its parent as a tar (uncompressed unless -z)")
    .argument('<layer>', 'image name, chainID or chainID prefix (12+ hex digits)')
    .requiredOption('-o, --output <file>', "where to write the tar ('-': stdout, the report then on stderr)")
    .addOption(new Option('-z, --compress <codec>', 'compress the tar').choices(COMPRESSIONS).default('none'))
    .addHelpText(
      'after',
      examplesHelp(
        'stratum package img:1.0 -o layer.tar',
        'stratum package sha256:<chainid> -o - -z gzip > layer.tar.gz',
      ),
    )
    .action((chainArg: string, o: { output: string; compress: Compression }) =>
      run((ctx) =>
        pipe(
          ctx.session('read'),
          TE.bindTo('session'),
          TE.bind('chainId', ({ session }) => session.store.resolveLayer(chainArg)),
          TE.bind('bar', () => TE.right(layerBars(ctx.progress, 'package'))),
          TE.bind('packaged', ({ chainId, session, bar }) =>
            session.store.packageLayer(chainId, { onProgress: bar.onProgress, signal: ctx.signal }),
          ),
          TE.bind('tar', ({ packaged }) => TE.right(hashed(packaged.tar))),
          TE.bind('written', ({ tar, bar }) =>
            pipe(
              writeOutput(ctx.io, o.output, compressStream(tar.stream, o.compress)),
              TE.tapIO(() => () => bar.stop()),
              TE.orElseFirstIOK(() => () => bar.stop()),
            ),
          ),
          TE.flatMap(({ chainId, packaged, tar, written }) =>
            tar.digest() === packaged.diffId
              ? TE.right(
                  report(
                    {
                      chainId,
                      diffId: packaged.diffId,
                      file: o.output,
                      bytes: written.bytes,
                      compression: o.compress,
                      digest: written.digest,
                    },
                    o.compress === 'none' ? [packaged.diffId] : [packaged.diffId, `${written.digest} (${o.compress})`],
                    o.output === STDOUT ? 'stderr' : 'stdout',
                  ),
                )
              : TE.left(
                  err('DigestMismatch', {
                    what: `packaged layer ${o.output}`,
                    expected: packaged.diffId,
                    actual: tar.digest() ?? 'none (the tar did not end)',
                  }),
                ),
          ),
        ),
      ),
    )
}
