/** `stratum package` (commands/package.ts): the store's diff tar, hashed as it streams, compressed and written by the output rule. */
import { createHash } from 'node:crypto'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { type Compression, type Digest, err } from '@stratum/core'
import { compressStream } from '@stratum/core/internal'
import type { Action } from '../command.js'
import { STDOUT, writeOutput } from '../output.js'
import { layerBars, stoppingBar } from '../progress.js'
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

export const packageAction =
  (chainArg: string, o: { output: string; compress: Compression }): Action =>
  (ctx) =>
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
        pipe(writeOutput(ctx.io, o.output, compressStream(tar.stream, o.compress)), stoppingBar(bar)),
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
    )
