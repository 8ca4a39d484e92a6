/** `stratum init`: creates the store's layout under the base dataset (idempotent). */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'
import { report } from '../report.js'

export const registerInit: Register = (program, run) => {
  program
    .command('init')
    .description('create the layer store under the base dataset (storage, runtime, tmp, empty@extracted)')
    .addHelpText('after', examplesHelp('stratum init', 'stratum --driver zfs --base tank/stratum init'))
    .action(() =>
      run((ctx) =>
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
        ),
      ),
    )
}
