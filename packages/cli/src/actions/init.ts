/** `stratum init` (commands/init.ts): opening the store makes its layout; the report says where. */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Action } from '../command.js'
import { report } from '../report.js'

export const initAction = (): Action => (ctx) =>
  pipe(
    ctx.session(),
    TE.map(({ store, stateFile }) => {
      const l = store.layout
      return report(
        {
          driver: ctx.opts.driver,
          base: l.base,
          storage: l.storage,
          runtime: l.runtime,
          tmp: l.tmp,
          state: stateFile ?? null,
        },
        [`initialized ${l.base} (${ctx.opts.driver}${stateFile === undefined ? '' : `, state ${stateFile}`})`],
      )
    }),
  )
