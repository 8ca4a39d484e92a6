/**
 * `stratum commit <container-id> [--keep]`: the container's changes become a layer. Without
 * --keep the container is consumed (renamed into the layer); with it, it stays a clone of the
 * new layer. Prints the new chainID and diffID, and any snapshots others made on the container
 * (never destroyed: moved onto the layer, or left on a container then kept).
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'
import { report } from '../report.js'

export const registerCommit: Register = (program, run) => {
  program
    .command('commit')
    .description("commit a container's changes as a new layer")
    .argument('<container-id>', 'container id: one dataset name component (no / @ #)')
    .option('--keep', 'keep the container (as a clone of the new layer)', false)
    .addHelpText('after', examplesHelp('stratum commit web', 'stratum commit web --keep'))
    .action((id: string, o: { keep: boolean }) =>
      run((ctx) =>
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
                ...(result.containerKept === true
                  ? [`container ${id} kept: it holds snapshots Stratum did not make`]
                  : []),
              ],
            ),
          ),
        ),
      ),
    )
}
