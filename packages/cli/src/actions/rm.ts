/** `stratum rm` (commands/rm.ts): each container removed in order, stopping at the first failure. */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Action } from '../command.js'
import { report } from '../report.js'

export const rmAction =
  (ids: string[], o: { force?: boolean }): Action =>
  (ctx) =>
    pipe(
      ctx.session(),
      TE.tap((session) =>
        TE.traverseSeqArray((id: string) => session.store.removeContainer(id, { force: o.force === true }))(ids),
      ),
      TE.map(() =>
        report(
          { removed: ids[0], ids },
          ids.map((id) => `removed ${id}`),
        ),
      ),
    )
