/** `stratum prune` (commands/prune.ts): the store's prune, and its report as lines (rmi --prune prints them too). */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { PruneReport } from '@stratum/core'
import type { Action } from '../command.js'
import { report } from '../report.js'

/** The prune report as lines: one per layer removed (or that would be), one per item left alone. */
export const pruneLines = (r: PruneReport): string[] => [
  ...r.removed.map((c) => `${r.dryRun ? 'would remove' : 'removed'} ${c}`),
  ...r.skipped.map((s) => `skipped ${s.name}: ${s.reason}`),
]

export const pruneAction =
  (o: { dryRun?: boolean }): Action =>
  (ctx) =>
    pipe(
      ctx.session(),
      TE.flatMap((s) => s.store.prune({ dryRun: o.dryRun === true })),
      TE.map((r) => report(r, pruneLines(r))),
    )
