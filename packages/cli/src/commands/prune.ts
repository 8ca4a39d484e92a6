/** `stratum prune [--dry-run]`: destroys (or lists) the layers no image, container or layer above reaches. */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { PruneReport } from '@stratum/core'
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'
import { report } from '../report.js'

/** The prune report as lines: one per layer removed (or that would be), one per item left alone. */
export const pruneLines = (r: PruneReport): string[] => [
  ...r.removed.map((c) => `${r.dryRun ? 'would remove' : 'removed'} ${c}`),
  ...r.skipped.map((s) => `skipped ${s.name}: ${s.reason}`),
]

export const registerPrune: Register = (program, run) => {
  program
    .command('prune')
    .description('remove the layers no image, container or layer above reaches')
    .option('--dry-run', 'list them, remove nothing')
    .addHelpText('after', examplesHelp('stratum prune --dry-run', 'stratum prune'))
    .action((o: { dryRun?: boolean }) =>
      run((ctx) =>
        pipe(
          ctx.session(),
          TE.flatMap((s) => s.store.prune({ dryRun: o.dryRun === true })),
          TE.map((r) => report(r, pruneLines(r))),
        ),
      ),
    )
}
