/** `stratum commit` (commands/commit.ts): the store's commit, and what it left alone. */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Action } from '../command.js'
import { report } from '../report.js'

export const commitAction =
  (id: string, o: { keep: boolean }): Action =>
  (ctx) =>
    pipe(
      ctx.session(),
      TE.flatMap((session) => session.store.commit(id, { keep: o.keep })),
      TE.map((result) =>
        report(
          {
            container: id,
            chainId: result.chainId,
            diffId: result.diffId,
            deduped: result.deduped,
            kept: o.keep || result.containerKept === true,
            foreign: result.foreign ?? [],
          },
          [
            `chainid ${result.chainId}`,
            `diffid ${result.diffId}${result.deduped ? ' (layer existed already)' : ''}`,
            ...(result.foreign ?? []).map((s) => `left alone: ${s} (a snapshot Stratum did not make)`),
            ...(result.containerKept === true ? [`container ${id} kept: it holds snapshots Stratum did not make`] : []),
          ],
        ),
      ),
    )
